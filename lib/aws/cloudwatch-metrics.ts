/**
 * CloudWatch metrics (DESIGN.md, "Metrics"): the values of one check in one PutMetricData call,
 * in the configured namespace, each with the dimension `Log`.
 */
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { TlogError } from '../errors.ts';
import type { CheckResult } from '../monitor/check-result.ts';
import { type MetricExtras, type MetricsSink, metricValues } from '../monitor/metrics.ts';

export interface CloudWatchMetricsOptions {
  readonly client: CloudWatchClient;
  readonly namespace: string;
  /** The timestamp of the data points. Default: now. */
  readonly now?: () => Date;
}

export class CloudWatchMetrics implements MetricsSink {
  readonly #options: CloudWatchMetricsOptions;

  constructor(options: CloudWatchMetricsOptions) {
    this.#options = options;
  }

  async publish(result: CheckResult, extras: MetricExtras): Promise<void> {
    const timestamp = (this.#options.now ?? (() => new Date()))();
    const dimensions = [{ Name: 'Log', Value: result.log }];
    try {
      await this.#options.client.send(
        new PutMetricDataCommand({
          Namespace: this.#options.namespace,
          MetricData: metricValues(result, extras).map((m) => ({
            MetricName: m.name,
            Dimensions: dimensions,
            Value: m.value,
            Unit: m.unit,
            Timestamp: timestamp,
          })),
        }),
      );
    } catch (e) {
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new TlogError(
        'sink/unavailable',
        `CloudWatch: cannot publish the metrics of "${result.log}": ${why}`,
        undefined,
        {
          cause: e,
        },
      );
    }
  }
}
