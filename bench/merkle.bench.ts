/**
 * Merkle proof verification throughput (RFC 9162 §2.1.3 inclusion, §2.1.4 consistency) on the real
 * vectors and on a generated tree of 10^6 leaves.
 */
import { createHash } from 'node:crypto';
import {
  consistencyProof,
  hashChildren,
  hashLeaf,
  inclusionProof,
  MemoryHashSource,
  verifyConsistency,
  verifyInclusion,
} from '../lib/merkle/index.ts';
import {
  type ConsistencyCase,
  realConsistencyCases,
  realInclusionCases,
  rekorEvmInclusion,
  rekorV1ProductionEntries,
} from './fixtures.ts';
import { type BenchResult, bench, benchGroup } from './harness.ts';
import type { Section } from './section.ts';

export const GENERATED_TREE_SIZE = 1_000_000n;

/** Size pairs for consistency proofs in the generated tree (first size → second size). */
const GENERATED_PAIRS: readonly [bigint, bigint][] = [
  [1n, 1_000_000n],
  [524_288n, 1_000_000n], // size1 a power of two: root1 seeds the proof
  [500_000n, 1_000_000n],
  [999_999n, 1_000_000n],
  [123_457n, 654_321n],
];
const GENERATED_LEAVES: readonly bigint[] = [0n, 777_777n, 999_999n];

function leafData(i: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(i));
  return b;
}

function consistencyBench(c: ConsistencyCase, note: string): BenchResult {
  return bench(
    `consistency ${c.label}`,
    () => verifyConsistency(c.size1, c.size2, c.root1, c.root2, c.proof),
    {
      note,
    },
  );
}

export async function merkleBenchmarks(): Promise<Section> {
  const results: BenchResult[] = [];
  const lines: string[] = [];

  // Real consistency proofs.
  for (const c of realConsistencyCases()) results.push(consistencyBench(c, 'real vector'));

  // Real inclusion proofs: the leaf hash is computed from the leaf data inside the timed call.
  for (const c of realInclusionCases()) {
    results.push(
      bench(
        `inclusion ${c.label}`,
        () => verifyInclusion(c.index, c.size, hashLeaf(c.leafData), c.proof, c.root),
        { note: `real vector; includes hashing the ${c.leafData.length}-byte leaf` },
      ),
    );
  }
  const evm = rekorEvmInclusion();
  results.push(
    bench(
      `inclusion ${evm.label}`,
      () => verifyInclusion(evm.index, evm.size, evm.leafHash, evm.proof, evm.root),
      {
        note: 'real vector; from the leaf hash',
      },
    ),
  );
  const entries = rekorV1ProductionEntries();
  const avgHashes = entries.reduce((n, e) => n + e.hashes.length, 0) / entries.length;
  results.push(
    bench(
      `inclusion Rekor v1 entries (${entries.length}, avg ${avgHashes.toFixed(1)} hashes)`,
      () => {
        for (const e of entries) verifyInclusion(e.index, e.treeSize, hashLeaf(e.body), e.hashes, e.rootHash);
      },
      { opsPerCall: entries.length, note: 'real vectors; per entry; includes hashing the body' },
    ),
  );

  // Generated tree of 10^6 leaves.
  const t0 = process.hrtime.bigint();
  const tree = new MemoryHashSource();
  for (let i = 0; i < Number(GENERATED_TREE_SIZE); i++) tree.appendData(leafData(i));
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  lines.push(
    `Generated tree: ${GENERATED_TREE_SIZE.toLocaleString('en-US')} leaves (8-byte big-endian index each) built in ${buildMs.toFixed(0)} ms with MemoryHashSource (one-off setup, not a benchmark row).`,
  );
  for (const [size1, size2] of GENERATED_PAIRS) {
    const proof = await consistencyProof(size1, size2, tree);
    const c: ConsistencyCase = {
      label: `generated ${size1}→${size2} (${proof.length} hashes)`,
      size1,
      size2,
      root1: tree.root(size1),
      root2: tree.root(size2),
      proof,
    };
    results.push(consistencyBench(c, 'generated tree'));
  }
  const size = GENERATED_TREE_SIZE;
  const root = tree.root(size);
  for (const index of GENERATED_LEAVES) {
    const proof = await inclusionProof(index, size, tree);
    const leaf = tree.node({ level: 0, index });
    results.push(
      bench(
        `inclusion generated leaf ${index} of ${size} (${proof.length} hashes)`,
        () => verifyInclusion(index, size, leaf, proof, root),
        { note: 'generated tree; from the leaf hash' },
      ),
    );
  }

  // What one proof step costs: SHA-256(0x01 ‖ left ‖ right) with @noble/hashes vs node:crypto.
  const left = tree.node({ level: 0, index: 0n });
  const right = tree.node({ level: 0, index: 1n });
  const prefix = new Uint8Array([0x01]);
  results.push(
    ...benchGroup([
      {
        name: 'hashChildren (@noble/hashes sha256)',
        fn: () => hashChildren(left, right),
        options: { note: 'one proof step' },
      },
      {
        name: 'SHA-256(0x01‖l‖r) with node:crypto createHash',
        fn: () => createHash('sha256').update(prefix).update(left).update(right).digest(),
        options: { note: 'for comparison' },
      },
    ]),
  );

  return { title: '1. Merkle proof verification (lib/merkle)', results, lines };
}
