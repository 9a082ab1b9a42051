/** A scripted log with entries, a fake source and matcher, and a memory scan store, for the scan unit tests. */
import { utf8 } from '../../lib/bytes.ts';
import type { Clock } from '../../lib/http/ports.ts';
import type { LogView, VerifiedHead } from '../../lib/logs/log-client.ts';
import { portableLeafHasher } from '../../lib/scan/leaf-hasher.ts';
import { type ScanDeps, scanLog } from '../../lib/scan/scan-log.ts';
import type { ScanOptions } from '../../lib/scan/scan-options.ts';
import { FakeEntrySource, type LeafTree, textMatcher } from '../support/fake-entries.ts';
import { MemoryScanStore } from '../support/memory-scan-store.ts';
import { type Script, ScriptedTree, scriptedClient } from '../support/test-log-scripted.ts';

export const clock: Clock = { now: () => 1_700_000_000_000, sleep: async () => {} };

export function leafTree(t: ScriptedTree): LeafTree {
  return {
    leafData: (i) => utf8(`${t.shard}/${t.salt}/${i}`),
    leafHash: (i) => t.source.node({ level: 0, index: i }),
  };
}

/** Entries whose index ends in 7 match; those ending in 3 are unreadable. */
export const MATCHING = /[A-Z]\/0\/[0-9]*7/;
export const UNREADABLE = /[A-Z]\/0\/[0-9]*3/;

export function scanSetup(size = 10, options: ScanOptions = {}) {
  const trees = new Map([['A', new ScriptedTree('A', size)]]);
  let active = 'A';
  const retired: string[] = [];
  const script: Script = {
    view: async (): Promise<LogView> => ({
      head: await (trees.get(active) as ScriptedTree).head(),
      retiredShards: await Promise.all(
        retired.map(async (s) => {
          const final = await (trees.get(s) as ScriptedTree).head();
          return { shard: s, size: final.size, rootHash: final.rootHash, verify: () => final };
        }),
      ),
    }),
  };
  const { client, calls } = scriptedClient(trees, script);
  const source = new FakeEntrySource((shard) => leafTree(trees.get(shard) as ScriptedTree), { pageSize: 7 });
  const matcher = textMatcher(MATCHING, UNREADABLE);
  const store = new MemoryScanStore();
  const deps: ScanDeps = { client, source, matcher, hashLeaf: portableLeafHasher, store, clock, options };
  const tree = () => trees.get(active) as ScriptedTree;
  return {
    trees,
    tree,
    client,
    calls,
    source,
    matcher,
    store,
    deps,
    head: (): Promise<VerifiedHead> => tree().head(),
    scan: async (opts: ScanOptions = options) =>
      scanLog('log', await tree().head(), { ...deps, options: opts }),
    /** Rekor shard rotation: the active tree retires; a new one with `size` leaves becomes active. */
    rotate(to: string, size: number) {
      retired.push(active);
      trees.set(to, new ScriptedTree(to, size));
      active = to;
    },
  };
}

/** The indices (as numbers) of matches. */
export const indices = (ms: readonly { index: string }[]) => ms.map((m) => Number(m.index));

/** Indices in [from, to) whose last digit is `d`. */
export function endingIn(d: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (i % 10 === d) out.push(i);
  return out;
}
