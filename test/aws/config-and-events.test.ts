/**
 * The Lambda environment (lib/aws/runtime-config.ts), the accepted events (lib/aws/events.ts) and
 * the metric values of one check (lib/monitor/metrics.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../lib/aws/events.ts';
import { readRuntimeConfig } from '../../lib/aws/runtime-config.ts';
import { TlogError } from '../../lib/errors.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import { metricValues } from '../../lib/monitor/metrics.ts';
import { generateP256Signer } from '../support/test-log-signing.ts';

const pem = generateP256Signer().publicKeyPem;
const good = {
  LOG_CONFIG: JSON.stringify({
    name: 'rekor',
    type: 'rekor-v1',
    url: 'https://rekor.sigstore.dev',
    publicKey: pem,
  }),
  TABLE_NAME: 'tlog-monitor-state',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:tlog-monitor-alerts',
  METRICS_NAMESPACE: 'TransparencyLogMonitor',
};

describe('readRuntimeConfig', () => {
  it('reads a valid environment; the reminder defaults to 6 h', () => {
    const c = readRuntimeConfig(good);
    assert.equal(c.log.name, 'rekor');
    assert.equal(c.log.url, 'https://rekor.sigstore.dev');
    assert.equal(c.tableName, 'tlog-monitor-state');
    assert.equal(c.topicArn, good.TOPIC_ARN);
    assert.equal(c.metricsNamespace, 'TransparencyLogMonitor');
    assert.equal(c.reminderMs, 6 * 3_600_000);
    assert.equal(readRuntimeConfig({ ...good, ALERT_REMINDER: '30m' }).reminderMs, 1_800_000);
  });

  it('operational alerts wait for 3 failed checks unless ALERT_AFTER_FAILURES says; metrics minimal unless METRICS_DETAIL=all', () => {
    assert.equal(readRuntimeConfig(good).failuresBeforeAlert, 3);
    assert.equal(readRuntimeConfig({ ...good, ALERT_AFTER_FAILURES: '1' }).failuresBeforeAlert, 1);
    assert.equal(readRuntimeConfig(good).detailedMetrics, false);
    assert.equal(readRuntimeConfig({ ...good, METRICS_DETAIL: 'all' }).detailedMetrics, true);
  });

  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    ['missing LOG_CONFIG', { LOG_CONFIG: undefined }, /LOG_CONFIG is not set/],
    ['blank TABLE_NAME', { TABLE_NAME: '  ' }, /TABLE_NAME is not set/],
    ['LOG_CONFIG not JSON', { LOG_CONFIG: '{' }, /LOG_CONFIG is not valid JSON/],
    [
      'LOG_CONFIG invalid entry',
      { LOG_CONFIG: '{"name":"rekor","type":"nope"}' },
      /LOG_CONFIG \("rekor"\)\.type/,
    ],
    ['TABLE_NAME bad characters', { TABLE_NAME: 'my table' }, /TABLE_NAME must be/],
    [
      'TOPIC_ARN not an SNS ARN',
      { TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:q' },
      /TOPIC_ARN must be an SNS topic ARN/,
    ],
    ['METRICS_NAMESPACE reserved', { METRICS_NAMESPACE: 'AWS/Lambda' }, /METRICS_NAMESPACE must be/],
    ['ALERT_REMINDER malformed', { ALERT_REMINDER: '6 hours' }, /ALERT_REMINDER must be a duration/],
    [
      'ALERT_AFTER_FAILURES zero',
      { ALERT_AFTER_FAILURES: '0' },
      /ALERT_AFTER_FAILURES must be a whole number from 1 to 100, got "0"/,
    ],
    ['ALERT_AFTER_FAILURES too big', { ALERT_AFTER_FAILURES: '101' }, /ALERT_AFTER_FAILURES must be/],
    ['METRICS_DETAIL unknown', { METRICS_DETAIL: 'some' }, /METRICS_DETAIL must be "all" or unset/],
  ];
  for (const [name, change, message] of cases) {
    it(`rejects ${name}, naming the variable`, () => {
      const env = { ...good, ...change };
      assert.throws(
        () => readRuntimeConfig(env),
        (e: unknown) => e instanceof TlogError && e.code === 'config/invalid' && message.test(e.message),
      );
    });
  }
});

describe('parseEvent', () => {
  it('accepts a scheduled event, a forced check and verify-checkpoint', () => {
    assert.deepEqual(parseEvent({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }), {
      kind: 'scheduled',
    });
    assert.deepEqual(parseEvent({ action: 'check' }), { kind: 'check' });
    assert.deepEqual(parseEvent({ action: 'verify-checkpoint', checkpoint: 'x\n1\nAA==\n' }), {
      kind: 'verify-checkpoint',
      checkpoint: 'x\n1\nAA==\n',
    });
  });
  it('refuses anything else with a message saying what is accepted', () => {
    for (const bad of [
      undefined,
      3,
      [],
      { action: 'Check' },
      { action: 'verify-checkpoint', checkpoint: 4 },
      { action: 'verify-checkpoint', checkpoint: 'x'.repeat(70_000) },
      { 'detail-type': 'Object Created' },
    ]) {
      assert.throws(() => parseEvent(bad), /unsupported event: .*; expected an EventBridge scheduled event/);
    }
  });
});

describe('metricValues', () => {
  const base = { log: 'rekor', durationMs: 40 } as const;
  const asMap = (r: CheckResult, secondsSinceGrowth?: number) =>
    Object.fromEntries(
      metricValues(r, secondsSinceGrowth === undefined ? {} : { secondsSinceGrowth }).map((m) => [
        m.name,
        [m.value, m.unit],
      ]),
    );

  it('a verified check: succeeded, tree size, new entries, growth now', () => {
    assert.deepEqual(
      asMap(
        {
          ...base,
          status: 'verified',
          previous: { size: '120', root: 'a' },
          current: { size: '180', root: 'b' },
        },
        0,
      ),
      {
        CheckSucceeded: [1, 'Count'],
        MisbehaviourDetected: [0, 'Count'],
        CheckFailed: [0, 'Count'],
        TreeSize: [180, 'Count'],
        NewEntries: [60, 'Count'],
        SecondsSinceGrowth: [0, 'Seconds'],
        CheckDuration: [40, 'Milliseconds'],
      },
    );
  });
  it('across a shard rotation, new entries count the old shard tail and the new shard', () => {
    const m = asMap({
      ...base,
      status: 'verified',
      previous: { size: '100', root: 'a', shard: '1' },
      current: { size: '7', root: 'b', shard: '2' },
      shardRotation: { from: '1', to: '2', finalSize: '110' },
    });
    assert.deepEqual(m.NewEntries, [17, 'Count']);
  });
  it('misbehaviour: no tree size from the contradicting head, no staleness (not a successful check)', () => {
    const m = asMap(
      { ...base, status: 'fork', previous: { size: '5', root: 'a' }, current: { size: '5', root: 'b' } },
      90,
    );
    assert.deepEqual([m.CheckSucceeded?.[0], m.MisbehaviourDetected?.[0], m.CheckFailed?.[0]], [0, 1, 0]);
    assert.equal(m.TreeSize, undefined);
    assert.equal(m.SecondsSinceGrowth, undefined);
  });
  it('an unchanged log: staleness written (a successful check)', () => {
    const m = asMap({ ...base, status: 'unchanged', current: { size: '5', root: 'a' } }, 90);
    assert.deepEqual(m.SecondsSinceGrowth, [90, 'Seconds']);
  });
  it('operational failures count as CheckFailed', () => {
    for (const status of ['unreachable', 'invalid-response', 'monitor-error'] as const) {
      const m = asMap({ ...base, status }, 90);
      assert.deepEqual([m.CheckSucceeded?.[0], m.MisbehaviourDetected?.[0], m.CheckFailed?.[0]], [0, 0, 1]);
      assert.equal(m.SecondsSinceGrowth, undefined);
    }
  });
});
