/**
 * CloudWatch metrics through the embedded metric format (EMF): the values of one check written as
 * one JSON log line, from which CloudWatch Logs extracts the declared metrics. No PutMetricData
 * call, no CloudWatch permission, no request charge (BENCHMARKS.md, "Cost per monitored log").
 *
 * Every value of docs/contracts.md "CloudWatch metrics" is a member of the line (so Logs Insights can read them all),
 * but only the metrics the alarms and the dashboard need are declared as CloudWatch metrics,
 * because each declared name and dimension set is a billed custom metric:
 *
 *   - per log (dimension `Log`): `SecondsSinceGrowth`, written by clean checks only. Its sample
 *     count is the number of successful checks (the no-successful-check alarm), its maximum the
 *     staleness (the not-growing alarm);
 *   - across logs (dimension `Scope` = `all-logs`, the same in every function's line):
 *     `CheckSucceeded`, `CheckFailed`, `MisbehaviourDetected`, one series each for all logs (the
 *     misbehaviour alarm, the dashboard's summary). A constant dimension rather than none: a
 *     dimension set that names a member is plainly valid EMF;
 *   - per log, for logs with identities only (the values are absent otherwise): `IdentityMatches`
 *     (matches delivered by the check) and `ScanBacklog` (entries the scan is behind: the
 *     scan-falls-behind alarm);
 *   - with `detailed`, every value is also declared per log (one more billed metric each).
 *
 * EMF specification: docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
 * CloudWatch_Embedded_Metric_Format_Specification.html (root member `_aws` with `Timestamp` in
 * epoch milliseconds and `CloudWatchMetrics`, a list of directives: `Namespace`, `Dimensions`
 * (lists of member names), `Metrics` (`Name`, `Unit`); every referenced member is in the root).
 */
import type { CheckResult } from '../monitor/check-result.ts';
import { type MetricExtras, type MetricsSink, type MetricValue, metricValues } from '../monitor/metrics.ts';

/** The dimension naming the log (docs/contracts.md, "CloudWatch metrics"). */
export const LOG_DIMENSION = 'Log';
/** Declared per log, with dimension `Log`. */
export const PER_LOG_METRICS: readonly string[] = ['SecondsSinceGrowth', 'IdentityMatches', 'ScanBacklog'];
/** Declared across logs, with the constant dimension `Scope` = `all-logs`. */
export const SCOPE_DIMENSION = 'Scope';
export const ALL_LOGS = 'all-logs';
export const ACROSS_LOGS_METRICS: readonly string[] = [
  'CheckSucceeded',
  'CheckFailed',
  'MisbehaviourDetected',
];

export interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: string[][];
  readonly Metrics: { Name: string; Unit: string }[];
}

export interface EmfDocument {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: EmfDirective[] };
  readonly [member: string]: unknown;
}

export interface EmfOptions {
  readonly namespace: string;
  /** Declare every value per log too (more custom metrics, more cost). Default: false. */
  readonly detailed?: boolean;
}

/** The EMF document of one check: every value as a member, the chosen ones declared. */
export function emfDocument(
  result: CheckResult,
  extras: MetricExtras,
  options: EmfOptions,
  timestampMs: number,
): EmfDocument {
  const values = metricValues(result, extras);
  const directive = (dimensions: string[][], names: readonly string[] | 'all'): EmfDirective | undefined => {
    const chosen = values.filter((v) => names === 'all' || names.includes(v.name));
    if (chosen.length === 0) return undefined;
    return {
      Namespace: options.namespace,
      Dimensions: dimensions,
      Metrics: chosen.map((v: MetricValue) => ({ Name: v.name, Unit: v.unit })),
    };
  };
  const directives = [
    directive([[LOG_DIMENSION]], options.detailed ? 'all' : PER_LOG_METRICS),
    directive([[SCOPE_DIMENSION]], ACROSS_LOGS_METRICS),
  ].filter((d): d is EmfDirective => d !== undefined);
  return {
    _aws: { Timestamp: timestampMs, CloudWatchMetrics: directives },
    [LOG_DIMENSION]: result.log,
    [SCOPE_DIMENSION]: ALL_LOGS,
    status: result.status,
    ...Object.fromEntries(values.map((v) => [v.name, v.value])),
  };
}

export interface EmfMetricsOptions extends EmfOptions {
  /** Writes one line. In Lambda: process.stdout, so the JSON log format does not wrap it. */
  readonly write: (line: string) => void;
  /** The timestamp of the values. Default: now. */
  readonly now?: () => number;
}

export class EmfMetrics implements MetricsSink {
  readonly #options: EmfMetricsOptions;

  constructor(options: EmfMetricsOptions) {
    this.#options = options;
  }

  async publish(result: CheckResult, extras: MetricExtras): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    this.#options.write(JSON.stringify(emfDocument(result, extras, this.#options, now)));
  }
}
