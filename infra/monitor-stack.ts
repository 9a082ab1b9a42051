/**
 * The deployable stack: one TransparencyLogMonitor built from a validated config file.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { MonitorConfig } from '../lib/config/config-file.ts';
import { TransparencyLogMonitor, type TransparencyLogMonitorProps } from './transparency-log-monitor.ts';

export interface MonitorStackProps extends StackProps {
  /** The parsed config file: logs, alert emails, reminder hours. */
  readonly config: MonitorConfig;
  /** Settings the config file does not hold (alarm thresholds, function sizing, code). Default: the construct's. */
  readonly monitor?: Omit<
    TransparencyLogMonitorProps,
    'logs' | 'alertEmails' | 'reminderHours' | 'alertAfterFailures'
  >;
}

export class MonitorStack extends Stack {
  readonly monitor: TransparencyLogMonitor;

  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.monitor = new TransparencyLogMonitor(this, 'Monitor', {
      ...props.monitor,
      logs: config.logs,
      ...(config.alerts?.emails === undefined ? {} : { alertEmails: config.alerts.emails }),
      ...(config.alerts?.reminderHours === undefined ? {} : { reminderHours: config.alerts.reminderHours }),
      ...(config.alerts?.afterFailures === undefined
        ? {}
        : { alertAfterFailures: config.alerts.afterFailures }),
    });
  }
}
