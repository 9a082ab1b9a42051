/**
 * The monitor Lambda (docs/contracts.md, "Lambda"): one function per monitored log. A thin
 * composition root: it reads the environment once per cold start, wires the AWS adapters
 * (DynamoDB state, embedded-metric-format metrics in the log, SNS alerts) and the log client into
 * the core, and runs one invocation. AWS endpoints and credentials come from the SDK's standard
 * settings (AWS_REGION, AWS_ENDPOINT_URL, ...). Each invocation's check has a deadline below the
 * Lambda context's remaining time (checkDeadline). A log with `identities` is scanned after its
 * check (DynamoDB scan store, SNS match notices, and with SCAN_QUEUE_URL the SQS fan-out); the
 * scan stops between chunks before that deadline, keeping time for the chunk in progress. It
 * returns the CheckResult, and throws (so Lambda retries) when state, metrics or alerts failed;
 * see lib/aws/invocation.ts.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { logKey } from '../lib/aws/dynamodb-access.ts';
import { DynamoEnqueuedMarks } from '../lib/aws/dynamodb-enqueued-marks.ts';
import { DynamoRangeRefusals } from '../lib/aws/dynamodb-range-refusals.ts';
import { DynamoScanStore } from '../lib/aws/dynamodb-scan-store.ts';
import { DynamoStore } from '../lib/aws/dynamodb-store.ts';
import { EmfMetrics } from '../lib/aws/emf-metrics.ts';
import { parseEvent } from '../lib/aws/events.ts';
import {
  checkDeadline,
  type InvocationReport,
  invoke,
  type LambdaContext,
  throwIfFailed,
} from '../lib/aws/invocation.ts';
import { type Env, readRuntimeConfig } from '../lib/aws/runtime-config.ts';
import { SnsAlerts } from '../lib/aws/sns-alerts.ts';
import { SnsMatchNotices } from '../lib/aws/sns-match-notices.ts';
import { SqsRangeQueue } from '../lib/aws/sqs-range-queue.ts';
import { createEntrySource } from '../lib/entries/create-entry-source.ts';
import { createHttpClient } from '../lib/http/bounded-client.ts';
import { caBundleFetch } from '../lib/http/ca-bundle-fetch.ts';
import { withDeadline } from '../lib/http/deadline.ts';
import { type Clock, type FetchPort, systemClock } from '../lib/http/ports.ts';
import { createEntryMatcher } from '../lib/identity/entry-matcher.ts';
import { nativeLeafHasher, nativeNodeHasher } from '../lib/local/native-leaf-hasher.ts';
import { createLogClient } from '../lib/logs/create-client.ts';
import type { CheckDeps } from '../lib/monitor/check.ts';
import type { CheckResult } from '../lib/monitor/check-result.ts';
import { checkAndFanOut, type FanOutScanWiring } from '../lib/scan-fanout/check-and-fan-out.ts';
import { followKeysThroughTuf } from '../lib/trust/follow-keys.ts';

export interface HandlerOverrides {
  readonly dynamo?: DynamoDBClient;
  readonly sns?: SNSClient;
  readonly sqs?: SQSClient;
  readonly fetch?: FetchPort;
  readonly clock?: Clock;
  /** Where TUF metadata is cached. Default: /tmp/tlog-monitor-tuf/<log> (refetched on a cold start). */
  readonly tufCacheDir?: string;
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

export type MonitorHandler = (event: unknown, context?: LambdaContext) => Promise<CheckResult>;

/** Remaining time assumed when no Lambda context is given (local invokes): the default timeout. */
const REMAINING_WITHOUT_CONTEXT_MS = 60_000;

/**
 * Time kept back before the check's deadline for the identity scan's chunk in progress (the scan
 * stops between chunks; a request still running at the deadline would be cut and fail the scan).
 */
export const SCAN_CHUNK_MARGIN_MS = 15_000;
/** Most ranges one check enqueues; the next check enqueues the rest. */
export const MAX_RANGES_PER_CHECK = 100;

/** Bounded SDK calls: a Lambda must not hang on an unreachable endpoint. */
const SDK_SETTINGS = { maxAttempts: 3, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } };

/** Builds a handler from an environment; throws TlogError `config/invalid` naming each bad variable. */
export function createHandler(env: Env, overrides: HandlerOverrides = {}): MonitorHandler {
  const config = readRuntimeConfig(env);
  const clock = overrides.clock ?? systemClock;
  const writeLine = overrides.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const http = createHttpClient({
    // A log behind a private CA: its tlsCaBundle is added to the trusted roots (LOG_CONFIG).
    fetch:
      overrides.fetch ??
      (config.log.tlsCaBundle === undefined
        ? (url, init) => globalThis.fetch(url, init)
        : caBundleFetch(config.log.tlsCaBundle)),
    clock,
    ...(config.log.timeoutMs !== undefined ? { timeoutMs: config.log.timeoutMs } : {}),
  });
  const dynamo = overrides.dynamo ?? new DynamoDBClient(SDK_SETTINGS);
  const sns = overrides.sns ?? new SNSClient(SDK_SETTINGS);
  const identities = config.log.identities;
  // The entry source is made per invocation, on the deadline-bounded HTTP client.
  const scan: Omit<FanOutScanWiring, 'deadline' | 'source'> | undefined =
    identities === undefined
      ? undefined
      : {
          matcher: createEntryMatcher(identities),
          options: identities.startIndex !== undefined ? { startIndex: identities.startIndex } : {},
          store: new DynamoScanStore({ client: dynamo, tableName: config.tableName }),
          sink: new SnsMatchNotices({ client: sns, topicArn: config.topicArn }),
          hashLeaf: nativeLeafHasher,
          hashNode: nativeNodeHasher,
          ...(config.scanQueueUrl !== undefined
            ? {
                fanOut: {
                  queue: new SqsRangeQueue({
                    client: overrides.sqs ?? new SQSClient(SDK_SETTINGS),
                    queueUrl: config.scanQueueUrl,
                  }),
                  marks: new DynamoEnqueuedMarks({ client: dynamo, tableName: config.tableName }),
                  refusals: new DynamoRangeRefusals({ client: dynamo, tableName: config.tableName }),
                  logConfig: config.logJson,
                  rangeEntries: config.scanRangeEntries,
                  maxRanges: MAX_RANGES_PER_CHECK,
                },
              }
            : {}),
        };
  const deps = {
    logName: config.log.name,
    store: new DynamoStore({ client: dynamo, tableName: config.tableName }),
    metrics: new EmfMetrics({
      namespace: config.metricsNamespace,
      detailed: config.detailedMetrics,
      write: writeLine,
      now: () => clock.now(),
    }),
    alerts: new SnsAlerts({ client: sns, topicArn: config.topicArn }),
    clock,
    reminderMs: config.reminderMs,
    failuresBeforeAlert: config.failuresBeforeAlert,
    ...(config.log.trustedHead !== undefined ? { trustedHead: config.log.trustedHead } : {}),
    evidenceRef: (sk: string) =>
      `DynamoDB table ${config.tableName}, item pk=${logKey(config.log.name)} sk=${sk}`,
  };
  return async (event, context) => {
    // A log client per invocation, whose every request ends by the check's deadline.
    const now = clock.now();
    const at = checkDeadline(now, context?.getRemainingTimeInMillis() ?? REMAINING_WITHOUT_CONTEXT_MS);
    const bounded = withDeadline(http, at, `the check's deadline (${at - now} ms)`);
    // Keys followed through TUF are refreshed before each check (metadata cached in /tmp).
    const client =
      config.log.tufKeys === undefined
        ? createLogClient(config.log, bounded)
        : async () =>
            createLogClient(
              await followKeysThroughTuf(config.log, {
                http: bounded,
                cacheDir: overrides.tufCacheDir ?? join(tmpdir(), 'tlog-monitor-tuf', config.log.name),
                nowMs: clock.now(),
              }),
              bounded,
            );
    const deadline = at - Math.min(SCAN_CHUNK_MARGIN_MS, Math.floor((at - now) / 2));
    const check = scan
      ? (d: CheckDeps) =>
          checkAndFanOut(config.log.name, d, {
            ...scan,
            source: createEntrySource(config.log, bounded, clock),
            deadline,
          })
      : undefined;
    const report = await invoke(parseEvent(event), { ...deps, client, ...(check ? { check } : {}) });
    overrides.onReport?.(report);
    const { result, timings, alertsSent, failures } = report;
    writeLine(JSON.stringify({ log: result.log, status: result.status, alertsSent, timings, failures }));
    throwIfFailed(report, config.log.name);
    return result;
  };
}

let cached: MonitorHandler | undefined;

/** The Lambda entry point. Configuration is read on the first invocation of each cold start. */
export async function handler(event: unknown, context?: LambdaContext): Promise<CheckResult> {
  cached ??= createHandler(process.env);
  return cached(event, context);
}
