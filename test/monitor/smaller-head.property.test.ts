/**
 * Property: for any stored size n, any smaller size m, any history of the smaller head (the
 * same tree, or one that differs at any leaf below m) and any signed times, the check's verdict
 * on a smaller head followed by an honest answer follows the ordered rule, and the stored head
 * never moves: another history → fork; same history signed later → rollback; same history signed
 * earlier → unchanged (the second answer is current).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Clock } from '../../lib/http/ports.ts';
import type { LogView, VerifiedHead } from '../../lib/logs/log-client.ts';
import { MemoryHashSource, treeRoot } from '../../lib/merkle/index.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { ScriptedTree, scriptedClient, verifyFake } from '../support/test-log-scripted.ts';

const NOW = 1_800_000_000_000;
const clock: Clock = { now: () => NOW, sleep: async () => {} };

/** A head of size m over the tree's leaves with leaf `changed` (if any) replaced. */
async function smallerHead(
  tree: ScriptedTree,
  m: number,
  changed: number | undefined,
  ts: bigint,
): Promise<VerifiedHead> {
  const source = new MemoryHashSource();
  for (let i = 0; i < m; i++) {
    const leaf = tree.source.node({ level: 0, index: BigInt(i) });
    source.append(i === changed ? new Uint8Array(32).fill(0xee) : leaf);
  }
  const root = await treeRoot(BigInt(m), source);
  return verifyFake(
    JSON.stringify({
      sig: 'ok',
      shard: 'A',
      size: String(m),
      root: Buffer.from(root).toString('base64'),
      ts: ts.toString(),
    }),
  );
}

describe('a smaller head, then an honest one (property)', () => {
  it('fork, rollback or unchanged by the ordered rule; the stored head never moves', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 300 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            m: fc.integer({ min: 1, max: n - 1 }),
            changedAt: fc.option(fc.nat(), { nil: undefined }),
            later: fc.boolean(),
          }),
        ),
        async ({ n, m, changedAt, later }) => {
          const tree = new ScriptedTree('A', n);
          const storedTs = BigInt(NOW - 600_000);
          const honest = await tree.head(BigInt(n), storedTs);
          const changed = changedAt === undefined ? undefined : changedAt % m;
          const first = await smallerHead(tree, m, changed, later ? storedTs + 1n : storedTs - 1n);
          const answers: VerifiedHead[] = [honest, first];
          const { client } = scriptedClient(new Map([['A', tree]]), {
            view: async (): Promise<LogView> => ({ head: answers.shift() ?? honest }),
          });
          const store = new MemoryStateStore();
          const check = () => checkLog('log', { client, store, clock });
          assert.equal((await check()).status, 'initialized');
          const r = await check();
          const expected = changed !== undefined ? 'fork' : later ? 'rollback' : 'unchanged';
          assert.equal(r.status, expected, r.message);
          assert.equal(store.heads.get('log')?.head.size, String(n));
          assert.equal(store.heads.get('log')?.version, 1);
          if (expected !== 'unchanged') assert.equal(r.evidence?.current, first.signed);
        },
      ),
      { numRuns: 150 },
    );
  });
});
