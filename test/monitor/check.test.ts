/**
 * The check use case against a scripted log (no network, no crypto signatures): every status of
 * docs/contracts.md's table, the re-fetch before "inconsistent", compare-and-set races, shard rotation,
 * and that a failed check never moves the stored head.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64 } from '../../lib/bytes.ts';
import { TlogError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/http/ports.ts';
import type { LogView, VerifiedHead } from '../../lib/logs/log-client.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { exitCodeFor } from '../../lib/monitor/check-result.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import {
  retired,
  type Script,
  ScriptedTree,
  scriptedClient,
  unverifiable,
} from '../support/test-log-scripted.ts';

const clock: Clock = { now: () => 1_700_000_000_000, sleep: async () => {} };

async function setup(size = 10) {
  const tree = new ScriptedTree('A', size);
  const trees = new Map([['A', tree]]);
  const store = new MemoryStateStore();
  let view = async (): Promise<LogView> => ({ head: await tree.head() });
  const script: Script = { view: () => view() };
  const { client, calls, honestProof } = scriptedClient(trees, script);
  const check = () => checkLog('log', { client, store, clock });
  const setView = (v: () => Promise<LogView>) => {
    view = v;
  };
  return { tree, trees, store, client, calls, check, setView, script, honestProof };
}

const storedSize = (store: MemoryStateStore) => store.heads.get('log')?.head.size;

/** Makes another monitor win the next compare-and-set race by storing `winner` just before it. */
function otherMonitorStores(store: MemoryStateStore, winner: VerifiedHead): void {
  store.beforeCompareAndSet = () => {
    store.beforeCompareAndSet = undefined;
    const s = store.heads.get('log');
    const head = {
      signed: winner.signed,
      size: winner.size.toString(),
      root: toBase64(winner.rootHash),
      origin: winner.origin,
      ...(winner.shard !== undefined ? { shard: winner.shard } : {}),
      verifiedAt: new Date(0).toISOString(),
    };
    store.heads.set('log', { version: (s?.version ?? 0) + 1, head });
  };
}

describe('checkLog', () => {
  it('initializes on first use and stores the verified head', async () => {
    const { check, store } = await setup(10);
    const r = await check();
    assert.equal(r.status, 'initialized');
    assert.equal(r.current?.size, '10');
    assert.equal(storedSize(store), '10');
    assert.equal(store.heads.get('log')?.version, 1);
    assert.equal(exitCodeFor(r.status), 0);
  });

  it('verifies growth with a consistency proof and moves the head', async () => {
    const { check, store, tree, calls } = await setup(10);
    await check();
    tree.grow(7);
    const r = await check();
    assert.equal(r.status, 'verified');
    assert.deepEqual([r.previous?.size, r.current?.size], ['10', '17']);
    assert.equal(storedSize(store), '17');
    assert.equal(calls.proof, 1);
  });

  it('reports unchanged for the same head and writes nothing', async () => {
    const { check, store } = await setup(10);
    await check();
    const r = await check();
    assert.equal(r.status, 'unchanged');
    assert.equal(store.heads.get('log')?.version, 1);
  });

  it('accepts growth from an empty tree without fetching a proof', async () => {
    const { check, store, tree, calls } = await setup(0);
    assert.equal((await check()).status, 'initialized');
    tree.grow(5);
    assert.equal((await check()).status, 'verified');
    assert.equal(calls.proof, 0);
    assert.equal(storedSize(store), '5');
  });

  it('detects a fork: same size, different root; keeps evidence and the head', async () => {
    const { check, store, setView } = await setup(10);
    await check();
    const forked = new ScriptedTree('A', 10, 1);
    setView(async () => ({ head: await forked.head() }));
    const r = await check();
    assert.equal(r.status, 'fork');
    assert.equal(exitCodeFor(r.status), 1);
    assert.match(r.message ?? '', /size 10 with different roots/);
    assert.ok(r.evidence?.previous && r.evidence.current && r.evidence.previous !== r.evidence.current);
    assert.equal(storedSize(store), '10');
    assert.equal(store.evidence.length, 1);
    assert.equal(store.evidence[0]?.status, 'fork');
  });

  it('detects a rollback to a smaller validly signed head', async () => {
    const { check, store, tree, setView, calls } = await setup(10);
    await check();
    setView(async () => ({ head: await tree.head(6n) }));
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.match(r.message ?? '', /size 6 is smaller than the verified head of size 10/);
    assert.equal(calls.view, 3, 'the head was fetched twice before declaring a rollback');
    assert.equal(storedSize(store), '10');
    assert.equal(store.evidence.length, 1);
  });

  it('keeps both smaller answers as rollback evidence, exactly as received', async () => {
    const { check, store, tree, setView } = await setup(10);
    await check();
    let served = 0;
    const first = await tree.head(6n);
    const second = await tree.head(7n);
    setView(async () => ({ head: served++ === 0 ? first : second }));
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.equal(r.evidence?.current, first.signed);
    assert.equal(r.evidence?.other?.refetchedHead, second.signed);
    assert.equal(r.evidence?.previous, (await tree.head(10n)).signed);
    assert.equal(storedSize(store), '10');
    assert.deepEqual(store.evidence[0]?.evidence, r.evidence);
  });

  it('a smaller head is still a rollback when the re-fetch fails; the failure is in the evidence', async () => {
    const { check, store, tree, setView } = await setup(10);
    await check();
    let served = 0;
    const forged = JSON.stringify({ sig: 'forged', shard: 'A', size: '10', root: 'AAAA' });
    setView(async () => {
      if (served++ === 0) return { head: await tree.head(6n) };
      throw new TlogError('note/bad-signature', 'fake signature invalid', { received: forged });
    });
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.match(r.evidence?.other?.refetchFailed ?? '', /fake signature invalid/);
    assert.equal(r.evidence?.other?.refetchRejectedHead, forged);
    assert.equal(storedSize(store), '10');
    assert.equal(store.evidence.length, 1);
  });

  it('asks again before calling a smaller head a rollback (a lagging replica)', async () => {
    const { check, store, tree, setView, calls } = await setup(10);
    await check();
    let served = 0;
    setView(async () => ({ head: await tree.head(served++ === 0 ? 6n : 10n) }));
    const r = await check();
    assert.equal(r.status, 'unchanged');
    assert.equal(calls.view, 3);
    assert.equal(storedSize(store), '10');
    assert.equal(store.evidence.length, 0);
  });

  it('re-fetches a bad proof once; a transient fault still verifies', async () => {
    const { check, store, tree, script, honestProof, calls } = await setup(10);
    await check();
    tree.grow(20);
    script.proof = async (a, b, call) => {
      const p = await honestProof(a, b);
      return call === 1 ? { hashes: p.hashes.slice(1), raw: 'truncated' } : p;
    };
    const r = await check();
    assert.equal(r.status, 'verified');
    assert.equal(calls.proof, 2);
    assert.equal(storedSize(store), '30');
  });

  it('declares inconsistent when the proof fails twice, with the proof as evidence', async () => {
    const { check, store, tree, script, honestProof, calls } = await setup(10);
    await check();
    tree.grow(20);
    script.proof = async (a, b) => {
      const p = await honestProof(a, b);
      const hashes = p.hashes.map((h, i) => (i === 0 ? h.map((x) => x ^ 1) : h));
      return { hashes, raw: `flipped-${calls.proof}` };
    };
    const r = await check();
    assert.equal(r.status, 'inconsistent');
    assert.equal(calls.proof, 2);
    assert.equal(r.errorCode, 'merkle/root-mismatch');
    assert.equal(r.evidence?.proof, 'flipped-2');
    assert.equal(r.evidence?.other?.firstProof, 'flipped-1');
    assert.equal(storedSize(store), '10');
  });

  it('reports bad-signature with the received head as evidence and keeps the head', async () => {
    const { check, store, setView } = await setup(10);
    await check();
    const forged = JSON.stringify({ sig: 'forged', shard: 'A', size: '99', root: 'AAAA' });
    setView(async () => {
      throw new TlogError('note/bad-signature', 'signature by rekor.test does not verify', {
        received: forged,
      });
    });
    const r = await check();
    assert.equal(r.status, 'bad-signature');
    assert.equal(r.evidence?.current, forged);
    assert.ok(r.evidence?.previous);
    assert.equal(storedSize(store), '10');
    assert.equal(store.evidence.length, 1);
  });

  it('a bad signature found after the first fetch still carries and keeps both heads as evidence', async () => {
    const { check, store, tree, script } = await setup(10);
    await check();
    tree.grow(5);
    // The log's proof endpoint answers with a head that fails its signature check.
    const forged = JSON.stringify({ sig: 'forged', shard: 'A', size: '15', root: 'AAAA' });
    script.proof = async () => {
      throw new TlogError('note/bad-signature', 'fake signature invalid', { received: forged });
    };
    const r = await check();
    assert.equal(r.status, 'bad-signature');
    assert.equal(r.evidence?.previous, (await tree.head(10n)).signed);
    assert.equal(r.evidence?.current, forged);
    assert.equal(storedSize(store), '10');
    assert.equal(store.evidence.length, 1);
  });

  for (const [code, status] of [
    ['http/timeout', 'unreachable'],
    ['http/status', 'unreachable'],
    ['http/too-large', 'invalid-response'],
    ['response/malformed', 'invalid-response'],
    ['response/mismatch', 'invalid-response'],
  ] as const) {
    it(`maps ${code} to ${status} and keeps the head`, async () => {
      const { check, store, setView } = await setup(10);
      await check();
      setView(async () => {
        throw new TlogError(code, `simulated ${code}`);
      });
      const r = await check();
      assert.equal(r.status, status);
      assert.equal(r.errorCode, code);
      assert.equal(r.message, `simulated ${code}`);
      assert.equal(exitCodeFor(r.status), 2);
      assert.equal(storedSize(store), '10');
      assert.equal(store.evidence.length, 0);
    });
  }

  it('refuses stored state whose signed head no longer verifies (tampered state)', async () => {
    const { check, store } = await setup(10);
    await check();
    const s = store.heads.get('log');
    assert.ok(s);
    store.heads.set('log', { ...s, head: { ...s.head, signed: s.head.signed.replace('"ok"', '"no"') } });
    const r = await check();
    assert.equal(r.status, 'monitor-error');
    assert.equal(r.errorCode, 'state/corrupt');
    assert.match(r.message ?? '', /no longer verifies with the pinned key/);
  });

  it('refuses stored state whose unsigned size disagrees with its signed head', async () => {
    const { check, store } = await setup(10);
    await check();
    const s = store.heads.get('log');
    assert.ok(s);
    store.heads.set('log', { ...s, head: { ...s.head, size: '3' } });
    const r = await check();
    assert.equal(r.status, 'monitor-error');
    assert.match(r.message ?? '', /says size 3 .* signed head says size 10/);
  });

  it('on a lost race, proves its head against the newer winner and never regresses the head', async () => {
    const { check, store, tree, setView } = await setup(10);
    await check();
    tree.grow(5); // we will see 15
    const ours = await tree.head();
    tree.grow(5); // the winner stores 20
    const winner = await tree.head();
    setView(async () => ({ head: ours }));
    otherMonitorStores(store, winner);
    const r = await check();
    assert.equal(r.status, 'verified');
    assert.equal(storedSize(store), '20');
    assert.equal(store.heads.get('log')?.version, 2, 'the winner’s write stands; ours is not written');
  });

  it('on a lost race against an older winner, proves the winner’s head into ours and stores ours', async () => {
    const { check, store, tree, setView, calls } = await setup(10);
    await check();
    tree.grow(2);
    const winner = await tree.head(); // 12
    tree.grow(3);
    const ours = await tree.head(); // 15
    setView(async () => ({ head: ours }));
    otherMonitorStores(store, winner);
    const r = await check();
    assert.equal(r.status, 'verified');
    assert.equal(storedSize(store), '15');
    assert.equal(store.heads.get('log')?.version, 3);
    assert.equal(calls.proof, 2, '10→15, then 12→15');
  });

  it('on a lost race to initialize, proves against the first monitor’s head instead of overwriting it', async () => {
    const { check, store, tree, setView, calls } = await setup(10);
    const theirs = await tree.head(); // 10
    tree.grow(5);
    const ours = await tree.head(); // 15
    setView(async () => ({ head: ours }));
    otherMonitorStores(store, theirs);
    const r = await check();
    assert.equal(r.status, 'verified');
    assert.equal(r.previous?.size, '10');
    assert.equal(storedSize(store), '15');
    assert.equal(calls.proof, 1);
  });

  it('on a lost race to initialize against a forked head, reports the fork and keeps theirs', async () => {
    const { check, store, tree, setView } = await setup(10);
    const theirs = await new ScriptedTree('A', 10, 3).head();
    setView(async () => ({ head: await tree.head() }));
    otherMonitorStores(store, theirs);
    const r = await check();
    assert.equal(r.status, 'fork');
    assert.equal(store.heads.get('log')?.head.signed, theirs.signed);
    assert.equal(store.evidence.length, 1);
  });

  it('on a lost race against a forked winner, reports the fork', async () => {
    const { check, store, tree, setView } = await setup(10);
    await check();
    tree.grow(5);
    const ours = await tree.head();
    const forked = new ScriptedTree('A', 15, 7);
    const theirs = await forked.head();
    setView(async () => ({ head: ours }));
    otherMonitorStores(store, theirs);
    const r = await check();
    assert.equal(r.status, 'fork');
    assert.equal(storedSize(store), '15');
    assert.equal(store.heads.get('log')?.head.signed, theirs.signed);
  });

  it('follows a Rekor shard rotation through the retired shard’s final head', async () => {
    const { check, store, tree, trees, setView } = await setup(10);
    await check();
    tree.grow(4); // shard A ends at 14
    const finalA = await tree.head();
    const b = new ScriptedTree('B', 3);
    trees.set('B', b);
    setView(async () => ({ head: await b.head(), retiredShards: [retired(finalA)] }));
    const r = await check();
    assert.equal(r.status, 'verified');
    assert.deepEqual(r.shardRotation, { from: 'A', to: 'B', finalSize: '14' });
    assert.equal(store.heads.get('log')?.head.shard, 'B');
    assert.equal((await check()).status, 'unchanged');
  });

  it('treats a stored shard missing from inactiveShards as invalid-response, not a reset', async () => {
    const { check, store, trees, setView } = await setup(10);
    await check();
    const b = new ScriptedTree('B', 3);
    trees.set('B', b);
    setView(async () => ({ head: await b.head(), retiredShards: [] }));
    const r = await check();
    assert.equal(r.status, 'invalid-response');
    assert.equal(r.errorCode, 'response/shard-missing');
    assert.equal(store.heads.get('log')?.head.shard, 'A');
  });

  it('reports bad-signature when the stored shard’s final head is not signed by the pinned key', async () => {
    const { check, store, trees, tree, setView } = await setup(10);
    await check();
    const b = new ScriptedTree('B', 3);
    trees.set('B', b);
    const forged = JSON.stringify({ sig: 'forged', shard: 'A', size: '12', root: 'AAAA' });
    const rejected = new TlogError('note/bad-signature', 'fake signature invalid', { received: forged });
    setView(async () => ({
      head: await b.head(),
      retiredShards: [unverifiable('A', 12n, new Uint8Array(32), rejected)],
    }));
    const r = await check();
    assert.equal(r.status, 'bad-signature');
    assert.equal(r.evidence?.current, forged);
    assert.equal(r.evidence?.previous, (await tree.head(10n)).signed);
    assert.equal(store.heads.get('log')?.head.shard, 'A');
    assert.equal(store.evidence.length, 1);
  });

  it('ignores an unverifiable retired shard the stored head is not on', async () => {
    const { check, store, tree, trees, setView } = await setup(10);
    await check();
    tree.grow(4);
    const finalA = await tree.head();
    const b = new ScriptedTree('B', 3);
    trees.set('B', b);
    const rejected = new TlogError('note/bad-signature', 'signed by a retired key');
    setView(async () => ({
      head: await b.head(),
      retiredShards: [retired(finalA)],
      unverifiedShards: new Map([['Z', rejected]]),
    }));
    const r = await check();
    assert.equal(r.status, 'verified', r.message);
    assert.equal(store.heads.get('log')?.head.shard, 'B');
  });

  it('reports a retired shard whose final head forks from the stored head', async () => {
    const { check, store, trees, setView } = await setup(10);
    await check();
    const finalA = await new ScriptedTree('A', 10, 9).head();
    const b = new ScriptedTree('B', 3);
    trees.set('B', b);
    setView(async () => ({ head: await b.head(), retiredShards: [retired(finalA)] }));
    const r = await check();
    assert.equal(r.status, 'fork');
    assert.equal(r.evidence?.other?.retiredShardFinalHead, finalA.signed);
    assert.equal(store.heads.get('log')?.head.shard, 'A');
  });

  it('still reports misbehaviour when the evidence cannot be stored', async () => {
    const { check, store, tree, setView } = await setup(10);
    await check();
    store.failEvidence = true;
    setView(async () => ({ head: await tree.head(4n) }));
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.match(r.message ?? '', /evidence NOT stored/);
  });
});

describe('checkLog with a configured trusted head (no trust on first use)', () => {
  const withTrusted = async (trusted: VerifiedHead, size = 10) => {
    const s = await setup(size);
    const check = () =>
      checkLog('log', { client: s.client, store: s.store, clock, trustedHead: trusted.signed });
    return { ...s, check };
  };

  it('initializes only after proving the log consistent with the trusted head', async () => {
    const tree = new ScriptedTree('A', 6);
    const trusted = await tree.head();
    // setup() builds its log from the same leaves, so the trusted head is the log's head.
    const { check, store, calls } = await withTrusted(trusted, 6);
    const r = await check();
    assert.equal(r.status, 'initialized');
    assert.equal(r.previous?.size, '6');
    assert.equal(storedSize(store), '6');
    assert.equal(calls.proof, 0, 'same head: nothing to prove');
  });

  it('proves growth from the trusted head before storing anything', async () => {
    const trusted = await new ScriptedTree('A', 4).head();
    const { check, store, calls } = await withTrusted(trusted, 10);
    const r = await check();
    assert.equal(r.status, 'initialized');
    assert.deepEqual([r.previous?.size, r.current?.size], ['4', '10']);
    assert.equal(calls.proof, 1);
    assert.equal(storedSize(store), '10');
  });

  it('a log that forked from the trusted head is a fork with evidence, and nothing is stored', async () => {
    const trusted = await new ScriptedTree('A', 10, 5).head();
    const { check, store } = await withTrusted(trusted, 10);
    const r = await check();
    assert.equal(r.status, 'fork');
    assert.equal(r.evidence?.previous, trusted.signed);
    assert.equal(store.heads.size, 0);
    assert.equal(store.evidence.length, 1);
  });

  it('a log whose history differs from the trusted head is inconsistent, and nothing is stored', async () => {
    const trusted = await new ScriptedTree('A', 4, 5).head();
    const { check, store } = await withTrusted(trusted, 10);
    const r = await check();
    assert.equal(r.status, 'inconsistent');
    assert.equal(store.heads.size, 0);
  });

  it('a trusted head that does not verify with the pinned key is a monitor-error naming it', async () => {
    const trusted = await new ScriptedTree('A', 4).head();
    const forged = { ...trusted, signed: trusted.signed.replace('"ok"', '"no"') };
    const { check, store } = await withTrusted(forged, 10);
    const r = await check();
    assert.equal(r.status, 'monitor-error');
    assert.match(r.message ?? '', /trustedHead does not verify/);
    assert.equal(store.heads.size, 0);
  });
});
