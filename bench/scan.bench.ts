/**
 * The identity scan's own CPU work per entry (lib/scan, lib/merkle/compact-range.ts): the leaf
 * hash SHA-256(0x00 ‖ entry) with @noble/hashes and with node:crypto (which the CLI injects), the
 * fold into the compact range, and one proven range end to end (in-memory source of real Rekor v1
 * bodies, a matcher that reads nothing) — the scan's share of the 20,000 entries/s per core
 * target, without the network, the entry decoding (lib/entries) or the matchers (lib/identity).
 */
import { nativeLeafHasher } from '../lib/local/native-leaf-hasher.ts';
import type { VerifiedHead } from '../lib/logs/log-client.ts';
import { CompactRange, compactRangeRoot, hashLeaf } from '../lib/merkle/index.ts';
import type { LeafHasher } from '../lib/scan/leaf-hasher.ts';
import { scanRange } from '../lib/scan/scan-range.ts';
import { rekorV1ProductionEntries } from './fixtures.ts';
import { type BenchResult, benchGroup, consume, formatNumber } from './harness.ts';
import type { Section } from './section.ts';

const RANGE = 20_000;

export async function scanBenchmarks(quick: boolean): Promise<Section> {
  const bodies = rekorV1ProductionEntries().map((e) => e.body);
  const meanBytes = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);
  const body = (i: number) => bodies[i % bodies.length] as Uint8Array;
  const BATCH = 256;
  let pos = 0;
  const hashing = (hasher: LeafHasher) => () => {
    for (let i = 0; i < BATCH; i++) consume(hasher(body(pos++)));
  };
  const folding = () => {
    const r = CompactRange.empty(0n);
    for (let i = 0; i < BATCH; i++) r.append(nativeLeafHasher(body(pos++)));
    consume(compactRangeRoot(r));
  };
  const results: BenchResult[] = benchGroup([
    {
      name: 'leaf hash, @noble/hashes',
      fn: hashing(hashLeaf),
      options: { opsPerCall: BATCH, note: `real Rekor v1 bodies, ${meanBytes} B mean` },
    },
    {
      name: 'leaf hash, node:crypto',
      fn: hashing(nativeLeafHasher),
      options: { opsPerCall: BATCH, note: 'what the CLI injects' },
    },
    {
      name: 'leaf hash (node:crypto) + fold into the compact range',
      fn: folding,
      options: { opsPerCall: BATCH, note: `root of ${BATCH} leaves each call` },
    },
  ]);

  // One proven range end to end, timed as a whole (asynchronous, so outside the harness).
  const leaves = Array.from({ length: RANGE }, (_, i) => body(i));
  const rootHash = compactRangeRoot(foldAll(leaves));
  const head: VerifiedHead = { size: BigInt(RANGE), rootHash, signed: '', origin: 'bench' };
  const deps = {
    client: {
      type: 'ct' as const,
      fetchView: () => Promise.reject(new Error('not used')),
      fetchConsistencyProof: () => Promise.reject(new Error('not used: the range ends at the head')),
      verifyStoredHead: () => head,
    },
    source: {
      format: 'rekor-v1' as const,
      fetchEntries: async (_t: unknown, start: bigint, end: bigint) =>
        leaves.slice(Number(start), Number(end)).map((leaf, i) => ({ index: start + BigInt(i), leaf })),
      fetchRangeBefore: async () => [],
    },
    matcher: { match: () => ({ matches: [] }) },
    hashLeaf: nativeLeafHasher,
  };
  const runs: number[] = [];
  for (let i = 0; i < (quick ? 2 : 6); i++) {
    const t0 = process.hrtime.bigint();
    consume((await scanRange(deps, { head }, 0n, BigInt(RANGE), CompactRange.empty(0n))).range.nodes()[0]);
    runs.push(RANGE / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  runs.sort((a, b) => a - b);
  const medianRate = runs[runs.length >> 1] as number;
  return {
    title: 'Identity scan: leaf hash, fold, proven range (lib/scan)',
    results,
    lines: [
      `Proven range of ${RANGE.toLocaleString('en-US')} real Rekor v1 bodies (fetch from memory, node:crypto leaf hash, fold, compare with the signed root, a matcher that reads nothing): median ${formatNumber(medianRate)} entries/s over ${runs.length} runs.`,
    ],
  };
}

function foldAll(leaves: readonly Uint8Array[]): CompactRange {
  const r = CompactRange.empty(0n);
  for (const b of leaves) r.append(nativeLeafHasher(b));
  return r;
}
