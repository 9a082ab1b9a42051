/**
 * The ordered rule for a validly signed head smaller than the verified one (issue 10, item 2;
 * docs/contracts.md "Check outcomes"), and signed timestamps (item 1), against a scripted log:
 *  1. not a proven prefix → fork, whatever a second request says; no proof to be had → rollback;
 *  2. a prefix signed later than the verified head → rollback, without asking again;
 *  3. a prefix signed earlier, or unsigned in time → asked once more: a current answer is fine,
 *     a smaller one again is rollback.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TlogError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/http/ports.ts';
import type { LogView } from '../../lib/logs/log-client.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { MAX_CLOCK_SKEW_MS } from '../../lib/monitor/signed-time.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { type Script, ScriptedTree, scriptedClient } from '../support/test-log-scripted.ts';

const NOW = 1_800_000_000_000;
const clock: Clock = { now: () => NOW, sleep: async () => {} };
const T = (minutesAgo: number) => BigInt(NOW - minutesAgo * 60_000);

/** A log at size 10 signed 10 minutes ago, initialized; then `answers` are served in order. */
async function initialized(withTimestamps = true) {
  const tree = new ScriptedTree('A', 10);
  const store = new MemoryStateStore();
  const answers: (() => Promise<LogView>)[] = [];
  let last = async (): Promise<LogView> => ({
    head: await tree.head(10n, withTimestamps ? T(10) : undefined),
  });
  const script: Script = { view: () => (answers.shift() ?? last)() };
  const { client, calls, honestProof } = scriptedClient(new Map([['A', tree]]), script);
  const check = () => checkLog('log', { client, store, clock });
  assert.equal((await check()).status, 'initialized');
  const serve = (...views: (() => Promise<LogView>)[]) => answers.push(...views);
  const setCurrent = (v: () => Promise<LogView>) => {
    last = v;
  };
  return { tree, store, client, calls, script, check, serve, setCurrent, honestProof };
}

const stored = (store: MemoryStateStore) => store.heads.get('log')?.head.size;

describe('a smaller validly signed head', () => {
  it('not a prefix of the verified tree: fork with both heads, even though the second answer is honest', async () => {
    const { store, calls, check, serve } = await initialized();
    const other = new ScriptedTree('A', 8, 1);
    serve(async () => ({ head: await other.head(8n, T(1)) }));
    const r = await check();
    assert.equal(r.status, 'fork', r.message);
    assert.match(r.message ?? '', /not a prefix/);
    assert.ok(r.evidence?.previous && r.evidence.current && r.evidence.proof);
    assert.equal(calls.view, 2, 'no second request: one signed contradiction is enough');
    assert.equal(stored(store), '10');
    assert.equal(store.evidence.length, 1);
  });

  it('no proof to be had: rollback, naming why', async () => {
    const { store, check, serve, script, tree } = await initialized();
    serve(async () => ({ head: await tree.head(8n, T(20)) }));
    script.proof = async () => {
      throw new TlogError('http/status', 'HTTP 400: lastSize greater than the tree size');
    };
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.match(r.message ?? '', /gave no proof .*HTTP 400/);
    assert.equal(stored(store), '10');
  });

  it('a proof request that fails once is asked again before anything is judged', async () => {
    const { check, serve, script, tree, honestProof, calls } = await initialized();
    serve(async () => ({ head: await tree.head(8n, T(1)) }));
    script.proof = async (a, b, call) => {
      if (call === 1) throw new TlogError('http/timeout', 'timed out');
      return honestProof(a, b);
    };
    const r = await check();
    assert.equal(r.status, 'rollback', 'a proven prefix signed later');
    assert.match(r.message ?? '', /signed later/);
    assert.equal(calls.proof, 2);
  });

  it('a prefix signed later than the verified head: rollback at once', async () => {
    const { store, calls, check, serve, tree } = await initialized();
    serve(async () => ({ head: await tree.head(8n, T(1)) }));
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.match(r.message ?? '', /signed later/);
    assert.equal(calls.view, 2);
    assert.equal(stored(store), '10');
  });

  it('a prefix signed earlier (a lagging replica), then a current answer: no misbehaviour', async () => {
    const { store, calls, check, serve, tree } = await initialized();
    serve(async () => ({ head: await tree.head(8n, T(30)) }));
    const r = await check();
    assert.equal(r.status, 'unchanged', r.message);
    assert.equal(calls.view, 3);
    assert.equal(store.evidence.length, 0);
  });

  it('a prefix with no signed timestamp, smaller again on the second request: rollback with both answers', async () => {
    const { store, check, serve, tree } = await initialized(false);
    const first = await tree.head(8n);
    const second = await tree.head(9n);
    serve(
      async () => ({ head: first }),
      async () => ({ head: second }),
    );
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.equal(r.evidence?.current, first.signed);
    assert.equal(r.evidence?.other?.refetchedHead, second.signed);
    assert.equal(stored(store), '10');
  });
});

describe('signed timestamps', () => {
  it('a grown head signed earlier than the verified head: rollback (timestamp/backwards), no proof asked', async () => {
    const { store, calls, check, setCurrent, tree } = await initialized();
    tree.grow(5);
    setCurrent(async () => ({ head: await tree.head(15n, T(60)) }));
    const r = await check();
    assert.equal(r.status, 'rollback');
    assert.equal(r.errorCode, 'timestamp/backwards');
    assert.equal(calls.proof, 0);
    assert.equal(stored(store), '10');
  });

  it('a grown head signed later verifies, and the stored timestamp moves forward only', async () => {
    const { store, check, setCurrent, tree } = await initialized();
    tree.grow(5);
    setCurrent(async () => ({ head: await tree.head(15n, T(1)) }));
    assert.equal((await check()).status, 'verified');
    assert.equal(stored(store), '15');
    assert.match(store.heads.get('log')?.head.signed ?? '', new RegExp(`"ts":"${T(1)}"`));
  });

  it(`a head signed more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the clock is refused and never stored`, async () => {
    const tree = new ScriptedTree('A', 10);
    const store = new MemoryStateStore();
    const future = BigInt(NOW + MAX_CLOCK_SKEW_MS + 1);
    const { client } = scriptedClient(new Map([['A', tree]]), {
      view: async () => ({ head: await tree.head(10n, future) }),
    });
    const r = await checkLog('log', { client, store, clock });
    assert.equal(r.status, 'invalid-response');
    assert.equal(r.errorCode, 'timestamp/future');
    assert.equal(store.heads.size, 0);
  });
});
