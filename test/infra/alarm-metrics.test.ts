/**
 * Every alarm of the synthesized template reads a metric the handler actually declares, and
 * fires on the condition it names. The declared metrics are taken from the handler's own sink
 * (lib/aws/emf-metrics.ts `emfDocument`, the code that writes the log line), run on one check of
 * each outcome, not from a copy of the names: an alarm on a metric nobody writes would never fire.
 *
 * Each alarm is then evaluated over one period of such log lines, as CloudWatch would: the
 * alarm's statistic over the values of its metric (namespace, name, dimensions) declared in
 * those lines, compared with its threshold, with its missing-data rule when there are none.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EmfDocument, emfDocument } from '../../lib/aws/emf-metrics.ts';
import { CHECK_STATUSES, type CheckResult, type CheckStatus } from '../../lib/monitor/check-result.ts';
import type { MetricExtras } from '../../lib/monitor/metrics.ts';
import { type Cfn, synthTestApp, TEST_CONFIG } from './synth.ts';

const { template } = synthTestApp();
const NAMESPACE = 'TransparencyLogMonitor';
const LOGS = TEST_CONFIG.logs.map((l) => l.name);
const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(
  ([id, r]) => [id, r.Properties as Cfn] as const,
);

const STATUSES = CHECK_STATUSES;

function check(log: string, status: CheckStatus, secondsSinceGrowth = 0): EmfDocument {
  const head = { size: '10', root: 'AAAA' };
  const result: CheckResult = {
    log,
    status,
    durationMs: 40,
    ...(status === 'verified' ? { previous: { size: '5', root: 'BBBB' }, current: head } : {}),
    ...(status === 'initialized' || status === 'unchanged' ? { current: head } : {}),
  };
  const extras: MetricExtras = { secondsSinceGrowth };
  return emfDocument(result, extras, { namespace: NAMESPACE }, 0);
}

/** `namespace|name|Dim=value,...` for every metric the documents declare. */
function declared(docs: readonly EmfDocument[]): Set<string> {
  const keys = new Set<string>();
  for (const d of docs) {
    for (const directive of d._aws.CloudWatchMetrics) {
      for (const dims of directive.Dimensions) {
        for (const m of directive.Metrics) {
          const dimText = dims.map((k) => `${k}=${String(d[k])}`).join(',');
          keys.add(`${directive.Namespace}|${m.Name}|${dimText}`);
        }
      }
    }
  }
  return keys;
}

function alarmKey(a: Cfn): string {
  const dims = ((a.Dimensions ?? []) as { Name: string; Value: string }[]).map((d) => `${d.Name}=${d.Value}`);
  return `${a.Namespace}|${a.MetricName}|${dims.join(',')}`;
}

/** The values of the alarm's metric in these documents. */
function valuesFor(a: Cfn, docs: readonly EmfDocument[]): number[] {
  const key = alarmKey(a);
  return docs.filter((d) => declared([d]).has(key)).map((d) => d[a.MetricName] as number);
}

/** The alarm's state after one period of these documents (all its evaluation periods alike). */
function evaluate(a: Cfn, docs: readonly EmfDocument[]): 'ALARM' | 'OK' {
  const xs = valuesFor(a, docs);
  if (xs.length === 0) return a.TreatMissingData === 'breaching' ? 'ALARM' : 'OK';
  const stat: Record<string, number> = {
    SampleCount: xs.length,
    Sum: xs.reduce((s, x) => s + x, 0),
    Maximum: Math.max(...xs),
    Minimum: Math.min(...xs),
  };
  const v = stat[a.Statistic as string];
  assert.ok(v !== undefined, `statistic ${a.Statistic}`);
  const t = a.Threshold as number;
  const breach: Record<string, boolean> = {
    GreaterThanOrEqualToThreshold: v >= t,
    GreaterThanThreshold: v > t,
    LessThanThreshold: v < t,
    LessThanOrEqualToThreshold: v <= t,
  };
  return breach[a.ComparisonOperator as string] ? 'ALARM' : 'OK';
}

const everyOutcome = LOGS.flatMap((log) => STATUSES.map((s) => check(log, s)));
const emitted = declared(everyOutcome);
const own = alarms.filter(([, a]) => !String(a.Namespace).startsWith('AWS/'));

test('every alarm on the monitor namespace reads a metric the handler declares', () => {
  assert.ok(own.length >= 4, 'the per-log alarms and the misbehaviour alarm');
  for (const [id, a] of own) {
    assert.equal(a.Metrics, undefined, `${id}: a single-metric alarm`);
    assert.ok(emitted.has(alarmKey(a)), `${id} reads ${alarmKey(a)}, which the handler never declares`);
  }
});

test('the only other alarm is the dead-letter queue (an AWS metric)', () => {
  const others = alarms.filter(([, a]) => String(a.Namespace).startsWith('AWS/'));
  assert.deepEqual(
    others.map(([, a]) => `${a.Namespace}|${a.MetricName}`),
    ['AWS/SQS|ApproximateNumberOfMessagesVisible'],
  );
});

describe('each alarm fires on its condition, and only then', () => {
  const byName = (suffix: string) => {
    const found = own.filter(([, a]) => String(a.AlarmName).endsWith(suffix));
    assert.ok(found.length > 0, suffix);
    return found.map(([, a]) => a);
  };

  test('misbehaviour: any log misbehaving fires it; clean and operational results do not', () => {
    const [a] = byName('-misbehaviour') as [Cfn];
    for (const log of LOGS) {
      for (const status of ['inconsistent', 'fork', 'rollback', 'bad-signature'] as const) {
        assert.equal(evaluate(a, [check(log, 'verified'), check(log, status)]), 'ALARM', `${log} ${status}`);
      }
      for (const status of ['verified', 'unchanged', 'unreachable', 'invalid-response'] as const) {
        assert.equal(evaluate(a, [check(log, status)]), 'OK', `${log} ${status}`);
      }
    }
  });

  test('no successful check: fires on failures, misbehaviour or silence; a clean check clears it', () => {
    for (const a of byName('-no-successful-check')) {
      const log = (a.Dimensions as { Value: string }[])[0]?.Value as string;
      for (const status of ['unreachable', 'invalid-response', 'monitor-error', 'fork'] as const) {
        assert.equal(evaluate(a, [check(log, status)]), 'ALARM', `${log} ${status}`);
      }
      assert.equal(evaluate(a, []), 'ALARM', `${log}: no run at all`);
      for (const status of ['initialized', 'verified', 'unchanged'] as const) {
        assert.equal(evaluate(a, [check(log, 'unreachable'), check(log, status)]), 'OK', `${log} ${status}`);
      }
      const other = LOGS.find((l) => l !== log) as string;
      assert.equal(evaluate(a, [check(other, 'verified')]), 'ALARM', "another log's success does not count");
    }
  });

  test('not growing: fires past the threshold on a clean check, not before, not on silence', () => {
    const found = byName('-not-growing');
    assert.equal(found.length, 1, 'none for the frozen log');
    const [a] = found as [Cfn];
    const log = (a.Dimensions as { Value: string }[])[0]?.Value as string;
    const t = a.Threshold as number;
    assert.equal(evaluate(a, [check(log, 'unchanged', t + 60)]), 'ALARM');
    assert.equal(evaluate(a, [check(log, 'unchanged', t - 60)]), 'OK');
    assert.equal(evaluate(a, [check(log, 'verified', 0)]), 'OK');
    assert.equal(evaluate(a, []), 'OK', 'missing data is the no-successful-check alarm');
  });
});
