/**
 * The monitor Lambda (DESIGN.md, "Lambda contract"): one function per monitored log. A thin
 * composition root: it reads the environment once per cold start, wires the AWS adapters
 * (DynamoDB state, embedded-metric-format metrics in the log, SNS alerts) and the log client into
 * the core, and runs one invocation. AWS endpoints and credentials come from the SDK's standard settings
 * (AWS_REGION, AWS_ENDPOINT_URL, ...). It returns the CheckResult, and throws (so Lambda
 * retries) when state, metrics or alerts failed; see lib/aws/invocation.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoStore, logKey } from '../lib/aws/dynamodb-store.ts';
import { EmfMetrics } from '../lib/aws/emf-metrics.ts';
import { parseEvent } from '../lib/aws/events.ts';
import { type InvocationReport, invoke, throwIfFailed } from '../lib/aws/invocation.ts';
import { type Env, readRuntimeConfig } from '../lib/aws/runtime-config.ts';
import { SnsAlerts } from '../lib/aws/sns-alerts.ts';
import { createHttpClient } from '../lib/http/bounded-client.ts';
import { type Clock, type FetchPort, systemClock } from '../lib/http/ports.ts';
import { createLogClient } from '../lib/logs/create-client.ts';
import type { CheckResult } from '../lib/monitor/check-result.ts';

export interface HandlerOverrides {
  readonly dynamo?: DynamoDBClient;
  readonly sns?: SNSClient;
  readonly fetch?: FetchPort;
  readonly clock?: Clock;
  /** Receives every invocation's report (timings, alerts sent, failures), e.g. for benchmarks. */
  readonly onReport?: (report: InvocationReport) => void;
  /**
   * Where the log lines of each invocation go: the metrics (embedded metric format) and a one-line
   * JSON summary. Default: process.stdout, one line each, which Lambda sends to CloudWatch Logs
   * unchanged (console.log would be wrapped by Lambda's JSON log format, and CloudWatch would
   * then not extract the metrics).
   */
  readonly log?: (line: string) => void;
}

export type MonitorHandler = (event: unknown) => Promise<CheckResult>;

/** Bounded SDK calls: a Lambda must not hang on an unreachable endpoint. */
const SDK_SETTINGS = { maxAttempts: 3, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } };

/** Builds a handler from an environment; throws TlogError `config/invalid` naming each bad variable. */
export function createHandler(env: Env, overrides: HandlerOverrides = {}): MonitorHandler {
  const config = readRuntimeConfig(env);
  const clock = overrides.clock ?? systemClock;
  const writeLine = overrides.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const http = createHttpClient({
    fetch: overrides.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    clock,
    ...(config.log.timeoutMs !== undefined ? { timeoutMs: config.log.timeoutMs } : {}),
  });
  const deps = {
    logName: config.log.name,
    client: createLogClient(config.log, http),
    store: new DynamoStore({
      client: overrides.dynamo ?? new DynamoDBClient(SDK_SETTINGS),
      tableName: config.tableName,
    }),
    metrics: new EmfMetrics({
      namespace: config.metricsNamespace,
      detailed: config.detailedMetrics,
      write: writeLine,
      now: () => clock.now(),
    }),
    alerts: new SnsAlerts({
      client: overrides.sns ?? new SNSClient(SDK_SETTINGS),
      topicArn: config.topicArn,
    }),
    clock,
    reminderMs: config.reminderMs,
    failuresBeforeAlert: config.failuresBeforeAlert,
    ...(config.log.trustedHead !== undefined ? { trustedHead: config.log.trustedHead } : {}),
    evidenceRef: (sk: string) =>
      `DynamoDB table ${config.tableName}, item pk=${logKey(config.log.name)} sk=${sk}`,
  };
  return async (event) => {
    const report = await invoke(parseEvent(event), deps);
    overrides.onReport?.(report);
    const { result, timings, alertsSent, failures } = report;
    writeLine(JSON.stringify({ log: result.log, status: result.status, alertsSent, timings, failures }));
    throwIfFailed(report, config.log.name);
    return result;
  };
}

let cached: MonitorHandler | undefined;

/** The Lambda entry point. Configuration is read on the first invocation of each cold start. */
export async function handler(event: unknown): Promise<CheckResult> {
  cached ??= createHandler(process.env);
  return cached(event);
}
