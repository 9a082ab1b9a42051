/**
 * The identity scan's fan-out in the stack (issue 11 §5): with identities on one log, the scan
 * queue (KMS-encrypted with the stack's key, TLS only, a dead-letter queue), the shared worker
 * (Node 24, ARM64, its own bundle) fed with batch size 1, partial batch failures and bounded
 * concurrency, least privilege for the worker and for the monitor functions, the stuck-range and
 * falls-behind alarms; the log's consistency check keeps its own schedule; cdk-nag and cfn-lint clean.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type Cfn, synthTestApp } from './synth.ts';

const config = {
  logs: [
    {
      preset: 'sigstore-rekor',
      name: 'rekor',
      interval: '1m',
      identities: { certIdentities: [{ certSubject: 'alice@example\\.com' }] },
    },
    { preset: 'sigstore-ctfe-2022', name: 'ctfe', interval: '5m' },
  ],
};
const built = synthTestApp({}, config);
const { template } = built;
const resources = template.toJSON().Resources as Cfn;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const one = (type: string, prefix: string): [string, Cfn] => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  assert.equal(found.length, 1, `${type} ${prefix}*: ${found.map(([id]) => id).join(', ')}`);
  return found[0] as [string, Cfn];
};
const ref = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('identity scan fan-out', () => {
  const [queueId, queue] = one('AWS::SQS::Queue', 'MonitorScanFanOutScanQueue');
  const [dlqId] = one('AWS::SQS::Queue', 'MonitorScanFanOutScanDeadLetterQueue');
  const [keyId] = one('AWS::KMS::Key', 'MonitorAlertsKey');
  const [workerId, worker] = one('AWS::Lambda::Function', 'MonitorScanFanOutWorker');

  test('scan queue: encrypted with the stack key, a dead-letter queue after 5 attempts, TLS only', () => {
    assert.deepEqual(queue.Properties.KmsMasterKeyId, ref(keyId));
    assert.deepEqual(queue.Properties.RedrivePolicy, { deadLetterTargetArn: ref(dlqId), maxReceiveCount: 5 });
    const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) =>
      JSON.stringify(p.Properties.Queues).includes(queueId),
    );
    assert.equal(policies.length, 1);
    assert.match(JSON.stringify(policies[0]?.[1]), /aws:SecureTransport/);
  });

  test('worker: Node 24 ARM64, batch size 1, partial batch failures, bounded concurrency', () => {
    assert.equal(worker.Properties.Runtime, 'nodejs24.x');
    assert.deepEqual(worker.Properties.Architectures, ['arm64']);
    const [, mapping] = one('AWS::Lambda::EventSourceMapping', 'MonitorScanFanOutWorker');
    assert.equal(mapping.Properties.BatchSize, 1);
    assert.deepEqual(mapping.Properties.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.equal(mapping.Properties.ScalingConfig.MaximumConcurrency, 10);
    assert.deepEqual(mapping.Properties.EventSourceArn, ref(queueId));
    assert.deepEqual(mapping.Properties.FunctionName, { Ref: workerId });
  });

  test('worker: 1 GB, and a 64 MB young-generation semi-space (fewer scavenges per entry, BENCHMARKS.md)', () => {
    assert.equal(worker.Properties.MemorySize, 1024);
    assert.equal(worker.Properties.Environment.Variables.NODE_OPTIONS, '--max-semi-space-size=64');
  });

  test('worker role: the LOG# partitions, SQS consume on the scan queue only, no table admin', () => {
    const [, policy] = one('AWS::IAM::Policy', 'MonitorScanFanOutWorkerRoleDefaultPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as Cfn[];
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    assert.equal(dynamo.length, 1);
    assert.deepEqual(dynamo[0]?.Condition, {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LOG#*'] },
    });
    assert.ok(!JSON.stringify(dynamo[0]?.Action).includes('DeleteItem'));
    const sqs = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:'));
    assert.ok(sqs.length > 0);
    for (const s of sqs) assert.deepEqual(s.Resource, ref(queueId));
    assert.ok(statements.every((s) => !JSON.stringify(s.Action).includes('*')));
  });

  test('monitor functions: only the log with identities gets the queue, and may only send to it', () => {
    const [, rekor] = one('AWS::Lambda::Function', 'MonitorLogrekorFunction');
    const [, ctfe] = one('AWS::Lambda::Function', 'MonitorLogctfeFunction');
    assert.deepEqual(rekor.Properties.Environment.Variables.SCAN_QUEUE_URL, { Ref: queueId });
    assert.equal(ctfe.Properties.Environment.Variables.SCAN_QUEUE_URL, undefined);
    const [, rekorPolicy] = one('AWS::IAM::Policy', 'MonitorLogrekorFunctionRoleDefaultPolicy');
    const send = (rekorPolicy.Properties.PolicyDocument.Statement as Cfn[]).find(
      (s) => s.Sid === 'SendScanRangesToScanQueue',
    );
    assert.deepEqual(send?.Action, 'sqs:SendMessage');
    assert.deepEqual(send?.Resource, ref(queueId));
    const table = (rekorPolicy.Properties.PolicyDocument.Statement as Cfn[]).find(
      (s) => s.Sid === 'OwnPartitionOfStateTable',
    );
    assert.ok(table?.Action.includes('dynamodb:DeleteItem'), 'it deletes the RANGE# results it commits');
    const [, ctfePolicy] = one('AWS::IAM::Policy', 'MonitorLogctfeFunctionRoleDefaultPolicy');
    assert.ok(!JSON.stringify(ctfePolicy).includes(queueId));
  });

  test('the consistency check keeps its schedule: one per log, none for the worker', () => {
    assert.equal(ofType('AWS::Scheduler::Schedule').length, 2);
  });

  test('alarms: a stuck range (dead-letter queue) and a scan that falls behind (age of the oldest range)', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const stuck = alarms.find((a) => String(a.AlarmName).endsWith('-scan-stuck-range'));
    assert.equal(stuck?.MetricName, 'ApproximateNumberOfMessagesVisible');
    assert.deepEqual(stuck?.Dimensions?.[0]?.Value, { 'Fn::GetAtt': [dlqId, 'QueueName'] });
    const behind = alarms.find((a) => String(a.AlarmName).endsWith('-scan-falls-behind'));
    assert.equal(behind?.MetricName, 'ApproximateAgeOfOldestMessage');
    assert.equal(behind?.Threshold, 3600);
  });

  test('cdk-nag AwsSolutions: zero unacknowledged findings', () => {
    const report = new AwsSolutionsChecks(built.app).validateScope(built.app);
    assert.deepEqual(
      report.violations.map((v) => `${v.ruleName}: ${v.description}`),
      [],
    );
  });

  const lintable = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
  test('cfn-lint: no errors', { skip: lintable ? false : 'cfn-lint not installed' }, () => {
    const assembly = built.app.synth();
    const path = assembly.getStackArtifact(built.stack.artifactId).templateFullPath;
    const r = spawnSync('cfn-lint', ['--', path], { encoding: 'utf8' });
    assert.equal((r.status ?? 2) & 3, 0, `${r.stdout}${r.stderr}`);
  });
});

test('100 logs with identities still fit: nested stacks within 500 resources, each monitor given the queue, cdk-nag clean', () => {
  const many = synthTestApp(
    { frozenLogs: '' },
    {
      logs: Array.from({ length: 100 }, (_, i) => ({
        preset: 'sigstore-rekor',
        name: `rekor-${i + 1}`,
        interval: '1m',
        identities: { certIdentities: [{ certSubject: 'alice@example\\.com' }] },
      })),
    },
  );
  const assembly = many.app.synth();
  const artifact = assembly.getStackArtifact(many.stack.artifactId);
  const nested = readdirSync(assembly.directory).filter((f) => f.endsWith('.nested.template.json'));
  assert.equal(nested.length, 3);
  let withQueue = 0;
  for (const path of [artifact.templateFullPath, ...nested.map((f) => join(assembly.directory, f))]) {
    const t = JSON.parse(readFileSync(path, 'utf8')) as Cfn;
    assert.ok(
      Object.keys(t.Resources).length <= 500,
      `${path}: ${Object.keys(t.Resources).length} resources`,
    );
    for (const r of Object.values(t.Resources as Cfn)) {
      if (r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.SCAN_QUEUE_URL)
        withQueue++;
    }
  }
  assert.equal(withQueue, 100);
  const report = new AwsSolutionsChecks(many.app).validateScope(many.app);
  assert.deepEqual(
    report.violations.map((v) => `${v.ruleName}: ${v.description}`),
    [],
  );
});
