/**
 * A local AWS emulator for tests and local runs: starts `moto_server` on a free loopback port,
 * waits (bounded) until it answers, and stops it (SIGTERM, then SIGKILL after a bounded wait).
 * `createStack` makes what the monitor needs: the table, the topic, and an SQS queue subscribed
 * to the topic (raw delivery off, so subject and message attributes arrive in the SNS envelope).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export interface Moto {
  readonly endpoint: string;
  readonly port: number;
  /** Output of moto_server so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Finds a free loopback port (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});
// A test file stopped by a signal (the test runner's timeout or cancel sends SIGTERM, Ctrl-C
// SIGINT) does not reach 'exit' on its own: stop any moto_server still running, then let the
// signal end the process as it would have (unless someone else handles it too).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  const onSignal = () => {
    for (const p of running) p.kill('SIGKILL');
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once(signal, onSignal);
}

/**
 * Starts moto_server; rejects within `timeoutMs` (default 30 s) per attempt if it does not answer.
 * Without a given port it takes a free one; if another process took that port between the probe
 * and moto's bind, it tries twice more on fresh ports.
 */
export async function startMoto(options: { timeoutMs?: number; port?: number } = {}): Promise<Moto> {
  if (options.port !== undefined) return startMotoOn(options.port, options.timeoutMs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startMotoOn(await freePort(), options.timeoutMs);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof Error && /Address already in use/i.test(e.message))) throw e;
    }
  }
}

async function startMotoOn(port: number, timeoutMs = 30_000): Promise<Moto> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      resolve();
    });
    child.once('error', (e) => {
      out += `\nspawn error: ${e.message}`;
      exited = true;
      running.delete(child);
      resolve();
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      const hint = /ENOENT/.test(out) ? " (moto_server is not on PATH: pip install 'moto[server]')" : '';
      throw new Error(`moto_server exited before answering on ${endpoint}${hint}:\n${out}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, port, output: () => out, stop };
}

/** Clears every resource in moto (between tests that want a fresh account). */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, {
    method: 'POST',
    signal: AbortSignal.timeout(5_000),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

/** SDK client settings for an endpoint: dummy credentials, us-east-1, few quick retries. */
export function sdkConfig(endpoint: string) {
  return {
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  };
}

export interface AwsClients {
  readonly dynamo: DynamoDBClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

/**
 * moto_server answers on parallel threads, and its DynamoDB emulation takes no lock: two
 * conditional writes (or transactions) that arrive together can both pass their condition, which
 * DynamoDB never allows (a conditional write and a transaction are atomic). This client sends one
 * DynamoDB request at a time, which restores that guarantee. Concurrent invocations sharing it
 * still interleave between requests, so stale reads and lost races happen as they do on AWS.
 */
export function atomicDynamoClient(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient(sdkConfig(endpoint));
  let tail: Promise<unknown> = Promise.resolve();
  client.middlewareStack.add(
    (next) => (args) => {
      const run = tail.then(() => next(args));
      tail = run.catch(() => {});
      return run;
    },
    { step: 'initialize', name: 'oneDynamoRequestAtATime' },
  );
  return client;
}

export function clientsFor(endpoint: string): AwsClients {
  const c = sdkConfig(endpoint);
  return {
    dynamo: atomicDynamoClient(endpoint),
    cloudwatch: new CloudWatchClient(c),
    sns: new SNSClient(c),
    sqs: new SQSClient(c),
  };
}

export interface Stack {
  readonly tableName: string;
  readonly topicArn: string;
  readonly queueUrl: string;
}

/** Creates the table (pk/sk, on demand), the topic, and a queue subscribed to the topic. */
export async function createStack(clients: AwsClients, name = 'tlog-monitor'): Promise<Stack> {
  const tableName = `${name}-state`;
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  const topic = await clients.sns.send(new CreateTopicCommand({ Name: `${name}-alerts` }));
  const queue = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-alerts-inbox` }));
  const queueUrl = queue.QueueUrl as string;
  const attrs = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn as string,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes?.QueueArn as string,
    }),
  );
  return { tableName, topicArn: topic.TopicArn as string, queueUrl };
}

/** An SNS notification as delivered to SQS (raw delivery off). */
export interface SnsEnvelope {
  readonly Subject?: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/** Reads and deletes every message now in the queue (moto delivers SNS→SQS synchronously). */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<SnsEnvelope[]> {
  const out: SnsEnvelope[] = [];
  for (let round = 0; round < 100; round++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const msgs = r.Messages ?? [];
    if (msgs.length === 0) break;
    for (const m of msgs) out.push(JSON.parse(m.Body as string) as SnsEnvelope);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  }
  return out;
}
