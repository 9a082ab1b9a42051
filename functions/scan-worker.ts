/**
 * The shared scan worker Lambda (issue 11 §5): consumes the fan-out's range work items from SQS
 * (lib/aws/scan-worker.ts). A thin composition root: the environment (TABLE_NAME, TOPIC_ARN,
 * METRICS_NAMESPACE) is read once per cold start; each work item carries its log's config.
 * It returns SQS's partial batch response, so only failed items are retried.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { logKey } from '../lib/aws/dynamodb-access.ts';
import { DynamoRangeRefusals } from '../lib/aws/dynamodb-range-refusals.ts';
import { DynamoScanStore } from '../lib/aws/dynamodb-scan-store.ts';
import { DynamoStore } from '../lib/aws/dynamodb-store.ts';
import { EmfMetrics } from '../lib/aws/emf-metrics.ts';
import { type BatchResponse, handleScanBatch, type SqsEvent } from '../lib/aws/scan-worker.ts';
import { SnsAlerts } from '../lib/aws/sns-alerts.ts';
import { TlogError } from '../lib/errors.ts';
import { type Clock, type FetchPort, systemClock } from '../lib/http/ports.ts';
import { nativeLeafHasher, nativeNodeHasher } from '../lib/local/native-leaf-hasher.ts';
import { DEFAULT_REMINDER_MS } from '../lib/monitor/alert-policy.ts';

export interface WorkerOverrides {
  readonly dynamo?: DynamoDBClient;
  readonly sns?: SNSClient;
  readonly fetch?: FetchPort;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

export type WorkerHandler = (event: SqsEvent) => Promise<BatchResponse>;

const SDK_SETTINGS = { maxAttempts: 3, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } };

export function createWorkerHandler(
  env: Readonly<Record<string, string | undefined>>,
  overrides: WorkerOverrides = {},
): WorkerHandler {
  const missing = ['TABLE_NAME', 'TOPIC_ARN', 'METRICS_NAMESPACE'].filter((n) => !env[n]);
  if (missing.length > 0)
    throw new TlogError('config/invalid', `invalid Lambda environment: ${missing.join(', ')} not set`);
  const tableName = env.TABLE_NAME as string;
  const clock = overrides.clock ?? systemClock;
  const write = overrides.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dynamo = overrides.dynamo ?? new DynamoDBClient(SDK_SETTINGS);
  const deps = {
    fetch: overrides.fetch ?? ((url: string, init?: RequestInit) => globalThis.fetch(url, init)),
    clock,
    scanStore: new DynamoScanStore({ client: dynamo, tableName }),
    refusals: new DynamoRangeRefusals({ client: dynamo, tableName }),
    hashLeaf: nativeLeafHasher,
    hashNode: nativeNodeHasher,
    evidenceStore: new DynamoStore({ client: dynamo, tableName }),
    alerts: new SnsAlerts({
      client: overrides.sns ?? new SNSClient(SDK_SETTINGS),
      topicArn: env.TOPIC_ARN as string,
    }),
    metrics: new EmfMetrics({ namespace: env.METRICS_NAMESPACE as string, write, now: () => clock.now() }),
    reminderMs: DEFAULT_REMINDER_MS,
    evidenceRef: (log: string, sk: string) => `DynamoDB table ${tableName}, item pk=${logKey(log)} sk=${sk}`,
    report: write,
  };
  return (event) => handleScanBatch(event, deps);
}

let cached: WorkerHandler | undefined;

/** The Lambda entry point. */
export async function handler(event: SqsEvent): Promise<BatchResponse> {
  cached ??= createWorkerHandler(process.env);
  return cached(event);
}
