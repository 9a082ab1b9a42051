/**
 * The exported Lambda entry point as Lambda runs it: configuration from process.env only, AWS
 * endpoints from the SDK's standard settings (AWS_ENDPOINT_URL pointing at moto). A bad
 * environment fails with a message naming each bad variable, and is re-read on the next
 * invocation (nothing is cached until it is valid); a valid one is read once per cold start.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { handler } from '../../functions/monitor.ts';
import { clientsFor, createStack, drainQueue, type Moto, startMoto } from '../support/moto.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

describe('functions/monitor.ts handler (process.env, AWS_ENDPOINT_URL)', () => {
  let moto: Moto;
  let log: TestLog;
  const saved = { ...process.env };
  // The handler writes its log lines straight to stdout (so Lambda's JSON log format does not
  // wrap the metrics line); keep the JSON ones it writes, pass anything else through.
  const lines: string[] = [];
  const origWrite = process.stdout.write.bind(process.stdout);
  before(async () => {
    moto = await startMoto();
    log = await startTestLog({ type: 'ct', initialSize: 4 });
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (/^\{"(_aws|log)"/.test(text) && text.endsWith('\n')) {
        lines.push(text.slice(0, -1));
        return true;
      }
      return (origWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  });
  after(async () => {
    process.stdout.write = origWrite;
    process.env = saved;
    await log?.close();
    await moto?.stop();
  });

  it('a bad environment fails naming every bad variable', async () => {
    Object.assign(process.env, {
      LOG_CONFIG: '{"name":"x"',
      TABLE_NAME: 'a',
      TOPIC_ARN: 'not-an-arn',
    });
    delete process.env.METRICS_NAMESPACE;
    await assert.rejects(handler(scheduled), (e: Error) => {
      assert.match(e.message, /LOG_CONFIG is not valid JSON/);
      assert.match(e.message, /TABLE_NAME must be 3 to 255/);
      assert.match(e.message, /TOPIC_ARN must be an SNS topic ARN/);
      assert.match(e.message, /METRICS_NAMESPACE is not set/);
      return true;
    });
    process.env.LOG_CONFIG = JSON.stringify({ name: 'ct-test', type: 'ct', url: log.url });
    await assert.rejects(handler(scheduled), /LOG_CONFIG \("ct-test"\)\.publicKey: is required/);
  });

  it('runs a check against moto through AWS_ENDPOINT_URL, and logs a metrics line and a summary line per invocation', async () => {
    const clients = clientsFor(moto.endpoint);
    const stack = await createStack(clients, 'envtest');
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      LOG_CONFIG: JSON.stringify({ name: 'ct-test', type: 'ct', url: log.url, publicKey: log.publicKeyPem }),
      TABLE_NAME: stack.tableName,
      TOPIC_ARN: stack.topicArn,
      METRICS_NAMESPACE: 'TransparencyLogMonitor',
    });
    const first = await handler(scheduled);
    assert.equal(first.status, 'initialized');
    log.append(3);
    const second = await handler({ action: 'check' });
    assert.equal(second.status, 'verified', second.message);
    assert.equal(second.current?.size, '7');
    log.fork();
    assert.equal((await handler(scheduled)).status, 'fork');
    const msgs = await drainQueue(clients.sqs, stack.queueUrl);
    assert.deepEqual(
      msgs.map((m) => m.Subject),
      ['[tlog-monitor] ct-test: fork'],
    );
    const parsed = lines.map((l) => JSON.parse(l));
    const summaries = parsed.filter((d) => !('_aws' in d));
    const metrics = parsed.filter((d) => '_aws' in d);
    assert.deepEqual(
      summaries.map((s) => s.status),
      ['initialized', 'verified', 'fork'],
    );
    assert.deepEqual(
      metrics.map((m) => [m.status, m.Log, m.MisbehaviourDetected]),
      [
        ['initialized', 'ct-test', 0],
        ['verified', 'ct-test', 0],
        ['fork', 'ct-test', 1],
      ],
      'one line in the embedded metric format per check',
    );
    assert.ok(summaries.every((s) => typeof s.timings?.state === 'number'));

    // Read once per cold start: a changed environment is not re-read by a warm container.
    process.env.TABLE_NAME = 'no-such-table';
    process.env.LOG_CONFIG = '{';
    log.reset();
    assert.equal((await handler(scheduled)).status, 'unchanged', 'the configuration read at first use');
    assert.deepEqual(
      (await drainQueue(clients.sqs, stack.queueUrl)).map((m) => m.Subject),
      ['[tlog-monitor] ct-test: resolved (fork)'],
    );
    for (const c of Object.values(clients)) c.destroy();
  });
});
