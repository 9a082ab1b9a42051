/**
 * The synthesized stack, resource by resource: encryption, PITR, deletion protection, IAM
 * actions, resources and conditions, schedules, async-invoke failure handling, alarm wiring and
 * missing-data handling, the dashboard and the outputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigFile } from '../../lib/config/config-file.ts';
import { logConfigToJson } from '../../lib/config/log-config.ts';
import { type Cfn, resourceOf, synthTestApp, TEST_CONFIG, TEST_EMAILS } from './synth.ts';

const { template } = synthTestApp();
const expectedLogs = parseConfigFile(JSON.stringify(TEST_CONFIG), 'test').logs;

const table = resourceOf(template, 'AWS::DynamoDB::Table', 'MonitorStateTable');
const key = resourceOf(template, 'AWS::KMS::Key', 'MonitorAlertsKey');
const topic = resourceOf(template, 'AWS::SNS::Topic', 'MonitorAlertTopic');
const queue = resourceOf(template, 'AWS::SQS::Queue', 'MonitorDeadLetterQueue');
const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every statement of every IAM policy in the template. */
function allStatements(): Array<{ policy: string; roles: unknown; statement: Cfn }> {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policy, r]) =>
    (r.Properties.PolicyDocument.Statement as Cfn[]).map((statement) => ({
      policy,
      roles: r.Properties.Roles,
      statement,
    })),
  );
}
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('state table', () => {
  test('key pk/sk (strings), on-demand, point-in-time recovery, deletion protection, encrypted', () => {
    assert.deepEqual(table.props.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.deepEqual(table.props.AttributeDefinitions, [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ]);
    assert.equal(table.props.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.props.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
    assert.equal(table.props.DeletionProtectionEnabled, true);
    assert.equal(table.props.SSESpecification?.SSEEnabled, true);
  });

  test('has no time-to-live: evidence and the CP# audit trail never expire', () => {
    assert.equal(table.props.TimeToLiveSpecification, undefined);
  });

  test('is retained when the stack or the resource is deleted', () => {
    assert.equal(table.resource.DeletionPolicy, 'Retain');
    assert.equal(table.resource.UpdateReplacePolicy, 'Retain');
  });
});

describe('alerts key, topic and dead-letter queue', () => {
  test('the KMS key rotates, is retained, and lets CloudWatch alarms use it for the topic', () => {
    assert.equal(key.props.EnableKeyRotation, true);
    assert.equal(key.resource.DeletionPolicy, 'Retain');
    const cw = (key.props.KeyPolicy.Statement as Cfn[]).find(
      (s) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    assert.ok(cw, 'a key policy statement for cloudwatch.amazonaws.com');
    assert.deepEqual(asList(cw.Action).sort(), ['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('CloudWatch may use the key only for alarms of this account (no confused deputy)', () => {
    const cw = (key.props.KeyPolicy.Statement as Cfn[]).filter(
      (s) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    assert.equal(cw.length, 1, 'one key policy statement for cloudwatch.amazonaws.com');
    // The same conditions as the topic policy's statement for CloudWatch.
    assert.deepEqual(cw[0]?.Condition, {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudwatch:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':alarm:*',
            ],
          ],
        },
      },
    });
    const policy = resourceOf(template, 'AWS::SNS::TopicPolicy', 'MonitorAlertTopicPolicy');
    const topicCw = (policy.props.PolicyDocument.Statement as Cfn[]).find((s) => s.Effect === 'Allow');
    assert.deepEqual(cw[0]?.Condition, topicCw?.Condition);
  });

  test('the topic is encrypted with the key and refuses publishing without TLS', () => {
    assert.deepEqual(topic.props.KmsMasterKeyId, arnOf(key.id));
    const policy = resourceOf(template, 'AWS::SNS::TopicPolicy', 'MonitorAlertTopicPolicy');
    assert.deepEqual(policy.props.Topics, [ref(topic.id)]);
    const statements = policy.props.PolicyDocument.Statement as Cfn[];
    const deny = statements.find((s) => s.Effect === 'Deny');
    assert.ok(deny);
    assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    assert.equal(deny.Principal, '*');
    const cw = statements.find((s) => s.Effect === 'Allow');
    assert.equal(cw?.Principal?.Service, 'cloudwatch.amazonaws.com');
    assert.equal(cw?.Action, 'sns:Publish');
    assert.deepEqual(cw?.Condition.StringEquals, { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
  });

  test('every configured address is subscribed by email, and nothing else is subscribed', () => {
    const subs = Object.values(template.findResources('AWS::SNS::Subscription'));
    assert.deepEqual(subs.map((s) => s.Properties.Endpoint).sort(), [...TEST_EMAILS].sort());
    for (const s of subs) {
      assert.equal(s.Properties.Protocol, 'email');
      assert.deepEqual(s.Properties.TopicArn, ref(topic.id));
    }
  });

  test('the dead-letter queue is encrypted with the key, TLS-only, keeps messages 14 days, and alarms', () => {
    assert.deepEqual(queue.props.KmsMasterKeyId, arnOf(key.id));
    assert.equal(queue.props.MessageRetentionPeriod, 14 * 24 * 3600);
    const policy = resourceOf(template, 'AWS::SQS::QueuePolicy', 'MonitorDeadLetterQueuePolicy');
    const deny = (policy.props.PolicyDocument.Statement as Cfn[]).find((s) => s.Effect === 'Deny');
    assert.deepEqual(deny?.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue.id, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      // No data from SQS means no message: the queue is empty.
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref(topic.id)],
      OKActions: [ref(topic.id)],
    });
  });
});

describe('no wildcard actions anywhere', () => {
  test('no IAM policy statement names an action with "*"', () => {
    const statements = allStatements();
    assert.ok(statements.length > 0);
    for (const { policy, statement } of statements) {
      for (const action of asList(statement.Action)) {
        assert.ok(!String(action).includes('*'), `${policy}: ${action}`);
      }
    }
  });

  test("resource policies: a wildcard action only in a Deny (TLS) or the key's account-root statement", () => {
    const docs = [
      ...Object.entries(template.findResources('AWS::KMS::Key')).map(([id, r]) => [
        id,
        r.Properties.KeyPolicy,
      ]),
      ...['AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy'].flatMap((type) =>
        Object.entries(template.findResources(type)).map(([id, r]) => [id, r.Properties.PolicyDocument]),
      ),
    ] as Array<[string, Cfn]>;
    assert.ok(docs.length >= 3);
    for (const [id, doc] of docs) {
      for (const s of doc.Statement as Cfn[]) {
        if (!asList(s.Action).some((a) => String(a).includes('*'))) continue;
        if (s.Effect === 'Deny') continue;
        // The key policy's default statement: the account delegates the key's use to IAM policies,
        // where every grant above is named (kms:GenerateDataKey and kms:Decrypt, via SNS/SQS only).
        assert.equal(id, key.id, `${id}: ${JSON.stringify(s)}`);
        assert.equal(s.Action, 'kms:*');
        assert.match(JSON.stringify(s.Principal.AWS), /:root"/);
      }
    }
  });

  test('no role has a managed policy', () => {
    for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
      assert.equal(role.Properties.ManagedPolicyArns, undefined, id);
    }
  });

  test('only the per-log function roles may touch the state table, and each only its partition', () => {
    const dynamo = allStatements().filter(({ statement }) =>
      asList(statement.Action).some((a) => String(a).startsWith('dynamodb:')),
    );
    assert.equal(dynamo.length, expectedLogs.length);
    const partitions = dynamo.map(
      ({ statement }) => statement.Condition['ForAllValues:StringEquals']['dynamodb:LeadingKeys'],
    );
    assert.deepEqual(partitions.flat().sort(), expectedLogs.map((l) => `LOG#${l.name}`).sort());
  });
});

for (const log of expectedLogs) {
  const prefix = `MonitorLog${log.name}`;
  const minutes = log.intervalMs / 60_000;
  describe(`log ${log.name}`, () => {
    const fn = resourceOf(template, 'AWS::Lambda::Function', `${prefix}Function`);
    const logGroup = resourceOf(template, 'AWS::Logs::LogGroup', `${prefix}Logs`);
    const fnRole = resourceOf(template, 'AWS::IAM::Role', `${prefix}FunctionRole`);
    const fnPolicy = resourceOf(template, 'AWS::IAM::Policy', `${prefix}FunctionRoleDefaultPolicy`);
    const schedule = resourceOf(template, 'AWS::Scheduler::Schedule', `${prefix}Schedule`);
    const schedRole = resourceOf(template, 'AWS::IAM::Role', `${prefix}SchedulerRole`);
    const schedPolicy = resourceOf(template, 'AWS::IAM::Policy', `${prefix}SchedulerRoleDefaultPolicy`);
    const statements = fnPolicy.props.PolicyDocument.Statement as Cfn[];
    const bySid = (sid: string) => {
      const s = statements.find((x) => x.Sid === sid);
      assert.ok(s, `statement ${sid}`);
      return s;
    };

    test('function: Node 24, ARM64, the shared bundle, its own role', () => {
      assert.equal(fn.props.Runtime, 'nodejs24.x');
      assert.deepEqual(fn.props.Architectures, ['arm64']);
      assert.equal(fn.props.Handler, 'index.handler');
      assert.deepEqual(fn.props.Role, arnOf(fnRole.id));
    });

    test('function environment: its log config, the table, the topic, the namespace, the reminder', () => {
      const env = fn.props.Environment.Variables;
      assert.deepEqual(JSON.parse(env.LOG_CONFIG), logConfigToJson(log));
      assert.deepEqual(env.TABLE_NAME, ref(table.id));
      assert.deepEqual(env.TOPIC_ARN, ref(topic.id));
      assert.equal(env.METRICS_NAMESPACE, 'TransparencyLogMonitor');
      assert.equal(env.ALERT_REMINDER, '12h');
      assert.equal(env.ALERT_AFTER_FAILURES, '4');
    });

    test('logging: its own log group, JSON format, one-year retention', () => {
      assert.deepEqual(fn.props.LoggingConfig.LogGroup, ref(logGroup.id));
      assert.equal(fn.props.LoggingConfig.LogFormat, 'JSON');
      assert.equal(logGroup.props.RetentionInDays, 365);
      assert.equal(logGroup.resource.DeletionPolicy, 'Retain');
    });

    test('function role: assumable by Lambda only, with exactly the policy below', () => {
      assert.deepEqual(fnRole.props.AssumeRolePolicyDocument.Statement, [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
      assert.deepEqual(fnPolicy.props.Roles, [ref(fnRole.id)]);
      assert.deepEqual(statements.map((s) => s.Sid).sort(), [
        'AlertsKeyViaSnsAndSqs',
        'OwnPartitionOfStateTable',
        'PublishAlerts',
        'SendFailedEventsToDeadLetterQueue',
        'WriteOwnLogGroup',
      ]);
      for (const s of statements) assert.equal(s.Effect, 'Allow');
    });

    test('DynamoDB: listed actions, the state table only, its own partition only (LeadingKeys)', () => {
      const s = bySid('OwnPartitionOfStateTable');
      assert.deepEqual(asList(s.Action).sort(), [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      assert.deepEqual(s.Resource, arnOf(table.id));
      assert.deepEqual(s.Condition, {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`LOG#${log.name}`] },
      });
    });

    test('SNS: Publish to the alert topic only; KMS data keys only via SNS and SQS', () => {
      const sns = bySid('PublishAlerts');
      assert.equal(sns.Action, 'sns:Publish');
      assert.deepEqual(sns.Resource, ref(topic.id));
      const kms = bySid('AlertsKeyViaSnsAndSqs');
      assert.deepEqual(asList(kms.Action).sort(), ['kms:Decrypt', 'kms:GenerateDataKey']);
      assert.deepEqual(kms.Resource, arnOf(key.id));
      const via = JSON.stringify(kms.Condition.StringEquals['kms:ViaService']);
      assert.match(via, /"sns\."/);
      assert.match(via, /"sqs\."/);
    });

    test('CloudWatch: no permission at all (the metrics are in the log, embedded metric format)', () => {
      const actions = statements.flatMap((x) => asList(x.Action));
      assert.deepEqual(
        actions.filter((a) => String(a).startsWith('cloudwatch:')),
        [],
      );
    });

    test('SQS and Logs: the dead-letter queue and its own log group only', () => {
      const sqs = bySid('SendFailedEventsToDeadLetterQueue');
      assert.equal(sqs.Action, 'sqs:SendMessage');
      assert.deepEqual(sqs.Resource, arnOf(queue.id));
      const logs = bySid('WriteOwnLogGroup');
      assert.deepEqual(logs.Action, ['logs:CreateLogStream', 'logs:PutLogEvents']);
      assert.ok(JSON.stringify(logs.Resource).includes(JSON.stringify(ref(logGroup.id))));
    });

    test('async invoke: 2 retries, then the encrypted dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(fn.id),
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: arnOf(queue.id) } },
      });
    });

    test(`schedule: every ${minutes} minute(s), exactly on time, a scheduled event, to this function`, () => {
      assert.equal(
        schedule.props.ScheduleExpression,
        minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`,
      );
      assert.deepEqual(schedule.props.FlexibleTimeWindow, { Mode: 'OFF' });
      assert.equal(schedule.props.State, 'ENABLED');
      assert.deepEqual(schedule.props.Target.Arn, arnOf(fn.id));
      assert.deepEqual(schedule.props.Target.RoleArn, arnOf(schedRole.id));
      assert.deepEqual(schedule.props.Target.DeadLetterConfig, { Arn: arnOf(queue.id) });
      assert.equal(JSON.parse(schedule.props.Target.Input)['detail-type'], 'Scheduled Event');
      assert.ok(
        asList(schedule.resource.DependsOn).includes(schedPolicy.id),
        'created after its role policy',
      );
    });

    test('scheduler role: assumable by Scheduler of this account only; invokes this function only', () => {
      const [trust] = schedRole.props.AssumeRolePolicyDocument.Statement;
      assert.equal(trust.Principal.Service, 'scheduler.amazonaws.com');
      assert.deepEqual(trust.Condition.StringEquals['aws:SourceAccount'], { Ref: 'AWS::AccountId' });
      const s = schedPolicy.props.PolicyDocument.Statement as Cfn[];
      const invoke = s.filter((x) => asList(x.Action).includes('lambda:InvokeFunction'));
      assert.equal(invoke.length, 1);
      // The function's ARN exactly: not `<arn>:*`, not another function.
      assert.deepEqual(invoke[0]?.Resource, arnOf(fn.id));
      assert.deepEqual(s.flatMap((x) => asList(x.Action)).sort(), [
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'lambda:InvokeFunction',
        'sqs:SendMessage',
      ]);
    });

    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const customAlarm = (metric: string) => {
      const found = alarms.filter(
        (a) =>
          a.MetricName === metric &&
          a.Namespace === 'TransparencyLogMonitor' &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'Log', Value: log.name }]),
      );
      return found;
    };
    const routed = (a: Cfn) => {
      assert.deepEqual(a.AlarmActions, [ref(topic.id)]);
      assert.deepEqual(a.OKActions, [ref(topic.id)]);
    };

    test('alarm: no successful check in 3 intervals (samples of its one metric), missing data breaching', () => {
      const [a, ...more] = customAlarm('SecondsSinceGrowth').filter((x) => x.Statistic === 'SampleCount');
      assert.ok(a);
      assert.equal(more.length, 0);
      assert.equal(a.AlarmName, `TransparencyLogMonitor-${log.name}-no-successful-check`);
      assert.equal(a.Period, minutes * 60);
      assert.equal(a.EvaluationPeriods, 3);
      assert.equal(a.DatapointsToAlarm, 3);
      assert.equal(a.ComparisonOperator, 'LessThanThreshold');
      assert.equal(a.Threshold, 1);
      assert.equal(a.TreatMissingData, 'breaching');
      routed(a);
    });

    test('alarm: log not growing (none for a log configured as frozen)', () => {
      const found = customAlarm('SecondsSinceGrowth').filter((x) => x.Statistic === 'Maximum');
      if (log.name === 'ctfe') {
        assert.equal(found.length, 0);
        return;
      }
      const [a] = found;
      assert.ok(a);
      assert.equal(a.AlarmName, `TransparencyLogMonitor-${log.name}-not-growing`);
      assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
      assert.equal(a.Threshold, 6 * 3600);
      routed(a);
    });

    test('no per-log alarm on function errors or throttles (the dead-letter queue and missed checks cover them)', () => {
      assert.equal(alarms.filter((a) => a.Namespace === 'AWS/Lambda').length, 0);
    });

    test('outputs: the function name and a ready forced re-check command', () => {
      const outputs = template.toJSON().Outputs as Cfn;
      const name = Object.entries(outputs).find(([id]) => id.startsWith(`${prefix}FunctionName`));
      assert.deepEqual(name?.[1].Value, ref(fn.id));
      const cmd = Object.entries(outputs).find(([id]) => id.startsWith(`${prefix}RecheckCommand`));
      const text = JSON.stringify(cmd?.[1].Value);
      assert.ok(text.includes(JSON.stringify(ref(fn.id))));
      assert.ok(text.includes('aws lambda invoke'));
      assert.ok(
        text.includes(
          `--payload '{\\"action\\":\\"check\\"}' --cli-binary-format raw-in-base64-out out.json`,
        ),
      );
    });
  });
}

test('every function runs the one shared bundle (the same code asset)', () => {
  const fns = Object.values(template.findResources('AWS::Lambda::Function'));
  assert.equal(fns.length, expectedLogs.length);
  const keys = new Set(fns.map((f) => JSON.stringify(f.Properties.Code)));
  assert.equal(keys.size, 1);
});

test('one schedule per log, and nothing else is scheduled', () => {
  template.resourceCountIs('AWS::Scheduler::Schedule', expectedLogs.length);
  template.resourceCountIs('AWS::Events::Rule', 0);
});

test('misbehaviour: one alarm for all logs, on the series across logs (Scope = all-logs)', () => {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((a) => a.Properties)
    .filter((a) => a.MetricName === 'MisbehaviourDetected');
  assert.equal(found.length, 1);
  const [a] = found as [Cfn];
  assert.equal(a.Namespace, 'TransparencyLogMonitor');
  assert.deepEqual(a.Dimensions, [{ Name: 'Scope', Value: 'all-logs' }]);
  assert.equal(a.Statistic, 'Maximum');
  assert.equal(a.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
  assert.equal(a.Threshold, 1);
  assert.equal(a.TreatMissingData, 'notBreaching');
});

test('every alarm notifies the alert topic, on alarm and on recovery', () => {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  // 2 per log with a growth alarm, 1 for the frozen one, the misbehaviour and dead-letter queue alarms.
  assert.equal(alarms.length, 2 + 1 + 2);
  for (const a of alarms) {
    assert.deepEqual(a.Properties.AlarmActions, [ref(topic.id)]);
    assert.deepEqual(a.Properties.OKActions, [ref(topic.id)]);
  }
});

test('the dashboard: alarm status, dead-letter queue, summary across logs, then one row per log', () => {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  assert.ok(dashboard);
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  for (const title of [
    'Alarms',
    'Dead-letter queue: failed runs waiting',
    'Check outcomes, all logs',
    'Seconds since growth, every log',
    'Successful checks, every log',
  ]) {
    assert.ok(body.includes(title), title);
  }
  for (const log of expectedLogs) {
    for (const title of ['successful checks', 'seconds since growth']) {
      assert.ok(body.includes(`${log.name}: ${title}`), `${log.name}: ${title}`);
    }
    assert.ok(body.includes(`alarm:TransparencyLogMonitor-${log.name}-no-successful-check`), log.name);
  }
  assert.ok(body.includes('ApproximateNumberOfMessagesVisible'));
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
});

test('stack outputs: stable names (as README uses them), each with a description', () => {
  const outputs = template.toJSON().Outputs as Cfn;
  assert.deepEqual(outputs.StateTableName?.Value, ref(table.id));
  assert.deepEqual(outputs.AlertTopicArn?.Value, ref(topic.id));
  assert.deepEqual(outputs.DeadLetterQueueUrl?.Value, ref(queue.id));
  assert.match(JSON.stringify(outputs.DashboardUrl?.Value), /console\.aws\.amazon\.com\/cloudwatch/);
  for (const [id, o] of Object.entries(outputs)) {
    assert.ok(typeof o.Description === 'string' && o.Description.length > 10, `${id} has a description`);
  }
});
