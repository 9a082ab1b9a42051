/**
 * Config validation at synth time: the app reads the CLI's config file, and a bad key, URL,
 * interval or duplicate name fails synth with a message naming the log and the field. Also the
 * deployment-only rules (Scheduler's whole minutes, the alarm window) and the context settings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { createMonitorApp } from '../../infra/create-app.ts';
import {
  CONFIG_ENV_VAR,
  checkDeployable,
  DEFAULT_CONFIG_FILE,
  MAX_LOG_CONFIG_BYTES,
  rateExpression,
  resolveConfigPath,
  scheduleMinutes,
} from '../../infra/deploy-config.ts';
import { TransparencyLogMonitor } from '../../infra/transparency-log-monitor.ts';
import { parseConfigFile } from '../../lib/config/config-file.ts';
import { getPreset } from '../../lib/config/presets.ts';
import { TlogError } from '../../lib/errors.ts';
import { writeConfig } from './synth.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const STAND_IN_DIR = fileURLToPath(new URL('./fixtures/stand-in-handler', import.meta.url));
/** A fresh stand-in code asset (an asset belongs to one stack). */
const standIn = () => Code.fromAsset(STAND_IN_DIR);
const rekor = getPreset('sigstore-rekor');
const ctfe = getPreset('sigstore-ctfe-2022');
assert.ok(rekor && ctfe);
const { description: _r, ...rekorEntry } = rekor;

/** Builds the app from this config; returns the config/invalid message it fails with. */
function synthError(config: unknown, context: Record<string, unknown> = {}, namesFile = true): string {
  const path = writeConfig(config);
  try {
    createMonitorApp({ cwd: tmpdir(), env: {}, context: { config: path, ...context }, code: standIn() });
  } catch (e) {
    assert.ok(e instanceof TlogError, `a TlogError, got ${String(e)}`);
    assert.equal(e.code, 'config/invalid');
    if (namesFile) assert.ok(e.message.includes(path), 'the message names the config file');
    return e.message;
  }
  assert.fail('synth should have failed');
}

describe('a bad config fails synth, naming the log and the field', () => {
  test('a bad public key', () => {
    const msg = synthError({ logs: [{ ...rekorEntry, name: 'mine', publicKey: 'not a key' }] });
    assert.match(msg, /logs\[0\] \("mine"\)\.publicKey: /);
  });

  test('a bad URL', () => {
    const msg = synthError({ logs: [{ ...rekorEntry, name: 'mine', url: 'ftp://rekor.example' }] });
    assert.match(msg, /logs\[0\] \("mine"\)\.url: /);
  });

  test('a malformed interval', () => {
    const msg = synthError({ logs: [{ preset: 'sigstore-rekor', interval: '5 minutes' }] });
    assert.match(msg, /logs\[0\] \("sigstore-rekor"\)\.interval: must be a duration/);
  });

  test('a duplicate name (ignoring case)', () => {
    const msg = synthError({
      logs: [
        { preset: 'sigstore-rekor', name: 'Main' },
        { preset: 'sigstore-ctfe-2022', name: 'main' },
      ],
    });
    assert.match(msg, /logs\[1\] \("main"\)\.name: duplicate log name: logs\[0\] is already named "Main"/);
  });

  test("an interval under EventBridge Scheduler's one minute is refused, not rounded", () => {
    const msg = synthError({ logs: [{ preset: 'sigstore-rekor', interval: '30s' }] });
    assert.match(
      msg,
      /logs\[0\] \("sigstore-rekor"\)\.interval: EventBridge Scheduler runs a schedule at most once a minute/,
    );
    assert.match(msg, /got "30s"/);
  });

  test('an interval that is not whole minutes is refused', () => {
    const msg = synthError({ logs: [{ preset: 'sigstore-rekor', interval: '90s' }] });
    assert.match(msg, /\.interval: .*whole minutes.*got "90s"/);
  });

  test('every problem is reported in one run', () => {
    const msg = synthError({
      logs: [
        { ...rekorEntry, name: 'a', url: 'http://', publicKey: 'x' },
        { preset: 'sigstore-ctfe-2022', name: 'b', interval: '45s' },
      ],
      alerts: { emails: ['not-an-address'] },
    });
    assert.match(msg, /logs\[0\] \("a"\)\.url/);
    assert.match(msg, /logs\[0\] \("a"\)\.publicKey/);
    assert.match(msg, /alerts\.emails\[0\]/);
    // The Scheduler rule runs once the file itself is valid.
    assert.doesNotMatch(msg, /logs\[1\]/);
    const scheduler = synthError({
      logs: [
        { preset: 'sigstore-rekor', interval: '45s' },
        { preset: 'sigstore-ctfe-2022', interval: '2m' },
        { preset: 'sigstore-ctfe-test', interval: '10s' },
      ],
    });
    assert.match(scheduler, /2 problems/);
    assert.match(scheduler, /logs\[0\] \("sigstore-rekor"\)\.interval/);
    assert.match(scheduler, /logs\[2\] \("sigstore-ctfe-test"\)\.interval/);
  });

  test('invalid JSON names the line', () => {
    const msg = synthError('{ "logs": [ { "preset": "sigstore-rekor" }, ] }');
    assert.match(msg, /line 1/);
  });

  test('a missing config file names the path and how to choose another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlog-infra-'));
    assert.throws(
      () => createMonitorApp({ cwd: dir, env: {}, context: {}, code: standIn() }),
      (e: unknown) =>
        e instanceof TlogError &&
        e.message.includes(join(dir, DEFAULT_CONFIG_FILE)) &&
        e.message.includes('-c config=FILE') &&
        e.message.includes(CONFIG_ENV_VAR),
    );
  });
});

describe('deployment settings from CDK context', () => {
  const good = { logs: [{ preset: 'sigstore-rekor', interval: '1m' }] };

  test('missed checks beyond what a CloudWatch alarm can evaluate fail synth, naming the log', () => {
    // 1-minute periods: at most 1 day of evaluation, so 1441 missed checks are too many.
    const msg = synthError(good, { missedChecks: '1441' }, false);
    assert.match(
      msg,
      /logs\[0\] \("sigstore-rekor"\)\.interval: 1441 missed checks of 1m exceed the 1-day window/,
    );
  });

  test('bad numbers, unknown frozen logs and bad stack names are refused', () => {
    assert.match(
      synthError(good, { missedChecks: 'three' }, false),
      /"missedChecks" must be a positive number/,
    );
    assert.match(
      synthError(good, { notGrowingAfterHours: -1 }, false),
      /"notGrowingAfterHours" must be a positive number/,
    );
    assert.match(
      synthError(good, { frozenLogs: 'nope' }, false),
      /frozenLogs\[0\]: names no configured log, got "nope"/,
    );
    assert.match(synthError(good, { frozenLogs: 5 }, false), /"frozenLogs" must be a list of log names/);
    assert.match(
      synthError(good, { stackName: '1-bad name' }, false),
      /"stackName" must be a CloudFormation stack name/,
    );
  });

  test('context settings reach the alarms', () => {
    const path = writeConfig(good);
    const { stack } = createMonitorApp({
      cwd: tmpdir(),
      env: {},
      context: { config: path, missedChecks: '5', notGrowingAfterHours: '2', stackName: 'Custom' },
      code: standIn(),
    });
    assert.equal(stack.stackName, 'Custom');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Custom-sigstore-rekor-no-successful-check',
      Statistic: 'SampleCount',
      EvaluationPeriods: 5,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Custom-sigstore-rekor-not-growing',
      Statistic: 'Maximum',
      Threshold: 7200,
    });
  });
});

describe('which config file', () => {
  test('context first, then the environment, then tlog-monitor.config.json', () => {
    assert.equal(resolveConfigPath({ context: 'a.json', env: 'b.json', cwd: '/w' }), '/w/a.json');
    assert.equal(resolveConfigPath({ env: 'b.json', cwd: '/w' }), '/w/b.json');
    assert.equal(resolveConfigPath({ env: '/abs/c.json', cwd: '/w' }), '/abs/c.json');
    assert.equal(resolveConfigPath({ env: '  ', cwd: '/w' }), `/w/${DEFAULT_CONFIG_FILE}`);
    assert.equal(resolveConfigPath({ cwd: '/w' }), `/w/${DEFAULT_CONFIG_FILE}`);
    assert.throws(() => resolveConfigPath({ context: 42, cwd: '/w' }), /context "config" must be the path/);
  });

  test('the environment variable is read when no context names a file', () => {
    const path = writeConfig({ logs: [{ preset: 'sigstore-ctfe-2022', name: 'from-env' }] });
    const { stack, configPath } = createMonitorApp({
      cwd: '/',
      env: { [CONFIG_ENV_VAR]: path },
      context: {},
      code: standIn(),
    });
    assert.equal(configPath, path);
    assert.match(JSON.stringify(Template.fromStack(stack).toJSON()), /LOG#from-env/);
  });

  test("the default config is the repository's: the public Sigstore logs", () => {
    const { stack, configPath } = createMonitorApp({ cwd: REPO, env: {}, context: {}, code: standIn() });
    assert.equal(configPath, join(REPO, DEFAULT_CONFIG_FILE));
    const t = Template.fromStack(stack);
    const names = Object.values(t.findResources('AWS::Lambda::Function'))
      .map((f) => JSON.parse(f.Properties.Environment.Variables.LOG_CONFIG).name)
      .sort();
    assert.deepEqual(names, ['sigstore-ctfe-2022', 'sigstore-rekor']);
    assert.ok(
      parseConfigFile(JSON.stringify({ logs: [{ preset: 'sigstore-rekor' }] }), 'x').logs.length === 1,
    );
  });
});

describe('the construct validates logs handed to it directly', () => {
  const parsed = parseConfigFile(
    JSON.stringify({
      logs: [{ preset: 'sigstore-rekor', interval: '1m' }, { preset: 'sigstore-ctfe-2022' }],
    }),
    'x',
  ).logs;
  const build = (props: Partial<ConstructorParameters<typeof TransparencyLogMonitor>[2]>) =>
    new TransparencyLogMonitor(new Stack(new App(), 'S'), 'M', { logs: parsed, code: standIn(), ...props });

  test('duplicates, no logs, sub-minute intervals', () => {
    const [first] = parsed;
    assert.ok(first);
    assert.throws(() => build({ logs: [first, { ...first, name: 'SIGSTORE-REKOR' }] }), /duplicate log name/);
    assert.throws(() => build({ logs: [] }), /must list at least one log/);
    assert.throws(
      () => build({ logs: [{ ...first, interval: '20s', intervalMs: 20_000 }] }),
      /S\/M: props: logs\[0\] \("sigstore-rekor"\)\.interval: EventBridge Scheduler/,
    );
  });

  test('out-of-range settings, each named', () => {
    assert.throws(() => build({ retryAttempts: 3 }), /retryAttempts: must be 0, 1 or 2, got 3/);
    assert.throws(() => build({ memorySize: 64 }), /memorySize: must be a whole number of MB/);
    assert.throws(() => build({ missedChecks: 0 }), /missedChecks: must be a whole number, at least 1/);
    assert.throws(() => build({ metricsNamespace: 'AWS/Lambda' }), /metricsNamespace: /);
    assert.throws(() => build({ frozenLogs: ['other'] }), /frozenLogs\[0\]: names no configured log/);
    const [first] = parsed;
    assert.ok(first);
    assert.throws(
      () => build({ logs: [{ ...first, timeoutMs: 60_000 }] }),
      /logs\[0\] \("sigstore-rekor"\)\.timeoutMs: must be below the function timeout \(60000 ms\), got 60000/,
    );
    assert.doesNotThrow(() =>
      build({ logs: [{ ...first, timeoutMs: 60_000 }], timeout: Duration.seconds(90) }),
    );
  });

  test('alert addresses and reminder hours are validated as in the config file', () => {
    assert.throws(
      () => build({ alertEmails: ['nobody'] }),
      /S\/M: props: alerts\.emails\[0\]: must be an email address/,
    );
    assert.throws(
      () => build({ reminderHours: 0 }),
      /S\/M: props: alerts\.reminderHours: must be a whole number of hours/,
    );
    const ok = build({ alertEmails: ['a@example.com'], reminderHours: 3 });
    const t = Template.fromStack(Stack.of(ok));
    t.resourceCountIs('AWS::SNS::Subscription', 1);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { ALERT_REMINDER: '3h' } },
    });
  });
});

test("a log entry too big for the function's environment is refused", () => {
  const [log] = parseConfigFile(
    JSON.stringify({ logs: [{ preset: 'sigstore-rekor', interval: '1m' }] }),
    'x',
  ).logs;
  assert.ok(log);
  assert.doesNotThrow(() => checkDeployable([log], 'src'));
  const big = { ...log, witnesses: Array.from({ length: 60 }, (_, i) => `witness-${i}+${'a'.repeat(60)}`) };
  assert.throws(
    () => checkDeployable([big], 'src'),
    new RegExp(
      `src: logs\\[0\\] \\("sigstore-rekor"\\): the entry is \\d+ bytes as JSON, over the ${MAX_LOG_CONFIG_BYTES} bytes`,
    ),
  );
});

test('Scheduler rate expressions', () => {
  assert.equal(rateExpression(1), 'rate(1 minute)');
  assert.equal(rateExpression(5), 'rate(5 minutes)');
  assert.equal(rateExpression(90), 'rate(90 minutes)');
  assert.equal(rateExpression(60), 'rate(1 hour)');
  assert.equal(rateExpression(1440), 'rate(24 hours)');
  const [log] = parseConfigFile(
    JSON.stringify({ logs: [{ preset: 'sigstore-rekor', interval: '2h' }] }),
    'x',
  ).logs;
  assert.ok(log);
  assert.deepEqual(scheduleMinutes(log), { minutes: 120 });
  assert.ok('error' in scheduleMinutes({ ...log, interval: '59s', intervalMs: 59_000 }));
});
