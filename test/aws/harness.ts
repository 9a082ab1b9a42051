/**
 * The AWS integration harness: a moto_server with the monitor's table, topic and an SQS inbox
 * subscribed to the topic, an in-repo test log, and the real Lambda handler wired to both
 * through the same code path as in Lambda (createHandler with SDK clients pointed at moto).
 */

import { after, before } from 'node:test';
import type { QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { createHandler, type HandlerOverrides, type MonitorHandler } from '../../functions/monitor.ts';
import { logKey } from '../../lib/aws/dynamodb-access.ts';
import { DynamoStore } from '../../lib/aws/dynamodb-store.ts';
import type { Clock } from '../../lib/http/ports.ts';
import type { StoredState } from '../../lib/monitor/state-store.ts';
import {
  type AwsClients,
  clientsFor,
  createStack,
  drainQueue,
  type Moto,
  type SnsEnvelope,
  type Stack,
  startMoto,
} from '../support/moto.ts';
import { startTestLog, type TestLog, type TestLogType } from '../support/test-log-server.ts';

export const LOG_NAME = 'testlog';
export const NAMESPACE = 'TlogMonitorTest';

export const SCHEDULED_EVENT = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-24T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/tlog-monitor-testlog'],
  detail: {},
};

/** The system clock shifted by `offsetMs` (to reach reminder times without waiting). */
export class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}

export interface Harness {
  readonly moto: Moto;
  readonly clients: AwsClients;
  readonly stack: Stack;
  readonly log: TestLog;
  readonly env: Record<string, string>;
  readonly clock: ShiftedClock;
  readonly store: DynamoStore;
  readonly handler: MonitorHandler;
  /** Every log line the handler wrote (metrics in the embedded metric format, and summaries). */
  readonly lines: string[];
  handlerWith(overrides: HandlerOverrides): MonitorHandler;
  head(): Promise<StoredState | undefined>;
  /** Every SNS notification delivered since the last call. */
  messages(): Promise<SnsEnvelope[]>;
  items(prefix: string): Promise<NonNullable<QueryCommandOutput['Items']>>;
  close(): Promise<void>;
}

export type HarnessOptions = {
  type?: TestLogType;
  initialSize?: number;
  extraEnv?: Record<string, string>;
  /** Rekor v1: the test log's origin (`<host> - <treeID>`), and whether the config pins the host (default true). */
  origin?: string;
  pinOrigin?: boolean;
};

/**
 * The harness of the calling suite: registers a `before` hook that starts it and an `after` hook
 * that always closes it (moto and the test log stop even when a test or a later hook fails).
 * Returns a view that forwards to the running harness; using it outside the suite's tests throws.
 * Hooks the suite registers afterwards run after the harness started.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let running: Harness | undefined;
  before(async () => {
    running = await startHarness(options);
  });
  after(async () => {
    await running?.close();
    running = undefined;
  });
  return new Proxy({} as Harness, {
    get: (_, key) => {
      if (!running)
        throw new Error(`the harness is not running (reading ${String(key)} outside the suite's tests)`);
      return running[key as keyof Harness];
    },
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const moto = await startMoto();
  try {
    const clients = clientsFor(moto.endpoint);
    const stack = await createStack(clients);
    const log = await startTestLog({
      type: options.type ?? 'rekor-v1',
      initialSize: options.initialSize ?? 5,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
    });
    const logConfig = {
      name: LOG_NAME,
      type: log.type,
      url: log.url,
      publicKey: log.publicKeyPem,
      ...(log.type === 'rekor-v1' && options.pinOrigin !== false ? { origin: log.keyName } : {}),
      timeoutMs: 5_000,
    };
    const env = {
      LOG_CONFIG: JSON.stringify(logConfig),
      TABLE_NAME: stack.tableName,
      TOPIC_ARN: stack.topicArn,
      METRICS_NAMESPACE: NAMESPACE,
      ...options.extraEnv,
    };
    const clock = new ShiftedClock();
    const lines: string[] = [];
    const base: HandlerOverrides = {
      dynamo: clients.dynamo,
      sns: clients.sns,
      clock,
      log: (line) => lines.push(line),
    };
    const store = new DynamoStore({ client: clients.dynamo, tableName: stack.tableName });
    const handlerWith = (overrides: HandlerOverrides) => createHandler(env, { ...base, ...overrides });
    return {
      moto,
      clients,
      stack,
      log,
      env,
      clock,
      store,
      handler: handlerWith({}),
      lines,
      handlerWith,
      head: () => store.load(LOG_NAME),
      messages: () => drainQueue(clients.sqs, stack.queueUrl),
      items: async (prefix) => {
        const out = await clients.dynamo.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: { ':pk': { S: logKey(LOG_NAME) }, ':p': { S: prefix } },
            ConsistentRead: true,
          }),
        );
        return out.Items ?? [];
      },
      close: async () => {
        try {
          await log.close();
        } finally {
          for (const c of Object.values(clients)) c.destroy();
          await moto.stop();
        }
      },
    };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}
