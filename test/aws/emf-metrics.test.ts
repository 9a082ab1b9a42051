/**
 * The embedded-metric-format line (lib/aws/emf-metrics.ts): every docs/contracts.md value as a member,
 * the declared metrics and their dimensions, each declared metric with its value in the line
 * (the EMF specification's rule), and `detailed` declaring every value per log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmfMetrics, emfDocument } from '../../lib/aws/emf-metrics.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';

const verified: CheckResult = {
  log: 'rekor',
  status: 'verified',
  previous: { size: '120', root: 'a' },
  current: { size: '180', root: 'b' },
  durationMs: 41,
};
const unreachable: CheckResult = { log: 'rekor', status: 'unreachable', durationMs: 10_000 };

const declaredNames = (d: ReturnType<typeof emfDocument>) =>
  d._aws.CloudWatchMetrics.map(
    (x) => `${x.Dimensions.map((s) => s.join('+')).join('|')}: ${x.Metrics.map((m) => m.Name).join(',')}`,
  );

describe('emfDocument', () => {
  it('a clean check: its staleness per log, the outcomes across logs; every value a member', () => {
    const d = emfDocument(verified, { secondsSinceGrowth: 0 }, { namespace: 'NS' }, 1_700_000_000_000);
    assert.equal(d._aws.Timestamp, 1_700_000_000_000);
    assert.deepEqual(declaredNames(d), [
      'Log: SecondsSinceGrowth',
      'Scope: CheckSucceeded,MisbehaviourDetected,CheckFailed',
    ]);
    assert.ok(d._aws.CloudWatchMetrics.every((x) => x.Namespace === 'NS'));
    assert.equal(d.Log, 'rekor');
    assert.equal(d.Scope, 'all-logs');
    assert.equal(d.status, 'verified');
    for (const [name, value] of Object.entries({
      CheckSucceeded: 1,
      CheckFailed: 0,
      MisbehaviourDetected: 0,
      TreeSize: 180,
      NewEntries: 60,
      SecondsSinceGrowth: 0,
      CheckDuration: 41,
    })) {
      assert.equal(d[name], value, name);
    }
  });

  it('a failed check declares no per-log metric (no successful check: no sample)', () => {
    const d = emfDocument(unreachable, { secondsSinceGrowth: 300 }, { namespace: 'NS' }, 0);
    assert.deepEqual(declaredNames(d), ['Scope: CheckSucceeded,MisbehaviourDetected,CheckFailed']);
    assert.equal(d.CheckFailed, 1);
    assert.equal(d.SecondsSinceGrowth, undefined);
  });

  it('detailed: every value declared per log, and each declared metric has its value', () => {
    for (const r of [verified, unreachable]) {
      const d = emfDocument(r, { secondsSinceGrowth: 5 }, { namespace: 'NS', detailed: true }, 0);
      const perLog = d._aws.CloudWatchMetrics.find((x) => x.Dimensions[0]?.[0] === 'Log');
      assert.ok(perLog);
      const expected = Object.keys(d).filter((k) => /^[A-Z]/.test(k) && !['Log', 'Scope'].includes(k));
      assert.deepEqual(perLog.Metrics.map((m) => m.Name).sort(), expected.sort());
      for (const x of d._aws.CloudWatchMetrics)
        for (const m of x.Metrics) assert.equal(typeof d[m.Name], 'number', m.Name);
    }
  });
});

describe('EmfMetrics', () => {
  it('writes one JSON line per check, timed by its clock', async () => {
    const lines: string[] = [];
    const sink = new EmfMetrics({ namespace: 'NS', write: (l) => lines.push(l), now: () => 42 });
    await sink.publish(verified, { secondsSinceGrowth: 0 });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]?.includes('\n'));
    assert.equal(JSON.parse(lines[0] as string)._aws.Timestamp, 42);
  });
});
