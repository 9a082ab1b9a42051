/** PrometheusMetrics as a metrics sink: what each kind of CheckResult does to the series. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogConfig } from '../../../lib/config/log-config.ts';
import type { Clock } from '../../../lib/http/ports.ts';
import { PrometheusMetrics } from '../../../lib/local/prometheus/prometheus-metrics.ts';
import type { CheckResult } from '../../../lib/monitor/check-result.ts';
import { readVectorText } from '../../support/vectors.ts';

const log = parseLogConfig(
  {
    name: 'rekor',
    type: 'rekor-v1',
    url: 'https://rekor.example',
    publicKey: readVectorText('rekor/rekor.sigstore.dev.pub.pem').trim(),
    interval: '1m',
  },
  'test',
);

function clockAt(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async () => {},
    advance: (ms) => {
      now += ms;
    },
  };
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const result = (r: Partial<CheckResult> & Pick<CheckResult, 'status'>): CheckResult => ({
  log: 'rekor',
  durationMs: 5,
  ...r,
});

describe('PrometheusMetrics', () => {
  it('counts misbehaviour as a failure and as misbehaviour, and keeps the last verified size', async () => {
    const clock = clockAt(1_000_000);
    const m = new PrometheusMetrics([log], clock);
    await m.publish(result({ status: 'initialized', current: { size: '10', root: 'r' } }), {});
    clock.advance(30_000);
    await m.publish(result({ status: 'fork', current: { size: '10', root: 'x' } }), {});
    clock.advance(15_000);
    const text = await m.metrics();
    assert.equal(sample(text, 'log_index_verification_total{log="rekor"}'), 2);
    assert.equal(sample(text, 'log_index_verification_failure{log="rekor"}'), 1);
    assert.equal(sample(text, 'tlog_monitor_misbehaviour_total{log="rekor"}'), 1);
    assert.equal(sample(text, 'tlog_monitor_tree_size{log="rekor"}'), 10);
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="rekor"}'), 45);
    assert.equal(sample(text, 'tlog_monitor_seconds_since_growth{log="rekor"}'), 45);
    assert.equal(sample(text, 'tlog_monitor_check_interval_seconds{log="rekor"}'), 60);
  });

  it('before any clean check, counts the seconds since the monitor started', async () => {
    const clock = clockAt(5_000);
    const m = new PrometheusMetrics([log], clock);
    clock.advance(90_000);
    await m.publish(result({ status: 'unreachable', message: 'down' }), {});
    const text = await m.metrics();
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="rekor"}'), 90);
    assert.equal(sample(text, 'tlog_monitor_checks_total{log="rekor",status="unreachable"}'), 1);
    assert.equal(sample(text, 'tlog_monitor_misbehaviour_total{log="rekor"}'), 0);
  });

  it('an unchanged tree is verified but not growth', async () => {
    const clock = clockAt(0);
    const m = new PrometheusMetrics([log], clock);
    await m.publish(result({ status: 'verified', current: { size: '12', root: 'r' } }), {});
    clock.advance(60_000);
    await m.publish(result({ status: 'unchanged', current: { size: '12', root: 'r' } }), {});
    clock.advance(1_000);
    const text = await m.metrics();
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="rekor"}'), 1);
    assert.equal(sample(text, 'tlog_monitor_seconds_since_growth{log="rekor"}'), 61);
  });

  it('counts identity matches carried by a result', async () => {
    const m = new PrometheusMetrics([log], clockAt(0));
    const withMatches = {
      ...result({ status: 'verified', current: { size: '3', root: 'r' } }),
      matches: ['1', '2'].map((index) => ({
        index,
        matcher: 'subjects' as const,
        rule: 'a',
        values: ['a'],
        entryType: 'x509_entry',
      })),
    };
    await m.publish(withMatches, {});
    assert.equal(sample(await m.metrics(), 'tlog_monitor_identity_matches_total{log="rekor"}'), 2);
  });
});

describe('PrometheusMetrics.recall (what the state files remember across a restart)', () => {
  it('counts from the recorded times until this process sees a check', async () => {
    const clock = clockAt(Date.parse('2026-12-01T12:00:00Z'));
    const m = new PrometheusMetrics([log], clock);
    m.recall('rekor', { lastCleanAt: '2026-12-01T11:00:00Z', lastGrowthAt: '2026-12-01T06:00:00Z' });
    let text = await m.metrics();
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="rekor"}'), 3600);
    assert.equal(sample(text, 'tlog_monitor_seconds_since_growth{log="rekor"}'), 6 * 3600);
    await m.publish(result({ status: 'unchanged', current: { size: '3', root: 'r' } }), {});
    m.recall('rekor', { lastCleanAt: '2026-12-01T10:00:00Z' });
    text = await m.metrics();
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="rekor"}'), 0);
  });

  it('ignores times in the future, unreadable times and unknown logs', async () => {
    const clock = clockAt(Date.parse('2026-12-01T12:00:00Z'));
    const m = new PrometheusMetrics([log], clock);
    m.recall('rekor', { lastCleanAt: '2026-12-02T00:00:00Z', lastGrowthAt: 'yesterday' });
    m.recall('other', { lastCleanAt: '2026-12-01T00:00:00Z' });
    clock.advance(5_000);
    const text = await m.metrics();
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="rekor"}'), 5);
    assert.equal(sample(text, 'tlog_monitor_seconds_since_growth{log="rekor"}'), 5);
    assert.equal(sample(text, 'tlog_monitor_seconds_since_verified_check{log="other"}'), undefined);
  });
});
