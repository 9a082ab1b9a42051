/**
 * Split-view detection (verify-checkpoint) against a scripted sharded log: a foreign head is
 * proven against the verified one in whichever direction applies, across a Rekor shard
 * rotation too, and never moves the stored head.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../lib/http/ports.ts';
import type { LogView } from '../../lib/logs/log-client.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { verifyForeignCheckpoint } from '../../lib/monitor/verify-foreign-checkpoint.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { retired, ScriptedTree, scriptedClient } from '../support/test-log-scripted.ts';

const clock: Clock = { now: () => 1_700_000_000_000, sleep: async () => {} };

/** Shard A (retired at 14 entries once `rotate` is called) and shard B (active after it). */
async function setup() {
  const a = new ScriptedTree('A', 10);
  const b = new ScriptedTree('B', 6);
  const trees = new Map([
    ['A', a],
    ['B', b],
  ]);
  let view = async (): Promise<LogView> => ({ head: await a.head() });
  const { client } = scriptedClient(trees, { view: () => view() });
  const store = new MemoryStateStore();
  const deps = { client, store, clock };
  const rotate = async () => {
    a.grow(4);
    const finalA = await a.head();
    view = async () => ({ head: await b.head(), retiredShards: [retired(finalA)] });
  };
  return { a, b, store, deps, rotate };
}

describe('verifyForeignCheckpoint', () => {
  it('verifies a foreign head that extends, equals or precedes the stored one (same shard)', async () => {
    const { a, store, deps } = await setup();
    assert.equal((await checkLog('l', deps)).status, 'initialized'); // stores A@10
    const earlier = await a.head(6n);
    a.grow(5);
    const later = await a.head();
    for (const [head, how] of [
      [later, /extends/],
      [await a.head(10n), /is the same head as/],
      [earlier, /is a prefix of/],
    ] as const) {
      const r = await verifyForeignCheckpoint('l', head.signed, deps);
      assert.equal(r.status, 'verified', r.message);
      assert.match(r.message ?? '', how);
    }
    assert.equal(store.heads.get('l')?.head.size, '10', 'the stored head never moves');
  });

  it('re-verifies the stored head as a check does: state whose size disagrees with its signed head is refused', async () => {
    const { a, store, deps } = await setup();
    await checkLog('l', deps);
    const s = store.heads.get('l');
    assert.ok(s);
    store.heads.set('l', { ...s, head: { ...s.head, size: '3' } });
    const r = await verifyForeignCheckpoint('l', (await a.head()).signed, deps);
    assert.equal(r.status, 'monitor-error');
    assert.equal(r.errorCode, 'state/corrupt');
  });

  it('reports a foreign head of the same size with another root as a fork, with evidence', async () => {
    const { store, deps } = await setup();
    await checkLog('l', deps);
    const other = await new ScriptedTree('A', 10, 5).head();
    const r = await verifyForeignCheckpoint('l', other.signed, deps);
    assert.equal(r.status, 'fork');
    assert.equal(r.evidence?.current, other.signed);
    assert.equal(store.evidence.length, 1);
  });

  it('across a rotation: a foreign head on the new shard is proven against the log’s head there', async () => {
    const { b, store, deps, rotate } = await setup();
    await checkLog('l', deps); // stores A@10
    await rotate();
    // Smaller than the stored head in size, but on the newer shard: sizes across shards do not order.
    const foreign = await b.head(3n);
    const r = await verifyForeignCheckpoint('l', foreign.signed, deps);
    assert.equal(r.status, 'verified', r.message);
    assert.match(r.message ?? '', /succeeds the retired shard/);
    assert.equal(store.heads.get('l')?.head.shard, 'A');
  });

  it('across a rotation: a foreign head on the new shard that forks from the log’s head there is caught', async () => {
    const { store, deps, rotate } = await setup();
    await checkLog('l', deps);
    await rotate();
    const forged = await new ScriptedTree('B', 6, 9).head(); // same size as B's head, other root
    const r = await verifyForeignCheckpoint('l', forged.signed, deps);
    assert.equal(r.status, 'fork');
    assert.ok(r.evidence?.other?.logHeadOnForeignShard);
    assert.equal(store.evidence.length, 1);
  });

  it('across a rotation: a foreign head on the retired shard is proven against its final head', async () => {
    const { a, b, store, deps, rotate } = await setup();
    await rotate();
    assert.equal((await checkLog('l', deps)).status, 'initialized'); // stores B@6
    const foreign = await a.head(12n);
    const r = await verifyForeignCheckpoint('l', foreign.signed, deps);
    assert.equal(r.status, 'verified', r.message);
    assert.match(r.message ?? '', /retired shard A/);
    const beyond = await new ScriptedTree('A', 20).head(); // bigger than A's final head of 14
    const r2 = await verifyForeignCheckpoint('l', beyond.signed, deps);
    assert.equal(r2.status, 'inconsistent', r2.message);
    assert.equal(store.heads.get('l')?.head.size, String((await b.head()).size));
  });
});
