/**
 * Honest growth against moto: the handler initialises, verifies growth and sees an unchanged log;
 * its log lines carry the metrics (embedded metric format), DynamoDB the HEAD and one CP# item per
 * stored head, and SNS sends nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkpointKey } from '../../lib/aws/dynamodb-store.ts';
import type { EmfDocument } from '../../lib/aws/emf-metrics.ts';
import { LOG_NAME, NAMESPACE, SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('monitor Lambda on moto: honest growth', () => {
  const h = useHarness({ initialSize: 5 });

  it('initialises, verifies growth, sees no change; keeps a CP# history', async () => {
    const first = await h.handler(SCHEDULED_EVENT);
    assert.equal(first.status, 'initialized');
    assert.equal(first.current?.size, '5');

    h.log.append(7);
    const second = await h.handler(SCHEDULED_EVENT);
    assert.equal(second.status, 'verified', second.message);
    assert.equal(second.previous?.size, '5');
    assert.equal(second.current?.size, '12');

    const third = await h.handler({ action: 'check' });
    assert.equal(third.status, 'unchanged');

    h.log.append(1);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified');

    const head = await h.head();
    assert.equal(head?.version, 3);
    assert.equal(head?.head.size, '13');
    const cps = await h.store.checkpoints(LOG_NAME);
    assert.deepEqual(
      cps.map((c) => c.size),
      ['5', '12', '13'],
    );
    const sks = (await h.items('CP#')).map((i) => i.sk?.S);
    assert.deepEqual(
      sks,
      ['5', '12', '13'].map((s) => checkpointKey(s, h.log.treeId)),
    );
    assert.equal((await h.messages()).length, 0, 'no alert for an honest log');
  });

  it('writes one metrics line per check (embedded metric format) with every value of docs/contracts.md', () => {
    const docs = h.lines.map((l) => JSON.parse(l)).filter((d): d is EmfDocument => '_aws' in d);
    assert.equal(docs.length, 4, 'one per check');
    for (const d of docs) {
      assert.equal(d.Log, LOG_NAME);
      for (const n of [
        'CheckSucceeded',
        'MisbehaviourDetected',
        'CheckFailed',
        'TreeSize',
        'NewEntries',
        'SecondsSinceGrowth',
        'CheckDuration',
      ]) {
        assert.equal(typeof d[n], 'number', `${n} in ${JSON.stringify(d)}`);
      }
      const declared = d._aws.CloudWatchMetrics;
      assert.ok(declared.every((x) => x.Namespace === NAMESPACE));
      // Every declared metric has its value in the line (EMF specification).
      for (const x of declared) for (const m of x.Metrics) assert.equal(typeof d[m.Name], 'number', m.Name);
    }
    const sum = (n: string) => docs.reduce((a, d) => a + (d[n] as number), 0);
    assert.equal(sum('CheckSucceeded'), 4, 'four clean checks');
    assert.equal(sum('MisbehaviourDetected'), 0);
    assert.equal(sum('CheckFailed'), 0);
    assert.equal(Math.max(...docs.map((d) => d.TreeSize as number)), 13);
    assert.equal(sum('NewEntries'), 8, '7 + 0 + 1 new entries (and 0 when initialised)');
    assert.deepEqual(
      docs.map((d) => d.SecondsSinceGrowth === 0),
      [true, true, false, true],
      'growth seen on the first head and each verified growth; not on the unchanged check',
    );
  });
});
