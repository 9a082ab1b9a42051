/**
 * The dashboard: an overview on top (the state of every alarm, the dead-letter queue's depth, the
 * check outcomes summed across logs, and every log's staleness and successful checks in one graph
 * each), then one row per log. It reads only the metrics the handler declares
 * (lib/aws/emf-metrics.ts): `SecondsSinceGrowth` per log (its sample count is the number of
 * successful checks), and `CheckSucceeded`, `CheckFailed`, `MisbehaviourDetected` across logs
 * (`Scope` = `all-logs`).
 * The other values of each check (tree size, new entries, duration) are in the function's log
 * lines, for CloudWatch Logs Insights.
 */
import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  type Dashboard,
  GraphWidget,
  type IAlarm,
  type IWidget,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { ALL_LOGS, LOG_DIMENSION, SCOPE_DIMENSION } from '../lib/aws/emf-metrics.ts';
import type { LogConfig } from '../lib/config/log-config.ts';
import { METRIC } from './log-monitor.ts';

const WIDTH = 8;
const HEIGHT = 6;
/** CloudWatch's alarm status widget shows at most 100 alarms; more go into further widgets. */
const ALARMS_PER_WIDGET = 100;
/**
 * CloudWatch allows 500 widgets per dashboard: with more logs than this, no per-log rows (3
 * widgets each), only the overview, whose graphs find every log's series by search.
 */
export const MAX_LOG_ROWS = 150;

export interface OverviewProps {
  readonly namespace: string;
  readonly logCount: number;
  readonly alarms: readonly IAlarm[];
  readonly deadLetterQueue: Queue;
}

export function addOverview(dashboard: Dashboard, props: OverviewProps): void {
  const period = Duration.minutes(5);
  const across = (name: string, label: string) =>
    new Metric({
      namespace: props.namespace,
      metricName: name,
      dimensionsMap: { [SCOPE_DIMENSION]: ALL_LOGS },
      statistic: 'Sum',
      period,
      label,
    });
  const everyLog = (statistic: string, label: string) =>
    new MathExpression({
      // A search expression finds every log's series, however many logs there are (graphs only).
      expression: `SEARCH('{${props.namespace},${LOG_DIMENSION}} MetricName="${METRIC.secondsSinceGrowth}"', '${statistic}', 300)`,
      label,
      period,
    });
  const alarmWidgets: IWidget[] = [];
  for (let i = 0; i < props.alarms.length; i += ALARMS_PER_WIDGET) {
    alarmWidgets.push(
      new AlarmStatusWidget({
        title: i === 0 ? 'Alarms' : `Alarms (continued, from ${i + 1})`,
        alarms: props.alarms.slice(i, i + ALARMS_PER_WIDGET) as IAlarm[],
        width: 24,
        height: Math.min(2 + Math.ceil((props.alarms.length - i) / 4), 12),
      }),
    );
  }
  dashboard.addWidgets(
    new TextWidget({
      markdown:
        `## tlog-monitor: ${props.logCount} log${props.logCount === 1 ? '' : 's'}\n\n` +
        'Misbehaviour alerts (with evidence) come from the functions; the alarms below catch ' +
        'missed checks, stale logs and failed runs.',
      width: WIDTH,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: 'Check outcomes, all logs',
      left: [
        across(METRIC.checkSucceeded, 'succeeded'),
        across(METRIC.checkFailed, 'could not check'),
        across(METRIC.misbehaviourDetected, 'misbehaviour'),
      ],
      width: WIDTH,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: 'Dead-letter queue: failed runs waiting',
      left: [
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      ],
      width: WIDTH,
      height: HEIGHT,
    }),
    ...alarmWidgets,
    new GraphWidget({
      title: 'Seconds since growth, every log',
      left: [everyLog('Maximum', '')],
      width: 12,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: 'Successful checks, every log',
      left: [everyLog('SampleCount', '')],
      width: 12,
      height: HEIGHT,
    }),
  );
}

/** One row per log: what it is, its successful checks and its staleness. */
export function addLogRow(
  dashboard: Dashboard,
  log: LogConfig,
  namespace: string,
  intervalMinutes: number,
): void {
  const period = Duration.minutes(Math.max(intervalMinutes, 5));
  const metric = (statistic: string, label: string): Metric =>
    new Metric({
      namespace,
      metricName: METRIC.secondsSinceGrowth,
      dimensionsMap: { [LOG_DIMENSION]: log.name },
      statistic,
      period,
      label,
    });
  dashboard.addWidgets(
    new TextWidget({
      // Markdown; the name, type and interval come from validated config (no markdown-breaking characters in names).
      markdown: `### ${log.name}\n\n${log.type} log, checked every ${log.interval}\n\n${log.url}`,
      width: WIDTH,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${log.name}: successful checks`,
      left: [metric('SampleCount', 'successful checks')],
      width: WIDTH,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${log.name}: seconds since growth`,
      left: [metric('Maximum', 'staleness')],
      width: WIDTH,
      height: HEIGHT,
    }),
  );
}
