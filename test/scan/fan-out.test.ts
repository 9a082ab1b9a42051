/** Fan-out: ranges scanned in any order, committed strictly in index order, each match once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TlogError } from '../../lib/errors.ts';
import { commitRangeResults, scanRangeAhead, splitBacklog } from '../../lib/scan/fan-out.ts';
import { endingIn, indices, scanSetup } from './helpers.ts';

describe('fan-out of a scan backlog', () => {
  it('splits a backlog into ranges', () => {
    assert.deepEqual(splitBacklog(10n, 35n, 10n), [
      { start: 10n, end: 20n },
      { start: 20n, end: 30n },
      { start: 30n, end: 35n },
    ]);
    assert.deepEqual(splitBacklog(5n, 5n, 10n), []);
  });

  it('workers in any order; the committer folds in index order and stops at a gap', async () => {
    const s = scanSetup(10);
    await s.scan(); // cursor at 10
    s.tree().grow(60);
    const head = await s.head();
    const ranges = splitBacklog(10n, head.size, 13n);
    const target = { head, indexOffset: 0n };
    // The second range is late; the others finish in reverse order.
    const late = ranges[1];
    assert.ok(late);
    for (const r of [...ranges].reverse()) if (r !== late) await scanRangeAhead('log', s.deps, target, r);

    const first = await commitRangeResults('log', s.deps, head);
    assert.equal(first.next, 23n, 'stops at the gap left by the late range');
    assert.deepEqual(indices(first.matches), [17]);

    await scanRangeAhead('log', s.deps, target, late);
    const rest = await commitRangeResults('log', s.deps, head);
    assert.equal(rest.next, 70n);
    assert.deepEqual(indices(rest.matches), endingIn(7, 23, 70));
    assert.deepEqual(indices(await s.store.pendingMatches('log')), endingIn(7, 10, 70));
    assert.equal(s.store.ranges.size, 0, 'committed ranges are deleted');
  });

  it('a worker proves its own range (the range before it comes from the log) and refuses a forged entry', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(30);
    const head = await s.head();
    s.source.forge(22n, 'A/0/22 forged', 'A');
    await assert.rejects(
      scanRangeAhead('log', s.deps, { head, indexOffset: 0n }, { start: 20n, end: 30n }),
      (e: unknown) => e instanceof TlogError && e.code === 'scan/not-in-tree' && /index 22/.test(e.message),
    );
    assert.equal(s.store.ranges.size, 0, 'nothing stored for an unproven range');
  });

  it('a stored range whose nodes do not fold on to the cursor is not committed', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(10);
    const head = await s.head();
    await s.store.putRangeResult('log', {
      start: 10n,
      end: 20n,
      nodes: [1, 2, 3].map((b) => new Uint8Array(32).fill(b)),
      matches: [{ index: '17', shard: 'A', matcher: 'subjects', rule: 'x', values: ['x'], entryType: 't' }],
      skipped: [],
      shard: 'A',
    });
    await assert.rejects(
      commitRangeResults('log', s.deps, head),
      (e: unknown) => e instanceof TlogError && e.code === 'scan/not-in-tree',
    );
    assert.equal(s.store.scans.get('log')?.cursor.next, 10n);
    assert.deepEqual(await s.store.pendingMatches('log'), []);
  });
});
