/**
 * Rekor v1 shard memory in the check use case (issue 10, item 3), against a scripted log: the
 * head of a shard left behind is remembered with the stored head; a shard that comes back is
 * proven against it; a remembered shard listed as before costs no verification.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../lib/http/ports.ts';
import type { LogView, RetiredShard } from '../../lib/logs/log-client.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { retired, ScriptedTree, scriptedClient } from '../support/test-log-scripted.ts';

const clock: Clock = { now: () => 1_800_000_000_000, sleep: async () => {} };

/** A retired shard whose verify() calls are counted. */
function counted(shard: RetiredShard, counter: { n: number }): RetiredShard {
  return {
    ...shard,
    verify: () => {
      counter.n++;
      return shard.verify();
    },
  };
}

async function rotated() {
  const a = new ScriptedTree('A', 10);
  const b = new ScriptedTree('B', 3);
  const trees = new Map([
    ['A', a],
    ['B', b],
  ]);
  const store = new MemoryStateStore();
  let view = async (): Promise<LogView> => ({ head: await a.head() });
  const { client } = scriptedClient(trees, { view: () => view() });
  const check = () => checkLog('log', { client, store, clock });
  const setView = (v: () => Promise<LogView>) => {
    view = v;
  };
  assert.equal((await check()).status, 'initialized');
  a.grow(2); // A ends at 12
  const finalA = await a.head();
  setView(async () => ({ head: await b.head(), retiredShards: [retired(finalA)] }));
  const r = await check();
  assert.equal(r.status, 'verified');
  return { a, b, store, check, setView, finalA };
}

const memoryOf = (store: MemoryStateStore) =>
  store.heads.get('log')?.head.retiredShards?.map((s) => `${s.shard}@${s.size}`);

describe('shard memory', () => {
  it('remembers the retired shard’s proven final head when following a rotation', async () => {
    const { store } = await rotated();
    assert.deepEqual(memoryOf(store), ['A@12']);
    assert.equal(store.heads.get('log')?.head.shard, 'B');
  });

  it('a remembered shard listed as remembered is not verified again', async () => {
    const { b, check, setView, finalA } = await rotated();
    const counter = { n: 0 };
    b.grow(1);
    setView(async () => ({ head: await b.head(), retiredShards: [counted(retired(finalA), counter)] }));
    assert.equal((await check()).status, 'verified');
    assert.equal(counter.n, 0);
  });

  it('a shard that comes back consistent with its remembered head is followed; the one left is remembered', async () => {
    const { a, b, store, check, setView } = await rotated();
    b.grow(2);
    const finalB = await b.head();
    a.grow(3);
    setView(async () => ({ head: await a.head(), retiredShards: [retired(finalB)] }));
    const r = await check();
    assert.equal(r.status, 'verified', r.message);
    assert.equal(store.heads.get('log')?.head.shard, 'A');
    assert.deepEqual(memoryOf(store), ['B@5']);
  });

  it('a shard that comes back over another history is a fork against its remembered head', async () => {
    const { a, b, store, check, setView, finalA } = await rotated();
    a.grow(2); // proofs come from the honest A, which the forged head of size 14 contradicts
    const forged = new ScriptedTree('A', 14, 7);
    setView(async () => ({ head: await forged.head(), retiredShards: [retired(await b.head())] }));
    const r = await check();
    assert.equal(r.status, 'inconsistent', r.message);
    assert.equal(r.evidence?.previous, finalA.signed, 'judged against the remembered head');
    assert.equal(r.evidence?.other?.storedHead, (await b.head()).signed);
    assert.equal(store.heads.get('log')?.head.shard, 'B');
  });

  it('a remembered retired shard listed smaller over another history is a fork', async () => {
    const { b, store, check, setView } = await rotated();
    const rewritten = await new ScriptedTree('A', 9, 5).head();
    setView(async () => ({ head: await b.head(), retiredShards: [retired(rewritten)] }));
    const r = await check();
    assert.equal(r.status, 'fork', r.message);
    assert.match(r.message ?? '', /listed as retired/);
    assert.equal(store.heads.get('log')?.version, 2);
  });
});
