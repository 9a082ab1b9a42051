/**
 * Runs the monitor Lambda handler locally, exactly as deployed, against a local AWS emulator
 * (moto_server, started and stopped here) and a log of your choice, and prints what it produced:
 * each CheckResult, the SNS messages (read back from an SQS queue subscribed to the topic), the
 * metrics of each check (the embedded-metric-format log lines CloudWatch would turn into metrics),
 * and the time spent in each dependency.
 *
 *   npm run local:invoke -- --log sigstore-rekor                  a preset
 *   npm run local:invoke -- --log mylog --config my.config.json   a log from a config file
 *   npm run local:invoke -- --test-log [--lie fork|rollback|bad-proof|bad-signature]
 *
 * Options: --runs N (default 2), --event scheduled|check (default scheduled).
 *
 *   npm run local:invoke -- --test-log --bench 200
 * times 200 warm invocations (the log grows by one entry before each, so each one fetches the
 * head and a consistency proof and moves HEAD) and prints the median and p95 of each part.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createHandler } from '../functions/monitor.ts';
import type { InvocationReport } from '../lib/aws/invocation.ts';
import { parseConfigFile } from '../lib/config/config-file.ts';
import { type LogConfig, logConfigToJson, parseLogConfig } from '../lib/config/log-config.ts';
import { getPreset, PRESET_NAMES } from '../lib/config/presets.ts';
import { clientsFor, createStack, drainQueue, startMoto } from '../test/support/moto.ts';
import { startTestLog, type TestLog } from '../test/support/test-log-server.ts';

const NAMESPACE = 'TransparencyLogMonitor';
const LIES = ['fork', 'rollback', 'bad-proof', 'bad-signature'] as const;

function usage(message?: string): never {
  if (message) console.error(`local:invoke: ${message}\n`);
  console.error(
    'usage: npm run local:invoke -- (--log <preset or config log name> [--config FILE] | --test-log [--lie ' +
      `${LIES.join('|')}]) [--runs N] [--event scheduled|check]\npresets: ${PRESET_NAMES.join(', ')}`,
  );
  process.exit(2);
}

function resolveLog(name: string | undefined, configFile: string | undefined): LogConfig {
  if (name === undefined) usage('--log or --test-log is required');
  if (configFile !== undefined) {
    const config = parseConfigFile(readFileSync(configFile, 'utf8'), configFile);
    const found = config.logs.find((l) => l.name === name);
    if (!found)
      usage(`no log named "${name}" in ${configFile} (has: ${config.logs.map((l) => l.name).join(', ')})`);
    return found;
  }
  const preset = getPreset(name);
  if (!preset) usage(`"${name}" is not a preset; pass --config FILE to pick a log from a config file`);
  const { description: _d, ...entry } = preset;
  return parseLogConfig(entry, `preset ${name}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      log: { type: 'string' },
      config: { type: 'string' },
      'test-log': { type: 'boolean', default: false },
      lie: { type: 'string' },
      runs: { type: 'string', default: '2' },
      event: { type: 'string', default: 'scheduled' },
      bench: { type: 'string' },
    },
  });
  const bench = values.bench === undefined ? undefined : Number(values.bench);
  if (bench !== undefined && (!Number.isInteger(bench) || bench < 10 || bench > 10_000)) {
    usage('--bench must be 10 to 10000');
  }
  if (bench !== undefined && !values['test-log']) usage('--bench needs --test-log');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) usage('--runs must be 1 to 20');
  if (values.event !== 'scheduled' && values.event !== 'check') usage('--event must be scheduled or check');
  const lie = values.lie;
  if (lie !== undefined && !(LIES as readonly string[]).includes(lie))
    usage(`--lie must be one of ${LIES.join(', ')}`);
  if (lie !== undefined && !values['test-log']) usage('--lie needs --test-log');

  let testLog: TestLog | undefined;
  let log: LogConfig;
  if (values['test-log']) {
    testLog = await startTestLog({ type: 'rekor-v1', initialSize: 10 });
    log = parseLogConfig(
      {
        name: 'test-log',
        type: 'rekor-v1',
        url: testLog.url,
        publicKey: testLog.publicKeyPem,
        origin: testLog.keyName,
      },
      '--test-log',
    );
  } else {
    log = resolveLog(values.log, values.config);
  }

  const moto = await startMoto();
  const clients = clientsFor(moto.endpoint);
  const stop = async () => {
    try {
      await testLog?.close();
    } finally {
      for (const c of Object.values(clients)) c.destroy();
      await moto.stop();
    }
  };
  process.once('SIGINT', () => {
    void stop().then(() => process.exit(130));
  });
  try {
    const stack = await createStack(clients);
    console.log(`moto_server on ${moto.endpoint}: table ${stack.tableName}, topic ${stack.topicArn}\n`);
    const env = {
      LOG_CONFIG: JSON.stringify(logConfigToJson(log)),
      TABLE_NAME: stack.tableName,
      TOPIC_ARN: stack.topicArn,
      METRICS_NAMESPACE: NAMESPACE,
    };
    const reports: InvocationReport[] = [];
    const lines: string[] = [];
    const handler = createHandler(env, {
      dynamo: clients.dynamo,
      sns: clients.sns,
      onReport: (r) => reports.push(r),
      // Sub-millisecond timings for --bench (the Lambda itself uses Date.now).
      clock: {
        now: () => performance.timeOrigin + performance.now(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      },
      log: (line) => {
        if (bench === undefined) lines.push(line);
      },
    });
    if (bench !== undefined && testLog) {
      await runBench(handler, testLog, reports, bench);
      return;
    }
    const event =
      values.event === 'check'
        ? { action: 'check' }
        : { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    for (let i = 1; i <= runs; i++) {
      if (testLog && i > 1) {
        // A fork or rollback is of the stored size or below; a bad proof needs growth to prove.
        if (i === 2 && lie !== undefined) {
          if (lie === 'bad-proof') testLog.append(3);
          applyLie(testLog, lie);
        } else testLog.append(3);
      }
      console.log(`=== invocation ${i}: ${JSON.stringify(event)}`);
      try {
        const result = await handler(event);
        console.log(JSON.stringify(result, null, 2));
      } catch (e) {
        console.log(`invocation FAILED (Lambda would retry): ${(e as Error).message}`);
      }
      const t = reports.at(-1)?.timings;
      if (t) {
        console.log(
          `timings (ms): total ${t.total}, log ${t.log}, DynamoDB ${t.state}, metrics ${t.metrics}, SNS + alert state ${t.alerts}`,
        );
      }
      console.log();
    }

    const messages = await drainQueue(clients.sqs, stack.queueUrl);
    console.log(`=== SNS messages: ${messages.length}`);
    for (const m of messages) {
      const attrs = Object.entries(m.MessageAttributes ?? {})
        .map(([k, v]) => `${k}=${v.Value}`)
        .join(' ');
      console.log(`--- Subject: ${m.Subject}\n    Attributes: ${attrs}\n${m.Message}\n`);
    }

    // Each invocation writes one EMF line (lib/aws/emf-metrics.ts); the members are the values.
    const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => '_aws' in d);
    const names = [...new Set(docs.flatMap((d) => Object.keys(d)))].filter(
      (k) => /^[A-Z]/.test(k) && k !== 'Log',
    );
    console.log(
      `=== metrics (embedded metric format, namespace ${NAMESPACE}, Log=${log.name}), one value per invocation`,
    );
    for (const name of names.sort()) {
      console.log(`${name.padEnd(22)} ${docs.map((d) => d[name] ?? '-').join(', ')}`);
    }
  } finally {
    await stop();
  }
}

const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

/** Warm invocations, each after one new entry; prints median and p95 per part (ms). */
async function runBench(
  handler: (event: unknown) => Promise<unknown>,
  log: TestLog,
  reports: InvocationReport[],
  n: number,
): Promise<void> {
  for (let i = 0; i < 20; i++) {
    log.append(1);
    await handler(SCHEDULED); // the first initialises; the rest warm up the process and connections
  }
  reports.length = 0;
  for (let i = 0; i < n; i++) {
    log.append(1);
    await handler(SCHEDULED);
  }
  const statuses = new Set(reports.map((r) => r.result.status));
  const quantile = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
  };
  const parts = [
    ['total (handler)', 'total'],
    ['log fetch (head + proof)', 'log'],
    ['DynamoDB (load + transaction)', 'state'],
    ['metrics (EMF log line)', 'metrics'],
    ['alert state query (+ SNS if any)', 'alerts'],
  ] as const;
  console.log(`${n} warm invocations, statuses: ${[...statuses].join(', ')}`);
  console.log('| part | median ms | p95 ms |\n|---|---|---|');
  for (const [label, key] of parts) {
    const xs = reports.map((r) => r.timings[key]);
    console.log(`| ${label} | ${quantile(xs, 0.5).toFixed(1)} | ${quantile(xs, 0.95).toFixed(1)} |`);
  }
}

function applyLie(log: TestLog, lie: string | undefined): void {
  if (lie === 'fork') log.fork();
  else if (lie === 'rollback') log.rollback(5);
  else if (lie === 'bad-proof') log.badProof('flip');
  else if (lie === 'bad-signature') log.badSignature();
}

main().catch((e) => {
  console.error(`local:invoke: ${(e as Error).message}`);
  process.exit(1);
});
