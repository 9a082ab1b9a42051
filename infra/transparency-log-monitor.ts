/**
 * TransparencyLogMonitor: a reusable construct that monitors transparency logs on AWS.
 *
 * Shared: the state table, a KMS key, the alert topic (email subscriptions), a dead-letter queue
 * for failed runs, the misbehaviour alarm for all logs, one dashboard. Per log (LogMonitor): a
 * function from the one shared bundle, its schedule, its alarms and its outputs. See docs/contracts.md
 * ("Lambda contract", "State", "Metrics", "Alerts") for the contracts the handler relies on.
 *
 * Where the per-log constructs go (CloudFormation allows 500 resources per stack): when there are
 * at most `logsPerStack` logs, in this construct's own stack; otherwise in nested stacks
 * `Logs1`, `Logs2`, ... of `logsPerStack` logs each, in config order (log-groups.ts). The shared
 * resources always stay here; a nested stack receives them as parameters and refers to nothing
 * back (nothing in this stack reads a nested stack's attributes or outputs), so `cdk deploy`
 * of the one parent stack deploys everything.
 */
import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  type IAlarmAction,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AssetCode, Code } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALL_LOGS, SCOPE_DIMENSION } from '../lib/aws/emf-metrics.ts';
import { ConfigIssues } from '../lib/config/issues.ts';
import type { LogConfig } from '../lib/config/log-config.ts';
import { TlogError } from '../lib/errors.ts';
import { buildHandlerBundle, SCAN_WORKER_ENTRY } from './bundle.ts';
import { addLogRow, addOverview, MAX_LOG_ROWS } from './dashboard-row.ts';
import { scheduleMinutes, validateForDeployment } from './deploy-config.ts';
import { groupScopes, limitResources } from './log-groups.ts';
import { LogMonitor, logAlarmNames, METRIC } from './log-monitor.ts';
import { ScanFanOut } from './scan-fan-out.ts';

export const DEFAULT_METRICS_NAMESPACE = 'TransparencyLogMonitor';

export interface TransparencyLogMonitorProps {
  /** The logs to monitor (see lib/config). Required: at least one; names unique ignoring case. */
  readonly logs: readonly LogConfig[];
  /** Addresses subscribed to the alert topic; each must confirm by email. Default: none. */
  readonly alertEmails?: readonly string[];
  /** Hours between reminders while an alert condition persists. Default: the handler's (6 h). */
  readonly reminderHours?: number;
  /**
   * Checks in a row that must fail (the log could not be checked) before the first alert about
   * it; misbehaviour is alerted at once. Default: the handler's (3).
   */
  readonly alertAfterFailures?: number;
  /** CloudWatch namespace of the metrics. Default: `TransparencyLogMonitor`. */
  readonly metricsNamespace?: string;
  /**
   * Consecutive intervals without a successful check (missing data counts) before the
   * no-successful-check alarm fires. Default: 3.
   */
  readonly missedChecks?: number;
  /** How long a log may go without growing before its growth alarm fires. Default: 6 hours. */
  readonly notGrowingAfter?: Duration;
  /**
   * Run every function in this VPC (logs on a private network, or reached over a VPN or Direct
   * Connect). Without it the functions run outside any VPC, as before.
   */
  readonly vpc?: IVpc;
  /** Subnets for the functions (only with `vpc`). Default: the VPC's private subnets. */
  readonly vpcSubnets?: SubnetSelection;
  /** Security groups for the functions (only with `vpc`). Default: one per function, egress only. */
  readonly securityGroups?: readonly ISecurityGroup[];
  /** Logs expected never to grow (frozen logs): they get no growth alarm. Default: none. */
  readonly frozenLogs?: readonly string[];
  /** Memory of each function, in MB. Default: 256. */
  readonly memorySize?: number;
  /** Timeout of each function. Default: 60 seconds. */
  readonly timeout?: Duration;
  /** Retention of each function's log group. Default: one year. */
  readonly logRetention?: RetentionDays;
  /** Retries of a failed async invocation (0 to 2) before it goes to the dead-letter queue. Default: 2. */
  readonly retryAttempts?: number;
  /** How long an async invocation may wait to run or be retried (1 minute to 6 hours). Default: 1 hour. */
  readonly maxEventAge?: Duration;
  /**
   * Declare every metric per log, not only those the alarms need (each is one more billed custom
   * metric per log; lib/aws/emf-metrics.ts). Default: false.
   */
  readonly detailedMetrics?: boolean;
  /**
   * The most logs in one stack. With more logs than this, they go into nested stacks of this many
   * logs each. Default: 40 (about 10 resources per log, under CloudFormation's 500 per stack).
   */
  readonly logsPerStack?: number;
  /**
   * The function code, shared by every function. Default: functions/monitor.ts bundled once
   * with esbuild (see bundle.ts).
   */
  readonly code?: Code;
  /** The identity scan worker's code. Default: functions/scan-worker.ts bundled with esbuild. */
  readonly scanWorkerCode?: Code;
  /**
   * Most scan workers at once, when some log has `identities` (SQS event source
   * maxConcurrency, 2 to 1000). Default: 10.
   */
  readonly scanConcurrency?: number;
}

const DEFAULTS = {
  metricsNamespace: DEFAULT_METRICS_NAMESPACE,
  missedChecks: 3,
  notGrowingAfter: Duration.hours(6),
  memorySize: 256,
  timeout: Duration.seconds(60),
  logRetention: RetentionDays.ONE_YEAR,
  retryAttempts: 2,
  maxEventAge: Duration.hours(1),
  logsPerStack: 40,
} as const;

export class TransparencyLogMonitor extends Construct {
  readonly table: Table;
  readonly key: Key;
  readonly topic: Topic;
  readonly deadLetterQueue: Queue;
  readonly dashboard: Dashboard;
  /** Fires when any log misbehaved (the shared `MisbehaviourDetected` metric). */
  readonly misbehaviourAlarm: Alarm;
  readonly monitors: readonly LogMonitor[];
  /** The identity scan's fan-out (queue, worker, alarms): present when some log has identities. */
  readonly scanFanOut?: ScanFanOut;

  constructor(scope: Construct, id: string, props: TransparencyLogMonitorProps) {
    super(scope, id);
    const config = validateForDeployment(
      {
        logs: props.logs,
        ...(props.alertEmails === undefined &&
        props.reminderHours === undefined &&
        props.alertAfterFailures === undefined
          ? {}
          : {
              alerts: {
                ...(props.alertEmails === undefined ? {} : { emails: props.alertEmails }),
                ...(props.reminderHours === undefined ? {} : { reminderHours: props.reminderHours }),
                ...(props.alertAfterFailures === undefined
                  ? {}
                  : { afterFailures: props.alertAfterFailures }),
              },
            }),
      },
      `${this.node.path}: props`,
    );
    const { logs } = config;
    const settings = checkSettings(props, logs, this.node.path);
    const stack = Stack.of(this);

    this.table = new Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // The audit trail and the misbehaviour evidence outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
    });

    this.key = new Key(this, 'AlertsKey', {
      description: 'tlog-monitor: encrypts the alert topic and the dead-letter queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic: SNS then needs CloudWatch to be allowed
    // to use the key (docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). Only on behalf
    // of this account's alarms: without aws:SourceAccount / aws:SourceArn, another account's
    // alarm could make CloudWatch use this key (the confused-deputy problem).
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm:*' }) },
    };
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );

    this.topic = new Topic(this, 'AlertTopic', {
      displayName: 'tlog-monitor alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    for (const email of config.alerts?.emails ?? []) this.topic.addSubscription(new EmailSubscription(email));
    const alarmAction: IAlarmAction = new SnsAction(this.topic);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the monitor functions and schedules; ' +
        'a queue behind it would add nothing. Messages are kept 14 days and any message raises an alarm.',
    });
    const alarmNamePrefix = stack.stackName;
    const dlqAlarmName = `${alarmNamePrefix}-dead-letter-queue`;
    const dlqAlarm = new Alarm(this, 'DeadLetterQueueAlarm', {
      alarmName: dlqAlarmName,
      alarmDescription:
        'A monitor run failed after its retries, or a schedule could not invoke its function: ' +
        'the failed event is in the dead-letter queue (it names the function).',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    dlqAlarm.addAlarmAction(alarmAction);
    dlqAlarm.addOkAction(alarmAction);

    const misbehaviourAlarmName = `${alarmNamePrefix}-misbehaviour`;
    this.misbehaviourAlarm = new Alarm(this, 'MisbehaviourAlarm', {
      alarmName: misbehaviourAlarmName,
      alarmDescription:
        'CRITICAL: a monitored log misbehaved (fork, rollback, inconsistent proof or bad signature). ' +
        'The function sent an alert naming the log, with the evidence; the evidence is also in the ' +
        'state table under EVIDENCE#.',
      // One series for all logs (lib/aws/emf-metrics.ts): one billed metric and alarm, not one per log.
      metric: new Metric({
        namespace: settings.metricsNamespace,
        metricName: METRIC.misbehaviourDetected,
        dimensionsMap: { [SCOPE_DIMENSION]: ALL_LOGS },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.misbehaviourAlarm.addAlarmAction(alarmAction);
    this.misbehaviourAlarm.addOkAction(alarmAction);

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });

    const scanning = logs.some((l) => l.identities !== undefined);
    if (scanning) {
      const concurrency = props.scanConcurrency ?? 10;
      if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000) {
        throw new TlogError(
          'config/invalid',
          `${this.node.path}: props: scanConcurrency must be a whole number from 2 to 1000 (SQS event source maxConcurrency), got ${concurrency}`,
        );
      }
      this.scanFanOut = new ScanFanOut(this, 'ScanFanOut', {
        code: props.scanWorkerCode ?? Code.fromAsset(buildHandlerBundle({ entry: SCAN_WORKER_ENTRY }).dir),
        key: this.key,
        tableArn: this.table.tableArn,
        tableName: this.table.tableName,
        topicArn: this.topic.topicArn,
        metricsNamespace: settings.metricsNamespace,
        alarmNamePrefix,
        alarmAction,
        logRetention: settings.logRetention,
        maxConcurrency: concurrency,
        timeout: Duration.minutes(5),
        memorySize: 1024,
        maxReceiveCount: 5,
        behindAfter: Duration.hours(1),
      });
    }
    const scanQueue = this.scanFanOut && {
      arn: this.scanFanOut.queue.queueArn,
      url: this.scanFanOut.queue.queueUrl,
    };

    const code = codePerStack(props.code ?? Code.fromAsset(buildHandlerBundle().dir));
    const frozen = new Set((props.frozenLogs ?? []).map((n) => n.toLowerCase()));
    const scopes = groupScopes(this, logs.length, settings.logsPerStack);
    this.monitors = logs.map((log, i) => {
      const minutes = scheduleMinutes(log) as { minutes: number };
      const monitor = new LogMonitor(scopes[i] as Construct, `Log-${log.name}`, {
        log,
        intervalMinutes: minutes.minutes,
        code: code(scopes[i] as Construct),
        tableArn: this.table.tableArn,
        tableName: this.table.tableName,
        topicArn: this.topic.topicArn,
        keyArn: this.key.keyArn,
        queueArn: this.deadLetterQueue.queueArn,
        ...(scanQueue !== undefined && log.identities !== undefined ? { scanQueue } : {}),
        metricsNamespace: settings.metricsNamespace,
        detailedMetrics: props.detailedMetrics ?? false,
        alarmNamePrefix,
        reminderHours: config.alerts?.reminderHours,
        alertAfterFailures: config.alerts?.afterFailures,
        memorySize: settings.memorySize,
        timeout: settings.timeout,
        logRetention: settings.logRetention,
        retryAttempts: settings.retryAttempts,
        maxEventAge: settings.maxEventAge,
        missedChecks: settings.missedChecks,
        // Frozen by name (props) or by its trusted root (validFor.end passed): no growth alarm.
        notGrowingAfter:
          frozen.has(log.name.toLowerCase()) || log.frozen === true ? undefined : settings.notGrowingAfter,
        ...(props.vpc === undefined
          ? {}
          : {
              network: {
                vpc: props.vpc,
                ...(props.vpcSubnets === undefined ? {} : { vpcSubnets: props.vpcSubnets }),
                ...(props.securityGroups === undefined ? {} : { securityGroups: props.securityGroups }),
              },
            }),
        alarmAction,
      });
      Validations.of(monitor).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<${logGroupLogicalId(monitor)}>:log-stream:*]`,
        reason:
          'Lambda names its log streams at run time; the statement is limited to the streams of ' +
          "this function's own log group.",
      });
      if (props.vpc !== undefined) {
        Validations.of(monitor).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'In a VPC, the network-interface actions Lambda needs (AWSLambdaVPCAccessExecutionRole, ' +
            'inline: ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DeleteNetworkInterface, ...) ' +
            'support no resource-level scope.',
        });
      }
      return monitor;
    });
    limitResources(this, scopes);

    // Alarms by name (log-monitor.ts names them), so the dashboard refers into no nested stack,
    // and its body needs no alarm's attributes (an emulator that creates no alarms can deploy it).
    const alarmArns = [
      misbehaviourAlarmName,
      dlqAlarmName,
      ...this.monitors.flatMap((m) => {
        const names = logAlarmNames(alarmNamePrefix, m.log.name);
        return frozen.has(m.log.name.toLowerCase())
          ? [names.noSuccessfulCheck]
          : [names.noSuccessfulCheck, names.notGrowing];
      }),
    ].map((n) =>
      stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: n,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    addOverview(this.dashboard, {
      namespace: settings.metricsNamespace,
      logCount: logs.length,
      alarms: alarmArns.map((arn, i) => Alarm.fromAlarmArn(this, `DashboardAlarm${i}`, arn)),
      deadLetterQueue: this.deadLetterQueue,
    });
    // A dashboard holds at most 500 widgets: rows per log (3 widgets each) only up to
    // MAX_LOG_ROWS logs; the overview's graphs show every log whatever their number.
    for (const m of this.monitors.length <= MAX_LOG_ROWS ? this.monitors : []) {
      addLogRow(
        this.dashboard,
        m.log,
        settings.metricsNamespace,
        (scheduleMinutes(m.log) as { minutes: number }).minutes,
      );
    }

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description }).overrideLogicalId(id);
    output(
      'StateTableName',
      this.table.tableName,
      'DynamoDB table of heads, audit trail, evidence and alert state',
    );
    output('AlertTopicArn', this.topic.topicArn, 'SNS topic of the alerts and alarms (subscribe here)');
    output(
      'DeadLetterQueueUrl',
      this.deadLetterQueue.queueUrl,
      'SQS queue of monitor runs that failed after their retries (each message names its function)',
    );
    output(
      'DashboardUrl',
      `https://${stack.region}.console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards:name=${this.dashboard.dashboardName}`,
      'CloudWatch dashboard: alarm status, dead-letter queue, summary across logs, one row per log',
    );
  }
}

/**
 * The function code for a scope: a code asset belongs to one stack, so each nested stack gets its
 * own instance of the same directory (the same content hash: one S3 object).
 */
function codePerStack(shared: Code): (scope: Construct) => Code {
  const byStack = new Map<Stack, Code>();
  return (scope) => {
    const stack = Stack.of(scope);
    let code = byStack.get(stack);
    if (!code) {
      code = byStack.size === 0 || !(shared instanceof AssetCode) ? shared : new AssetCode(shared.path);
      byStack.set(stack, code);
    }
    return code;
  };
}

function logGroupLogicalId(monitor: LogMonitor): string {
  return Stack.of(monitor).getLogicalId(monitor.logGroup.node.defaultChild as CfnElement);
}

interface Settings {
  readonly metricsNamespace: string;
  readonly missedChecks: number;
  readonly notGrowingAfter: Duration;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: RetentionDays;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly logsPerStack: number;
}

/** Validates the construct's settings; throws TlogError `config/invalid` naming each bad one. */
function checkSettings(
  props: TransparencyLogMonitorProps,
  logs: readonly LogConfig[],
  path: string,
): Settings {
  const s: Settings = {
    metricsNamespace: props.metricsNamespace ?? DEFAULTS.metricsNamespace,
    missedChecks: props.missedChecks ?? DEFAULTS.missedChecks,
    notGrowingAfter: props.notGrowingAfter ?? DEFAULTS.notGrowingAfter,
    memorySize: props.memorySize ?? DEFAULTS.memorySize,
    timeout: props.timeout ?? DEFAULTS.timeout,
    logRetention: props.logRetention ?? DEFAULTS.logRetention,
    retryAttempts: props.retryAttempts ?? DEFAULTS.retryAttempts,
    maxEventAge: props.maxEventAge ?? DEFAULTS.maxEventAge,
    logsPerStack: props.logsPerStack ?? DEFAULTS.logsPerStack,
  };
  const issues = new ConfigIssues();
  const at = (field: string) => `${path}: ${field}`;
  if (props.vpc === undefined && (props.vpcSubnets !== undefined || props.securityGroups !== undefined)) {
    issues.add(at('vpcSubnets'), 'vpcSubnets and securityGroups need vpc (the VPC they belong to)');
  }
  if (!/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(s.metricsNamespace) || s.metricsNamespace.startsWith('AWS/')) {
    issues.add(
      at('metricsNamespace'),
      `must be 1 to 255 of letters, digits and .-_/#: not starting with "AWS/", got ${JSON.stringify(s.metricsNamespace)}`,
    );
  }
  if (!Number.isInteger(s.missedChecks) || s.missedChecks < 1) {
    issues.add(at('missedChecks'), `must be a whole number, at least 1, got ${s.missedChecks}`);
  } else {
    // CloudWatch: period x evaluation periods is at most 1 day for periods under an hour, else 7 days.
    logs.forEach((log, i) => {
      const limit = log.intervalMs < 3_600_000 ? 86_400_000 : 604_800_000;
      if (log.intervalMs * s.missedChecks > limit) {
        issues.add(
          `${path}: logs[${i}] (${JSON.stringify(log.name)}).interval`,
          `${s.missedChecks} missed checks of ${log.interval} exceed the ${limit / 86_400_000}-day window a CloudWatch alarm can evaluate; lower missedChecks or the interval`,
        );
      }
    });
  }
  if (s.notGrowingAfter.toSeconds() < 60) {
    issues.add(at('notGrowingAfter'), `must be at least 1 minute, got ${s.notGrowingAfter.toHumanString()}`);
  }
  const known = new Set(logs.map((l) => l.name.toLowerCase()));
  (props.frozenLogs ?? []).forEach((n, i) => {
    if (!known.has(n.toLowerCase()))
      issues.add(at(`frozenLogs[${i}]`), `names no configured log, got ${JSON.stringify(n)}`);
  });
  if (!Number.isInteger(s.memorySize) || s.memorySize < 128 || s.memorySize > 10_240) {
    issues.add(at('memorySize'), `must be a whole number of MB from 128 to 10240, got ${s.memorySize}`);
  }
  const timeout = s.timeout.toSeconds();
  if (timeout < 1 || timeout > 900) {
    issues.add(at('timeout'), `must be 1 s to 15 min, got ${s.timeout.toHumanString()}`);
  } else {
    // A check makes at least two requests to the log; one of them must not outlast the function.
    logs.forEach((log, i) => {
      if (log.timeoutMs !== undefined && log.timeoutMs >= timeout * 1000) {
        issues.add(
          `${path}: logs[${i}] (${JSON.stringify(log.name)}).timeoutMs`,
          `must be below the function timeout (${timeout * 1000} ms), got ${log.timeoutMs}; lower it or raise the timeout`,
        );
      }
    });
  }
  if (!Number.isInteger(s.retryAttempts) || s.retryAttempts < 0 || s.retryAttempts > 2) {
    issues.add(at('retryAttempts'), `must be 0, 1 or 2, got ${s.retryAttempts}`);
  }
  const age = s.maxEventAge.toSeconds();
  if (age < 60 || age > 21_600)
    issues.add(at('maxEventAge'), `must be 1 minute to 6 hours, got ${s.maxEventAge.toHumanString()}`);
  if (!Number.isInteger(s.logsPerStack) || s.logsPerStack < 1) {
    issues.add(at('logsPerStack'), `must be a whole number, at least 1, got ${s.logsPerStack}`);
  }
  issues.throwIfAny();
  return s;
}
