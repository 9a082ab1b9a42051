/**
 * The least-privilege policy of one log's monitor function: every action named (no wildcard
 * actions), every resource the narrowest IAM allows.
 *
 * - DynamoDB: the calls lib/aws/dynamodb-store.ts makes (GetItem, PutItem, UpdateItem, Query;
 *   its TransactWriteItems needs PutItem for each Put), only on the state table and only on items
 *   whose partition key is the function's own `LOG#<name>` (condition `dynamodb:LeadingKeys`).
 *   test/infra/function-policy.test.ts derives this list from the adapters' source.
 * - SNS: Publish to the alert topic only.
 * - KMS: the data-key calls SNS and SQS make on the publisher's behalf for the alerts key, and
 *   only through those two services (`kms:ViaService`).
 * - CloudWatch: nothing. The metrics are written into the function's log in the embedded metric
 *   format (lib/aws/emf-metrics.ts), which CloudWatch Logs turns into metrics.
 * - SQS: SendMessage to the failure destination (Lambda sends failed async events with the
 *   function's role), and for a log with identities to the identity scan's queue (fan-out ranges;
 *   SendMessageBatch is authorised as sqs:SendMessage).
 * - DynamoDB DeleteItem, for a log whose scan fans out: the scan store deletes the RANGE# results
 *   it has committed (IAM has no condition on the sort key; the partition condition still holds).
 * - CloudWatch Logs: streams and events in the function's own log group only.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** DynamoDB actions the state store needs; nothing else (no Scan, no DeleteItem, no table admin). */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

/** With the identity scan's fan-out: the scan store deletes the RANGE# results it committed. */
export const FAN_OUT_TABLE_ACTIONS = ['dynamodb:DeleteItem'] as const;

/** The partition key of a log's items (docs/contracts.md, "DynamoDB state"). */
export function partitionKey(logName: string): string {
  return `LOG#${logName}`;
}

export interface FunctionPolicyInput {
  readonly scope: IConstruct;
  readonly logName: string;
  readonly tableArn: string;
  readonly topicArn: string;
  readonly keyArn: string;
  readonly queueArn: string;
  /** The identity scan's fan-out queue, for a log with identities when the fan-out is deployed. */
  readonly scanQueueArn?: string;
  /** The function's own log group. */
  readonly logGroupName: string;
}

export function functionPolicyStatements(input: FunctionPolicyInput): PolicyStatement[] {
  const stack = Stack.of(input.scope);
  const logStreams = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `${input.logGroupName}:log-stream:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  /** One Allow statement: named actions on one resource, with optional conditions. */
  const allow = (sid: string, actions: string[], resource: string, conditions?: Record<string, unknown>) =>
    new PolicyStatement({
      sid,
      effect: Effect.ALLOW,
      actions,
      resources: [resource],
      ...(conditions ? { conditions } : {}),
    });
  return [
    allow(
      'OwnPartitionOfStateTable',
      [...STATE_TABLE_ACTIONS, ...(input.scanQueueArn !== undefined ? FAN_OUT_TABLE_ACTIONS : [])],
      input.tableArn,
      { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [partitionKey(input.logName)] } },
    ),
    allow('PublishAlerts', ['sns:Publish'], input.topicArn),
    allow('AlertsKeyViaSnsAndSqs', ['kms:GenerateDataKey', 'kms:Decrypt'], input.keyArn, {
      StringEquals: {
        'kms:ViaService': [`sns.${stack.region}.amazonaws.com`, `sqs.${stack.region}.amazonaws.com`],
      },
    }),
    allow('SendFailedEventsToDeadLetterQueue', ['sqs:SendMessage'], input.queueArn),
    ...(input.scanQueueArn !== undefined
      ? [allow('SendScanRangesToScanQueue', ['sqs:SendMessage'], input.scanQueueArn)]
      : []),
    allow('WriteOwnLogGroup', ['logs:CreateLogStream', 'logs:PutLogEvents'], logStreams),
  ];
}
