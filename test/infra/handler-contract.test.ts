/**
 * What the infrastructure hands the handler is what the handler accepts (docs/contracts.md, "Lambda
 * contract"): the schedule's input is a scheduled event, the re-check command's payload is a
 * forced check, and the environment each function gets passes the handler's own validation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCHEDULED_EVENT_INPUT } from '../../infra/log-monitor.ts';
import { parseEvent } from '../../lib/aws/events.ts';
import { readRuntimeConfig } from '../../lib/aws/runtime-config.ts';
import { logConfigToJson } from '../../lib/config/log-config.ts';
import { type Cfn, synthTestApp } from './synth.ts';

const { template, stack } = synthTestApp();
const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Cfn[];

test('the schedule input is a scheduled event (one check), with Scheduler placeholders filled in', () => {
  const filled = SCHEDULED_EVENT_INPUT.replace(
    '<aws.scheduler.scheduled-time>',
    '2026-11-24T22:00:00Z',
  ).replace('<aws.scheduler.schedule-arn>', 'arn:aws:scheduler:eu-west-1:111122223333:schedule/default/x');
  assert.deepEqual(parseEvent(JSON.parse(filled)), { kind: 'scheduled' });
  const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (s) => (s as Cfn).Properties.Target.Input,
  );
  assert.equal(inputs.length, 2);
  for (const input of inputs) assert.equal(input, SCHEDULED_EVENT_INPUT);
});

test("the re-check command's payload is a forced check", () => {
  const outputs = Object.entries(template.toJSON().Outputs as Cfn).filter(([id]) =>
    id.includes('RecheckCommand'),
  );
  assert.equal(outputs.length, 2);
  for (const [, output] of outputs) {
    // Fn::Join of literal text and references: the literal parts hold the payload.
    const parts = output.Value['Fn::Join'][1] as unknown[];
    const literal = parts.filter((p): p is string => typeof p === 'string').join(' ');
    const payload = /--payload '([^']*)'/.exec(literal)?.[1];
    assert.ok(payload, literal);
    assert.deepEqual(parseEvent(JSON.parse(payload)), { kind: 'check' });
    assert.match(literal, /--cli-binary-format raw-in-base64-out out\.json$/);
  }
});

test("each function's environment passes the handler's validation and carries its log", () => {
  assert.equal(functions.length, 2);
  for (const fn of functions) {
    const vars = fn.Properties.Environment.Variables as Cfn;
    // Deploy-time values stand in for CloudFormation references.
    const env = {
      ...vars,
      TABLE_NAME: 'TransparencyLogMonitor-MonitorStateTable-1AB2C3',
      TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:TransparencyLogMonitor-AlertTopic-9XYZ',
    };
    const config = readRuntimeConfig(env);
    assert.deepEqual(logConfigToJson(config.log), JSON.parse(vars.LOG_CONFIG));
    assert.equal(config.metricsNamespace, 'TransparencyLogMonitor');
    assert.equal(config.reminderMs, 12 * 3_600_000);
    assert.equal(config.failuresBeforeAlert, 4);
    assert.deepEqual(Object.keys(vars).sort(), [
      'ALERT_AFTER_FAILURES',
      'ALERT_REMINDER',
      'LOG_CONFIG',
      'METRICS_NAMESPACE',
      'TABLE_NAME',
      'TOPIC_ARN',
    ]);
  }
  assert.ok(stack.stackName);
});
