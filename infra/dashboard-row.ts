/**
 * One dashboard row per log: what it is, its tree size, new entries, check outcomes, check
 * duration and staleness (seconds since the tree last grew). 6 widgets of width 4 fill the
 * dashboard's 24 columns.
 */
import { Duration } from 'aws-cdk-lib';
import { type Dashboard, GraphWidget, type IWidget, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { LogConfig } from '../lib/config/log-config.ts';
import { METRIC } from './log-monitor.ts';

const WIDTH = 4;
const HEIGHT = 6;

export function addLogRow(
  dashboard: Dashboard,
  log: LogConfig,
  namespace: string,
  intervalMinutes: number,
): void {
  const period = Duration.minutes(Math.max(intervalMinutes, 5));
  const metric = (name: string, statistic: string, label: string): Metric =>
    new Metric({ namespace, metricName: name, dimensionsMap: { Log: log.name }, statistic, period, label });
  const graph = (title: string, metrics: Metric[]): IWidget =>
    new GraphWidget({ title: `${log.name}: ${title}`, left: metrics, width: WIDTH, height: HEIGHT });

  dashboard.addWidgets(
    new TextWidget({
      // Markdown; the name, type and interval come from validated config (no markdown-breaking characters in names).
      markdown: `### ${log.name}\n\n${log.type} log, checked every ${log.interval}\n\n${log.url}`,
      width: WIDTH,
      height: HEIGHT,
    }),
    graph('tree size', [metric(METRIC.treeSize, 'Maximum', 'tree size')]),
    graph('new entries', [metric(METRIC.newEntries, 'Sum', 'new entries')]),
    graph('check outcomes', [
      metric(METRIC.checkSucceeded, 'Sum', 'succeeded'),
      metric(METRIC.checkFailed, 'Sum', 'failed'),
      metric(METRIC.misbehaviourDetected, 'Sum', 'misbehaviour'),
    ]),
    graph('check duration (ms)', [
      metric(METRIC.checkDuration, 'Average', 'average'),
      metric(METRIC.checkDuration, 'Maximum', 'maximum'),
    ]),
    graph('seconds since growth', [metric(METRIC.secondsSinceGrowth, 'Maximum', 'staleness')]),
  );
}
