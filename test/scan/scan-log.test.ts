/**
 * The scan use case against a scripted log with a fake entry source and matcher: new entries
 * only by default, startIndex, budgets proven by consistency proofs, a forged entry (misbehaviour
 * with evidence, nothing reported, cursor kept, resumes when honest), skipped entries, races,
 * tampered state, Rekor shard rotation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64, utf8 } from '../../lib/bytes.ts';
import { TlogError } from '../../lib/errors.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { CompactRange } from '../../lib/merkle/index.ts';
import type { Evidence } from '../../lib/monitor/check-result.ts';
import { endingIn, indices, scanSetup } from './helpers.ts';

async function scanError(p: Promise<unknown>): Promise<TlogError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TlogError, String(e));
    return e;
  }
  assert.fail('expected the scan to fail');
}

const cursorOf = (s: ReturnType<typeof scanSetup>) => s.store.scans.get('log')?.cursor.next;

describe('scanLog', () => {
  it('starts at the first verified size (new entries only), then reports each new match once', async () => {
    const s = scanSetup(30);
    const first = await s.scan();
    assert.equal(first.scanned, 0n);
    assert.deepEqual(first.matches, []);
    assert.equal(cursorOf(s), 30n);
    assert.equal(s.source.calls.length, 0, 'no entries fetched for an empty backlog');

    s.tree().grow(45);
    const second = await s.scan();
    assert.equal(second.scanned, 45n);
    assert.ok(second.complete);
    assert.deepEqual(indices(second.matches), endingIn(7, 30, 75));
    assert.deepEqual(indices(second.skipped), endingIn(3, 30, 75));
    assert.equal(second.matches[0]?.shard, 'A');
    assert.deepEqual(second.matches[0]?.values, ['A/0/37']);
    assert.deepEqual(indices(await s.store.pendingMatches('log')), endingIn(7, 30, 75));

    const third = await s.scan();
    assert.deepEqual(third.matches, [], 'a re-run repeats no match');
    assert.equal(third.scanned, 0n);
  });

  it('startIndex 0 scans the whole log; a mid-log start is proven by the fold of what follows', async () => {
    for (const start of [0n, 13n]) {
      const s = scanSetup(40, { startIndex: start });
      const r = await s.scan();
      assert.deepEqual(indices(r.matches), endingIn(7, Number(start), 40));
      assert.equal(cursorOf(s), 40n);
    }
  });

  it('a startIndex beyond the verified size waits without storing a cursor', async () => {
    const s = scanSetup(10, { startIndex: 25n });
    const r = await s.scan();
    assert.equal(r.cursor, undefined);
    assert.equal(s.store.scans.size, 0);
    s.tree().grow(20);
    const later = await s.scan();
    assert.deepEqual(indices(later.matches), endingIn(7, 25, 30));
  });

  it('a run within its budget proves the prefix it scanned with a consistency proof; later runs finish the backlog', async () => {
    const s = scanSetup(5, { startIndex: 5n, maxEntries: 12n, chunkEntries: 5 });
    s.tree().grow(40);
    const seen: IdentityMatch[] = [];
    const r1 = await s.scan();
    assert.equal(r1.scanned, 12n);
    assert.equal(r1.complete, false);
    assert.equal(r1.cursor?.next, 17n);
    assert.ok(s.calls.proof >= 3, 'each chunk below the signed size is proven by a consistency proof');
    seen.push(...r1.matches);
    for (let i = 0; i < 5 && cursorOf(s) !== 45n; i++) seen.push(...(await s.scan()).matches);
    assert.equal(cursorOf(s), 45n);
    assert.deepEqual(indices(seen), endingIn(7, 5, 45), 'every match once, in index order');
  });

  it('a time budget stops the run between chunks', async () => {
    const s = scanSetup(0, { startIndex: 0n, chunkEntries: 4, maxMillis: 10 });
    s.tree().grow(30);
    let now = 0;
    const deps = { ...s.deps, clock: { now: () => (now += 4), sleep: async () => {} } };
    const { scanLog } = await import('../../lib/scan/scan-log.ts');
    const r = await scanLog('log', await s.head(), deps);
    assert.equal(r.complete, false);
    assert.ok(r.scanned > 0n && r.scanned < 30n, `scanned ${r.scanned}`);
  });

  it('a forged entry: scan/not-in-tree with the entry, its index and the signed head; nothing reported; resumes when honest', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(40);
    s.source.forge(27n, 'A/0/27 but evil', 'A');
    const e = await scanError(s.scan({ chunkEntries: 16 }));
    assert.equal(e.code, 'scan/not-in-tree');
    assert.match(e.message, /index 27/);
    const evidence = e.details?.evidence as Evidence;
    const head = await s.head();
    assert.equal(evidence.current, head.signed);
    assert.equal(evidence.other?.entryIndex, '27');
    assert.equal(evidence.other?.entry, toBase64(utf8('A/0/27 but evil')));
    assert.equal(
      cursorOf(s),
      26n,
      'the chunk before the forged one is committed; the cursor stops before it',
    );
    assert.ok(!s.matcher.seen.includes(27n), 'an unproven entry never reaches the matcher');
    assert.deepEqual(indices(await s.store.pendingMatches('log')), [17]);

    s.source.forged.clear();
    const r = await s.scan();
    assert.deepEqual(indices(r.matches), [27, 37, 47]);
    assert.deepEqual(indices(await s.store.pendingMatches('log')), [17, 27, 37, 47]);
  });

  it('a forged entry at the end of the tree is caught by the compare with the signed root', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(5);
    s.source.forge(14n, 'A/0/14 forged', 'A');
    const before = s.calls.proof;
    const e = await scanError(s.scan());
    assert.equal(e.code, 'scan/not-in-tree');
    assert.match(e.message, /signed head of size 15 has root/);
    assert.equal((e.details?.evidence as Evidence | undefined)?.other?.entryIndex, '14');
    assert.ok(s.calls.proof > before, 'the bad entry is pinpointed with consistency proofs at smaller sizes');
    assert.equal(cursorOf(s), 10n);
  });

  it('a range before a mid-log start that is not the tree is caught too', async () => {
    const s = scanSetup(30, { startIndex: 12n });
    s.source.fetchRangeBefore = async () => [new Uint8Array(32), new Uint8Array(32)];
    const e = await scanError(s.scan());
    assert.equal(e.code, 'scan/not-in-tree');
    assert.match(e.message, /compact range of \[0, 12\) the log served/);
    assert.equal(s.store.scans.size, 0);
  });

  it('a lost compare-and-set race continues from the winner cursor, with no match twice', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(30);
    // Another run scans and commits between our load and our commit.
    s.store.beforeCommit = async () => {
      s.store.beforeCommit = undefined;
      await s.scan();
    };
    const mine = await s.scan();
    assert.deepEqual(mine.matches, [], 'the winner committed them');
    assert.deepEqual(indices(await s.store.pendingMatches('log')), [17, 27, 37]);
    assert.equal(cursorOf(s), 40n);
  });

  it('a stored cursor that is not a prefix of the verified tree is corrupt state, not a lie of the log', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(5);
    const stored = s.store.scans.get('log');
    assert.ok(stored);
    const bogus = CompactRange.fromNodes(0n, 10n, [new Uint8Array(32).fill(9), new Uint8Array(32).fill(8)]);
    s.store.scans.set('log', { ...stored, cursor: { ...stored.cursor, range: bogus.nodes() } });
    const e = await scanError(s.scan());
    assert.equal(e.code, 'state/corrupt');
  });

  it('Rekor shard rotation: finishes the old shard to its final size, then scans the new one from 0', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(15);
    s.rotate('B', 22);
    const r = await s.scan();
    assert.deepEqual(
      r.matches.map((m) => `${m.shard}:${m.index}`),
      ['A:17', 'B:7', 'B:17'],
    );
    assert.deepEqual(s.store.scans.get('log')?.cursor.shard, 'B');
    assert.equal(cursorOf(s), 22n);
    const offsets = new Map(s.source.calls.map(([shard, , , offset]) => [shard, offset]));
    assert.equal(offsets.get('A'), 0n);
    assert.equal(offsets.get('B'), 25n, 'global indices of shard B start after shard A final size');
  });

  it('a cursor two rotations behind goes through every retired shard in order, none skipped', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(10); // A ends at 20
    s.rotate('B', 18);
    s.rotate('C', 9);
    const r = await s.scan();
    assert.deepEqual(
      r.matches.map((m) => `${m.shard}:${m.index}`),
      ['A:17', 'B:7', 'B:17', 'C:7'],
    );
    const offsets = new Map(s.source.calls.map(([shard, , , offset]) => [shard, offset]));
    assert.deepEqual([offsets.get('B'), offsets.get('C')], [20n, 38n]);
    assert.equal(s.store.scans.get('log')?.cursor.shard, 'C');
    assert.equal(cursorOf(s), 9n);
  });

  it('Rekor: startIndex is a global logIndex, which may lie in a retired shard', async () => {
    const s = scanSetup(25, { startIndex: 15n });
    s.rotate('B', 30);
    // Global 15 is A:15; A has 25 entries, so B starts at global 25.
    const r = await s.scan();
    assert.deepEqual(
      r.matches.map((m) => `${m.shard}:${m.index}`),
      ['A:17', 'B:7', 'B:17', 'B:27'],
    );
    const t = scanSetup(25, { startIndex: 40n });
    t.rotate('B', 30);
    const inB = await t.scan();
    assert.deepEqual(
      inB.matches.map((m) => `${m.shard}:${m.index}`),
      ['B:17', 'B:27'],
      'global 40 is B:15',
    );
  });

  it('an idle run costs no request beyond the check (the shard list is asked only to read entries)', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(5);
    await s.scan();
    const before = { ...s.calls };
    const idle = await s.scan();
    assert.equal(idle.scanned, 0n);
    assert.deepEqual(s.calls, before);
  });

  it('entries or a range served wrong once are fetched again before the verdict: no false alarm', async () => {
    const s = scanSetup(10);
    await s.scan();
    s.tree().grow(20);
    s.source.forge(15n, 'A/0/15 damaged once', 'A');
    s.source.forgedAnswers = 1;
    const r = await s.scan();
    assert.deepEqual(indices(r.matches), [17, 27]);
    assert.equal(cursorOf(s), 30n);

    const t = scanSetup(30, { startIndex: 12n });
    const honest = t.source.fetchRangeBefore.bind(t.source);
    let calls = 0;
    t.source.fetchRangeBefore = async (target, index) =>
      calls++ === 0 ? (await honest(target, index)).map(() => new Uint8Array(32)) : honest(target, index);
    const fromMid = await t.scan();
    assert.deepEqual(indices(fromMid.matches), [17, 27]);
  });
});
