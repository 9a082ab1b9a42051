/**
 * The identity scan's fan-out on AWS (issue 11 §5; README "Identity monitoring on AWS"): created
 * once when any log has `identities`.
 *
 *  - the scan queue: range work items from the monitor functions (KMS-encrypted with the stack's
 *    key, TLS only), a dead-letter queue after `maxReceiveCount` failed attempts;
 *  - the shared scan worker: functions/scan-worker.ts bundled like the monitor (Node 24, ARM64),
 *    fed by an SQS event source mapping with batch size 1, partial batch failures and bounded
 *    concurrency (`maxConcurrency`), so a large backlog never takes more than that many Lambdas;
 *  - alarms: "stuck range" (a work item in the dead-letter queue: a range that could not be read
 *    or proven after its retries) and "scan falls behind" (the oldest waiting range is older than
 *    `behindAfter`).
 *
 * The worker's role (least privilege): consume this queue only (the event source's grant); on the state table, GetItem (the
 * scan cursor and alert state), PutItem (RANGE# results, evidence, alert claims), UpdateItem
 * (alert state) and Query (alert state), on items whose partition key starts with `LOG#`. It
 * serves every log with identities, so it cannot be pinned to one partition the way a monitor
 * function is (IAM has no condition on the sort key); `LOG#*` is every partition the monitor
 * writes. SNS Publish to the alert topic (a range not in the tree is alerted with its evidence),
 * KMS through SNS and SQS only, its own log group.
 */
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  type Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLE_HANDLER } from './bundle.ts';

/** DynamoDB actions the worker's adapters call (scan store, state store for evidence and alerts). */
export const WORKER_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

export interface ScanFanOutProps {
  readonly code: Code;
  readonly key: Key;
  readonly tableArn: string;
  readonly tableName: string;
  readonly topicArn: string;
  readonly metricsNamespace: string;
  readonly alarmNamePrefix: string;
  readonly alarmAction: IAlarmAction;
  readonly logRetention: RetentionDays;
  /** Most worker Lambdas at once (SQS event source maxConcurrency, 2 to 1000). */
  readonly maxConcurrency: number;
  /** Worker timeout: one range must be read and proven within it. */
  readonly timeout: Duration;
  readonly memorySize: number;
  /** Attempts at a range before it goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** The scan-falls-behind alarm: the oldest waiting range is older than this. */
  readonly behindAfter: Duration;
}

export class ScanFanOut extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: LambdaFunction;
  readonly stuckRangeAlarm: Alarm;
  readonly behindAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ScanFanOutProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deadLetterQueue = new Queue(this, 'ScanDeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the scan queue: a queue behind it would add nothing. ' +
        'Any message in it raises the stuck-range alarm.',
    });
    this.queue = new Queue(this, 'ScanQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // AWS: at least six times the function timeout for an SQS event source.
      visibilityTimeout: Duration.seconds(props.timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });

    const logGroup = new LogGroup(this, 'WorkerLogs', { retention: props.logRetention });
    const role = new Role(this, 'WorkerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'tlog-monitor scan worker: reads ranges of logs with identities, stores RANGE# results',
    });
    const allow = (sid: string, actions: string[], resource: string, conditions?: Record<string, unknown>) =>
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid,
          effect: Effect.ALLOW,
          actions,
          resources: [resource],
          ...(conditions ? { conditions } : {}),
        }),
      );
    allow('LogPartitionsOfStateTable', [...WORKER_TABLE_ACTIONS], props.tableArn, {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LOG#*'] },
    });
    allow('PublishRangeAlerts', ['sns:Publish'], props.topicArn);
    allow('StackKeyViaSnsAndSqs', ['kms:GenerateDataKey', 'kms:Decrypt'], props.key.keyArn, {
      StringEquals: {
        'kms:ViaService': [`sns.${stack.region}.amazonaws.com`, `sqs.${stack.region}.amazonaws.com`],
      },
    });
    allow(
      'WriteOwnLogGroup',
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `${logGroup.logGroupName}:log-stream:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<${stack.getLogicalId(logGroup.node.defaultChild as never)}>:log-stream:*]`,
      reason:
        'Lambda names its log streams at run time; the statement is limited to the streams of the ' +
        "worker's own log group.",
    });

    this.worker = new LambdaFunction(this, 'Worker', {
      description: 'tlog-monitor: scans identity-scan ranges of logs (fan-out worker)',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      code: props.code,
      handler: BUNDLE_HANDLER,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        TABLE_NAME: props.tableName,
        TOPIC_ARN: props.topicArn,
        METRICS_NAMESPACE: props.metricsNamespace,
        // A larger young generation: the scan allocates per entry, and fewer scavenges took the
        // Rekor v1 pipeline from 18,100-22,200 to 22,400-22,700 entries per CPU-second (BENCHMARKS.md,
        // "Identity monitoring performance"). 64 MB semi-spaces fit the worker's 1 GB.
        NODE_OPTIONS: '--max-semi-space-size=64',
      },
    });
    // The mapping grants the consumption of this queue only (ReceiveMessage, DeleteMessage,
    // ChangeMessageVisibility, GetQueueAttributes, GetQueueUrl, and kms:Decrypt on its key).
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: props.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    const add = (id: string, alarm: ConstructorParameters<typeof Alarm>[2]) => {
      const a = new Alarm(this, id, alarm);
      a.addAlarmAction(props.alarmAction);
      a.addOkAction(props.alarmAction);
      return a;
    };
    this.stuckRangeAlarm = add('StuckRangeAlarm', {
      alarmName: `${props.alarmNamePrefix}-scan-stuck-range`,
      alarmDescription:
        'An identity-scan range failed all its attempts and is in the scan dead-letter queue (its ' +
        'message names the log and the range). The scan of that log cannot pass it: see the worker ' +
        'log for why (log unreachable, or entries not in the tree: then an inconsistent alert was ' +
        'sent with evidence). Redrive the message once the cause is gone.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.behindAlarm = add('ScanBehindAlarm', {
      alarmName: `${props.alarmNamePrefix}-scan-falls-behind`,
      alarmDescription: `An identity-scan range has waited more than ${props.behindAfter.toHumanString()} for a worker: the scan falls behind the logs (raise the worker concurrency, or look for failing ranges).`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: props.behindAfter.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
