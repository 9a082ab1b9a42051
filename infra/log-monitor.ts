/**
 * Everything one monitored log gets: its function (own role, own log group, JSON logs), its
 * EventBridge Scheduler schedule (own role that may invoke only this function), async-invoke
 * retries with a failure destination, its alarms and its outputs. Its metrics are written by the
 * function into its own log (embedded metric format), so its role needs no CloudWatch permission.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  type IAlarmAction,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { LOG_DIMENSION } from '../lib/aws/emf-metrics.ts';
import { type LogConfig, logConfigToJson } from '../lib/config/log-config.ts';
import { BUNDLE_HANDLER } from './bundle.ts';
import { rateExpression } from './deploy-config.ts';
import { functionPolicyStatements } from './function-policy.ts';

/** Metric names the handler declares (docs/contracts.md, "CloudWatch metrics"; lib/aws/emf-metrics.ts says which, with which dimensions). */
export const METRIC = {
  checkSucceeded: 'CheckSucceeded',
  misbehaviourDetected: 'MisbehaviourDetected',
  checkFailed: 'CheckFailed',
  secondsSinceGrowth: 'SecondsSinceGrowth',
} as const;

/**
 * What EventBridge Scheduler sends: the shape of an EventBridge scheduled event, which the
 * handler runs as one check (lib/aws/events.ts). Scheduler fills in the `<aws.scheduler.*>`
 * context attributes at each run.
 */
export const SCHEDULED_EVENT_INPUT = JSON.stringify({
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  time: '<aws.scheduler.scheduled-time>',
  resources: ['<aws.scheduler.schedule-arn>'],
});

export interface LogMonitorProps {
  readonly log: LogConfig;
  /** The log's interval in whole minutes (checked by deploy-config.ts). */
  readonly intervalMinutes: number;
  readonly code: Code;
  readonly tableArn: string;
  readonly tableName: string;
  readonly topicArn: string;
  readonly keyArn: string;
  readonly queueArn: string;
  /** The identity scan's fan-out queue: given to a log with identities (env SCAN_QUEUE_URL). */
  readonly scanQueue?: { readonly arn: string; readonly url: string };
  readonly metricsNamespace: string;
  /** Declare every metric per log (env METRICS_DETAIL=all). */
  readonly detailedMetrics: boolean;
  /** Prefix of the alarm names: the deployment's (root) stack name. */
  readonly alarmNamePrefix: string;
  readonly reminderHours: number | undefined;
  readonly alertAfterFailures: number | undefined;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: RetentionDays;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly missedChecks: number;
  /** The VPC, subnets and security groups the function runs in (logs on a private network). */
  readonly network?: FunctionNetwork;
  /** Undefined: no growth alarm (a frozen log). */
  readonly notGrowingAfter: Duration | undefined;
  readonly alarmAction: IAlarmAction;
}

export class LogMonitor extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: LogGroup;
  readonly schedule: CfnSchedule;
  readonly alarms: readonly Alarm[];
  readonly log: LogConfig;
  private readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: LogMonitorProps) {
    super(scope, id);
    const { log } = props;
    this.log = log;
    this.metricsNamespace = props.metricsNamespace;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });

    const role = new Role(this, 'FunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `tlog-monitor function for log ${log.name}: its own state partition, the alert topic, its metrics`,
    });
    for (const statement of functionPolicyStatements({
      scope: this,
      logName: log.name,
      tableArn: props.tableArn,
      topicArn: props.topicArn,
      keyArn: props.keyArn,
      queueArn: props.queueArn,
      ...(props.scanQueue !== undefined ? { scanQueueArn: props.scanQueue.arn } : {}),
      logGroupName: this.logGroup.logGroupName,
    })) {
      role.addToPrincipalPolicy(statement);
    }
    if (props.network !== undefined) {
      // What AWSLambdaVPCAccessExecutionRole grants, inline: Lambda manages the function's network
      // interfaces in the VPC with the function's role. These actions take no resource scope.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }

    this.function = new LambdaFunction(this, 'Function', {
      ...(props.network === undefined ? {} : networkProps(props.network)),
      description: `tlog-monitor: proves ${log.type} log ${log.name} stays append-only`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      code: props.code,
      handler: BUNDLE_HANDLER,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        LOG_CONFIG: JSON.stringify(logConfigToJson(log)),
        TABLE_NAME: props.tableName,
        TOPIC_ARN: props.topicArn,
        METRICS_NAMESPACE: props.metricsNamespace,
        ...(props.detailedMetrics ? { METRICS_DETAIL: 'all' } : {}),
        ...(props.scanQueue !== undefined ? { SCAN_QUEUE_URL: props.scanQueue.url } : {}),
        ...(props.reminderHours === undefined ? {} : { ALERT_REMINDER: `${props.reminderHours}h` }),
        ...(props.alertAfterFailures === undefined
          ? {}
          : { ALERT_AFTER_FAILURES: String(props.alertAfterFailures) }),
      },
    });
    // Failed async invocations (after the retries) go to the dead-letter queue. A plain
    // destination object, so CDK adds no grants of its own: the role's sqs:SendMessage and KMS
    // statements above are all it needs.
    this.function.configureAsyncInvoke({
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: { bind: () => ({ destination: props.queueArn }) },
    });

    this.schedule = this.createSchedule(props);
    this.alarms = this.createAlarms(props);

    const stack = Stack.of(this);
    new CfnOutput(this, 'FunctionName', {
      description: `Monitor function of log ${log.name}`,
      value: this.function.functionName,
    });
    new CfnOutput(this, 'RecheckCommand', {
      description: `Forces a re-check of log ${log.name} now (re-sends any active alert)`,
      value: `aws lambda invoke --region ${stack.region} --function-name ${this.function.functionName} --payload '{"action":"check"}' --cli-binary-format raw-in-base64-out out.json`,
    });
  }

  /** One schedule at the log's interval; its role may invoke this function and nothing else. */
  private createSchedule(props: LogMonitorProps): CfnSchedule {
    const stack = Stack.of(this);
    const role = new Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler: invokes the tlog-monitor function of log ${props.log.name} only`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'InvokeThisFunctionOnly',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    );
    // Runs that Scheduler could not deliver at all also land in the dead-letter queue.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SendUndeliveredRunsToDeadLetterQueue',
        actions: ['sqs:SendMessage'],
        resources: [props.queueArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AlertsKeyViaSqs',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
      }),
    );
    const intervalSeconds = props.intervalMinutes * 60;
    const schedule = new CfnSchedule(this, 'Schedule', {
      description: `tlog-monitor: check log ${props.log.name} every ${props.log.interval}`,
      scheduleExpression: rateExpression(props.intervalMinutes),
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.functionArn,
        roleArn: role.roleArn,
        input: SCHEDULED_EVENT_INPUT,
        // Scheduler retries only its own delivery; a run older than one interval is superseded
        // by the next one (EventBridge Scheduler allows 60 s to 24 h).
        retryPolicy: {
          maximumEventAgeInSeconds: Math.min(Math.max(intervalSeconds, 60), 86_400),
          maximumRetryAttempts: 2,
        },
        deadLetterConfig: { arn: props.queueArn },
      },
    });
    // The role's policy must exist before the first run (the role itself is already implied).
    schedule.node.addDependency(role.node.findChild('DefaultPolicy'));
    return schedule;
  }

  /** The log's one per-log metric (lib/aws/emf-metrics.ts): written by each clean check. */
  private growthMetric(statistic: string, period: Duration): Metric {
    return new Metric({
      namespace: this.metricsNamespace,
      metricName: METRIC.secondsSinceGrowth,
      dimensionsMap: { [LOG_DIMENSION]: this.log.name },
      statistic,
      period,
    });
  }

  /**
   * Two alarms per log (one for a frozen log), both on the one metric each clean check writes:
   * its sample count says whether a check succeeded, its maximum how long the log has not grown.
   * Misbehaviour is alarmed once for all logs (transparency-log-monitor.ts), and the function
   * itself alerts on it at once with the evidence. Function errors and throttles need no alarm of
   * their own: a run that still fails after its retries lands in the dead-letter queue (alarmed),
   * and a log whose runs fail has no successful check (alarmed here).
   */
  private createAlarms(props: LogMonitorProps): Alarm[] {
    const name = props.log.name;
    const interval = Duration.minutes(props.intervalMinutes);
    const names = logAlarmNames(props.alarmNamePrefix, name);
    const alarms: Alarm[] = [];
    const add = (id: string, alarm: AlarmProps) => {
      const a = new Alarm(this, id, alarm);
      a.addAlarmAction(props.alarmAction);
      a.addOkAction(props.alarmAction);
      alarms.push(a);
    };

    add('NoSuccessfulCheckAlarm', {
      alarmName: names.noSuccessfulCheck,
      alarmDescription:
        `No successful check of log ${name} in ${props.missedChecks} intervals of ${props.log.interval}: ` +
        'the log is unreachable or answering badly, it misbehaved, or the monitor itself is broken ' +
        '(no data counts as failure).',
      metric: this.growthMetric('SampleCount', interval),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: props.missedChecks,
      datapointsToAlarm: props.missedChecks,
      treatMissingData: TreatMissingData.BREACHING,
    });
    if (props.notGrowingAfter !== undefined) {
      add('NotGrowingAlarm', {
        alarmName: names.notGrowing,
        alarmDescription: `Log ${name} has not grown for more than ${props.notGrowingAfter.toHumanString()}.`,
        metric: this.growthMetric('Maximum', interval),
        threshold: props.notGrowingAfter.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // Missing data is the no-successful-check alarm's business.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    return alarms;
  }
}

/** Where a monitor function runs when its logs are inside a VPC or reached over a VPN / Direct Connect. */
export interface FunctionNetwork {
  readonly vpc: IVpc;
  /** Default: the VPC's private subnets (CDK's default selection). */
  readonly vpcSubnets?: SubnetSelection;
  /** Default: one security group per function, outbound open, created by CDK. */
  readonly securityGroups?: readonly ISecurityGroup[];
}

function networkProps(n: FunctionNetwork): {
  vpc: IVpc;
  vpcSubnets?: SubnetSelection;
  securityGroups?: ISecurityGroup[];
} {
  return {
    vpc: n.vpc,
    ...(n.vpcSubnets === undefined ? {} : { vpcSubnets: n.vpcSubnets }),
    ...(n.securityGroups === undefined ? {} : { securityGroups: [...n.securityGroups] }),
  };
}

/**
 * The names of a log's alarms. Named, not generated, so that the dashboard in the parent stack
 * can list them without a reference into the nested stack that holds them.
 */
export function logAlarmNames(
  prefix: string,
  logName: string,
): { noSuccessfulCheck: string; notGrowing: string } {
  return {
    noSuccessfulCheck: `${prefix}-${logName}-no-successful-check`,
    notGrowing: `${prefix}-${logName}-not-growing`,
  };
}
