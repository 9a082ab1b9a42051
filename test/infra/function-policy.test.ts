/**
 * The function policy grants what the Lambda's AWS adapters call, and no more: the SDK commands
 * used in functions/ and lib/aws/ are read from their source and mapped to IAM actions
 * (a TransactWriteItems Put needs dynamodb:PutItem, and so on), so a new call without a grant,
 * or a grant nobody uses, fails here rather than in production.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import {
  FAN_OUT_TABLE_ACTIONS,
  functionPolicyStatements,
  partitionKey,
  STATE_TABLE_ACTIONS,
} from '../../infra/function-policy.ts';
import { logKey } from '../../lib/aws/dynamodb-access.ts';

const ROOT = new URL('../../', import.meta.url);
const sources = ['functions/', 'lib/aws/'].flatMap((dir) =>
  readdirSync(new URL(dir, ROOT))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(new URL(`${dir}${f}`, ROOT), 'utf8')),
);
const code = sources.join('\n');

/** IAM actions implied by `new XCommand(` calls and the item operations inside transactions. */
function requiredActions(): Set<string> {
  const byCommand: Record<string, string[]> = {
    GetItem: ['dynamodb:GetItem'],
    PutItem: ['dynamodb:PutItem'],
    UpdateItem: ['dynamodb:UpdateItem'],
    DeleteItem: ['dynamodb:DeleteItem'],
    Query: ['dynamodb:Query'],
    Scan: ['dynamodb:Scan'],
    BatchGetItem: ['dynamodb:BatchGetItem'],
    BatchWriteItem: ['dynamodb:BatchWriteItem'],
    TransactGetItems: ['dynamodb:GetItem'],
    TransactWriteItems: [], // per item below
    Publish: ['sns:Publish'],
    // The identity scan's fan-out (lib/aws/sqs-range-queue.ts); SQS authorises a batch as SendMessage.
    SendMessageBatch: ['sqs:SendMessage'],
  };
  const actions = new Set<string>();
  for (const m of code.matchAll(/new (\w+)Command\(/g)) {
    const name = m[1] as string;
    const mapped = byCommand[name];
    assert.ok(mapped, `the policy test does not know the SDK command ${name}Command; map it to IAM actions`);
    for (const a of mapped) actions.add(a);
  }
  if (code.includes('TransactWriteItemsCommand(')) {
    const items: Record<string, string> = {
      Put: 'dynamodb:PutItem',
      Update: 'dynamodb:UpdateItem',
      Delete: 'dynamodb:DeleteItem',
      ConditionCheck: 'dynamodb:ConditionCheckItem',
    };
    for (const [op, action] of Object.entries(items)) {
      if (new RegExp(`\\b${op}: \\{`).test(code)) actions.add(action);
    }
  }
  return actions;
}

const stack = new Stack(new App(), 'S');
const statements = functionPolicyStatements({
  scope: stack,
  logName: 'rekor',
  tableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t',
  topicArn: 'arn:aws:sns:eu-west-1:111122223333:topic',
  keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
  queueArn: 'arn:aws:sqs:eu-west-1:111122223333:q',
  // A log with identities whose scan fans out: every adapter call is made.
  scanQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:scan',
  logGroupName: 'group',
}).map((s) => s.toStatementJson() as { Action: string | string[]; Sid: string });
const granted = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

test('every DynamoDB and SNS call of the handler is granted', () => {
  const required = requiredActions();
  assert.ok(required.has('dynamodb:GetItem') && required.has('sns:Publish'));
  for (const action of required) assert.ok(granted.has(action), `${action} is called but not granted`);
});

test('no CloudWatch permission: the metrics go out in the log (embedded metric format)', () => {
  assert.deepEqual(
    [...granted].filter((a) => a.startsWith('cloudwatch:')),
    [],
  );
});

test('no DynamoDB action is granted that the handler does not call', () => {
  const required = requiredActions();
  const listed = [...STATE_TABLE_ACTIONS, ...FAN_OUT_TABLE_ACTIONS];
  for (const action of listed) assert.ok(required.has(action), `${action} is granted but never called`);
  assert.equal([...granted].filter((a) => a.startsWith('dynamodb:')).length, listed.length);
});

test('partition keys follow docs/contracts.md ("pk = LOG#<name>") and are the keys the store writes', () => {
  assert.equal(partitionKey('rekor'), 'LOG#rekor');
  // The policy's LeadingKeys must be exactly the store's pk, or the function is denied its own items.
  for (const name of ['rekor', 'sigstore-ctfe-2022', 'a.b_c-D', 'x']) {
    assert.equal(partitionKey(name), logKey(name), name);
  }
});
