/**
 * The Lambda's configuration (docs/contracts.md, "Lambda"), read from its environment once per
 * cold start: LOG_CONFIG (one log entry, JSON), TABLE_NAME, TOPIC_ARN, METRICS_NAMESPACE, and
 * the optional ALERT_REMINDER (how often an alert is repeated while its condition persists,
 * `<n>s|m|h`, default 6h), ALERT_AFTER_FAILURES (checks in a row that must fail before an
 * operational alert is sent, 1 to 100, default 3; misbehaviour is alerted at once), METRICS_DETAIL (`all`: declare every metric per log, see
 * lib/aws/emf-metrics.ts; default: only those the alarms need), and for a log with `identities`
 * SCAN_QUEUE_URL (the fan-out's SQS queue; unset: the backlog is scanned by this function alone)
 * and SCAN_RANGE_ENTRIES (entries per fan-out range, and the most one invocation scans itself;
 * default 100000). Every problem names its variable.
 */
import { type LogConfig, parseLogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import { DEFAULT_FAILURES_BEFORE_ALERT, DEFAULT_REMINDER_MS } from '../monitor/alert-policy.ts';

export interface RuntimeConfig {
  readonly log: LogConfig;
  readonly tableName: string;
  readonly topicArn: string;
  readonly metricsNamespace: string;
  readonly reminderMs: number;
  /** ALERT_AFTER_FAILURES: checks in a row that must fail before an operational alert. */
  readonly failuresBeforeAlert: number;
  /** METRICS_DETAIL=all: every value is a CloudWatch metric per log. */
  readonly detailedMetrics: boolean;
  /** The log config entry as given, for the fan-out's work items. */
  readonly logJson: unknown;
  /** SCAN_QUEUE_URL: where a large scan backlog's ranges go. */
  readonly scanQueueUrl?: string;
  /** SCAN_RANGE_ENTRIES: entries per fan-out range. */
  readonly scanRangeEntries: bigint;
}

export const DEFAULT_SCAN_RANGE_ENTRIES = 100_000n;
// https://sqs.<region>.amazonaws.com/<account>/<name>, or a local emulator's http URL.
const QUEUE_URL = /^https?:\/\/[^\s/]+\/[0-9]{12}\/[A-Za-z0-9_-]{1,80}$/;

export type Env = Readonly<Record<string, string | undefined>>;

// docs.aws.amazon.com DynamoDB naming rules: 3 to 255 of [a-zA-Z0-9_.-].
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
// arn:<partition>:sns:<region>:<12-digit account>:<topic name, 1-256 of [A-Za-z0-9_-], .fifo allowed>
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const REMINDER = /^([1-9][0-9]{0,5})([smh])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
export const MAX_FAILURES_BEFORE_ALERT = 100;

export function readRuntimeConfig(env: Env): RuntimeConfig {
  const problems: string[] = [];
  const required = (name: string): string | undefined => {
    const v = env[name];
    if (v === undefined || v.trim() === '') {
      problems.push(`${name} is not set`);
      return undefined;
    }
    return v;
  };

  let log: LogConfig | undefined;
  let logJson: unknown;
  const logText = required('LOG_CONFIG');
  if (logText !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(logText);
    } catch (e) {
      problems.push(`LOG_CONFIG is not valid JSON: ${(e as Error).message}`);
    }
    if (raw !== undefined) {
      try {
        log = parseLogConfig(raw, 'LOG_CONFIG');
        logJson = raw;
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }

  const tableName = required('TABLE_NAME');
  if (tableName !== undefined && !TABLE_NAME.test(tableName)) {
    problems.push(
      `TABLE_NAME must be 3 to 255 letters, digits, "_", "." or "-", got ${JSON.stringify(tableName)}`,
    );
  }
  const topicArn = required('TOPIC_ARN');
  if (topicArn !== undefined && !TOPIC_ARN.test(topicArn)) {
    problems.push(
      `TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got ${JSON.stringify(topicArn)}`,
    );
  }
  const namespace = required('METRICS_NAMESPACE');
  if (
    namespace !== undefined &&
    (namespace.length > 255 || !/^[A-Za-z0-9.\-_/#: ]+$/.test(namespace) || /^(AWS\/|:)/.test(namespace))
  ) {
    problems.push(
      `METRICS_NAMESPACE must be 1 to 255 of letters, digits, ".-_/#: ", not starting with "AWS/" or ":", got ${JSON.stringify(namespace)}`,
    );
  }
  let reminderMs = DEFAULT_REMINDER_MS;
  const reminder = env.ALERT_REMINDER;
  if (reminder !== undefined && reminder !== '') {
    const m = REMINDER.exec(reminder);
    if (!m)
      problems.push(`ALERT_REMINDER must be a duration like "30m" or "6h", got ${JSON.stringify(reminder)}`);
    else reminderMs = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }

  let failuresBeforeAlert = DEFAULT_FAILURES_BEFORE_ALERT;
  const after = env.ALERT_AFTER_FAILURES;
  if (after !== undefined && after !== '') {
    const n = /^[1-9][0-9]{0,2}$/.test(after) ? Number(after) : Number.NaN;
    if (!(n >= 1 && n <= MAX_FAILURES_BEFORE_ALERT))
      problems.push(
        `ALERT_AFTER_FAILURES must be a whole number from 1 to ${MAX_FAILURES_BEFORE_ALERT}, got ${JSON.stringify(after)}`,
      );
    else failuresBeforeAlert = n;
  }
  const detail = env.METRICS_DETAIL;
  if (detail !== undefined && detail !== '' && detail !== 'all') {
    problems.push(`METRICS_DETAIL must be "all" or unset, got ${JSON.stringify(detail)}`);
  }

  const scanQueueUrl = env.SCAN_QUEUE_URL === '' ? undefined : env.SCAN_QUEUE_URL;
  if (scanQueueUrl !== undefined && !QUEUE_URL.test(scanQueueUrl)) {
    problems.push(`SCAN_QUEUE_URL must be an SQS queue URL, got ${JSON.stringify(scanQueueUrl)}`);
  }
  let scanRangeEntries = DEFAULT_SCAN_RANGE_ENTRIES;
  const rangeText = env.SCAN_RANGE_ENTRIES;
  if (rangeText !== undefined && rangeText !== '') {
    if (!/^[1-9][0-9]{0,8}$/.test(rangeText))
      problems.push(
        `SCAN_RANGE_ENTRIES must be a whole number from 1 to 999999999, got ${JSON.stringify(rangeText)}`,
      );
    else scanRangeEntries = BigInt(rangeText);
  }

  if (problems.length > 0 || !log || !tableName || !topicArn || !namespace) {
    throw new TlogError('config/invalid', `invalid Lambda environment: ${problems.join('; ')}`, { problems });
  }
  return {
    log,
    tableName,
    topicArn,
    metricsNamespace: namespace,
    reminderMs,
    failuresBeforeAlert,
    detailedMetrics: detail === 'all',
    logJson,
    ...(scanQueueUrl !== undefined ? { scanQueueUrl } : {}),
    scanRangeEntries,
  };
}
