/** Generated proofs equal the RFC reference proofs and verify, on random trees up to 10^5 leaves. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../lib/bytes.ts';
import {
  consistencyProof,
  consistencyProofLength,
  inclusionProof,
  inclusionProofLength,
  MemoryHashSource,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import {
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
} from '../support/merkle-reference.ts';
import { pseudoRandomHashes } from './helpers.ts';
import { consistencyOps, inclusionDirections } from './rfc-shape.ts';

const N = 100_000;
const SMALL = 2048;
const leaves = pseudoRandomHashes(N, 2024);
const tree = new MemoryHashSource(leaves);
const hexes = (list: Uint8Array[]) => list.map(toHex);

// One array per prefix size, so the reference's per-array memo is reused across runs.
const prefixes = new Map<number, Uint8Array[]>();
function prefix(n: number): Uint8Array[] {
  let p = prefixes.get(n);
  if (p === undefined) {
    p = leaves.slice(0, n);
    prefixes.set(n, p);
  }
  return p;
}

/** Sizes in [1, max], with powers of two and their neighbours mixed in. */
function size(max: number): fc.Arbitrary<number> {
  const edges: number[] = [];
  for (let p = 1; p <= max; p *= 2) edges.push(p - 1, p, p + 1);
  return fc.oneof(
    fc.integer({ min: 1, max }),
    fc.constantFrom(...edges.filter((e) => e >= 1 && e <= max), max),
  );
}

const leafIn = (max: number) =>
  size(max).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));
const sizePair = (max: number) =>
  size(max).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

describe('proofs from prove.ts match the RFC 9162 reference (trees up to 2048 leaves)', () => {
  it('inclusion: same hashes as PATH(m, D[n]), and they verify', async () => {
    await fc.assert(
      fc.asyncProperty(leafIn(SMALL), async ([n, i]) => {
        const ref = prefix(n);
        const root = referenceRoot(ref);
        const proof = await inclusionProof(BigInt(i), BigInt(n), tree);
        assert.deepEqual(hexes(proof), hexes(referenceInclusionProof(i, ref)));
        assert.equal(toHex(await treeRoot(BigInt(n), tree)), toHex(root));
        verifyInclusion(BigInt(i), BigInt(n), leaves[i] as Uint8Array, proof, root);
        assert.equal(
          toHex(rootFromInclusionProof(BigInt(i), BigInt(n), leaves[i] as Uint8Array, proof)),
          toHex(root),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('consistency: same hashes as PROOF(m, D[n]), and they verify', async () => {
    await fc.assert(
      fc.asyncProperty(sizePair(SMALL), async ([m, n]) => {
        const ref = prefix(n);
        const root2 = referenceRoot(ref);
        const root1 = referenceRoot(prefix(m));
        const proof = await consistencyProof(BigInt(m), BigInt(n), tree);
        assert.deepEqual(hexes(proof), hexes(referenceConsistencyProof(m, ref)));
        verifyConsistency(BigInt(m), BigInt(n), root1, root2, proof);
        assert.equal(toHex(rootFromConsistencyProof(BigInt(m), BigInt(n), root1, proof)), toHex(root2));
      }),
      { numRuns: 150 },
    );
  });
});

describe('proofs on a 10^5-leaf tree', () => {
  it('the full tree root and a few edge proofs equal the reference', async () => {
    assert.equal(toHex(tree.root()), toHex(referenceRoot(leaves)));
    for (const i of [0, 1, 65_535, 65_536, 99_998, 99_999]) {
      const proof = await inclusionProof(BigInt(i), BigInt(N), tree);
      assert.deepEqual(hexes(proof), hexes(referenceInclusionProof(i, leaves)), `leaf ${i}`);
    }
    for (const m of [1, 3, 65_536, 65_537, 99_999]) {
      const proof = await consistencyProof(BigInt(m), BigInt(N), tree);
      assert.deepEqual(hexes(proof), hexes(referenceConsistencyProof(m, leaves)), `size ${m}`);
    }
  });

  it('inclusion proofs of random leaves in random sizes verify, with the RFC PATH length', async () => {
    await fc.assert(
      fc.asyncProperty(leafIn(N), async ([n, i]) => {
        const proof = await inclusionProof(BigInt(i), BigInt(n), tree);
        assert.equal(proof.length, inclusionDirections(BigInt(i), BigInt(n)).length);
        assert.equal(inclusionProofLength(BigInt(i), BigInt(n)), proof.length);
        verifyInclusion(BigInt(i), BigInt(n), leaves[i] as Uint8Array, proof, tree.root(BigInt(n)));
      }),
      { numRuns: 300 },
    );
  });

  it('consistency proofs between random sizes verify, with the RFC PROOF length', async () => {
    await fc.assert(
      fc.asyncProperty(sizePair(N), async ([m, n]) => {
        const proof = await consistencyProof(BigInt(m), BigInt(n), tree);
        assert.equal(proof.length, consistencyOps(BigInt(m), BigInt(n)).length);
        assert.equal(consistencyProofLength(BigInt(m), BigInt(n)), proof.length);
        const root2 = tree.root(BigInt(n));
        verifyConsistency(BigInt(m), BigInt(n), tree.root(BigInt(m)), root2, proof);
        assert.equal(
          toHex(rootFromConsistencyProof(BigInt(m), BigInt(n), tree.root(BigInt(m)), proof)),
          toHex(root2),
        );
      }),
      { numRuns: 300 },
    );
  });
});
