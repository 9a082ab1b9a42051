import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  consistencyProof,
  consistencyProofLength,
  EMPTY_ROOT,
  inclusionProof,
  inclusionProofLength,
  MemoryHashSource,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { consistencyShape } from '../../lib/merkle/shape.ts';
import { expectTlogError, pseudoRandomHashes } from './helpers.ts';

const leaves = pseudoRandomHashes(16, 7);
const tree = new MemoryHashSource(leaves);
const [r1, r2] = pseudoRandomHashes(2, 99) as [Uint8Array, Uint8Array];

describe('consistency from the empty tree (size1 == 0)', () => {
  it('accepts any 32-byte root2 with an empty proof and root1 = SHA-256()', async () => {
    verifyConsistency(0n, 5n, EMPTY_ROOT, tree.root(5n), []);
    verifyConsistency(0n, 5n, EMPTY_ROOT, r2, []);
    assert.deepEqual(await consistencyProof(0n, 5n, tree), []);
    assert.equal(consistencyProofLength(0n, 5n), 0);
  });

  it('rejects a non-empty proof, a root1 other than SHA-256(), or a root2 that is not a hash', () => {
    const e = expectTlogError(() => verifyConsistency(0n, 5n, EMPTY_ROOT, r2, [r1]), 'merkle/proof-length');
    assert.equal(e.message, 'consistency proof 0→5 needs 0 hashes, got 1');
    const m = expectTlogError(() => verifyConsistency(0n, 5n, r1, r2, []), 'merkle/root-mismatch');
    assert.ok(m.message.includes(toHex(r1)) && m.message.includes(toHex(EMPTY_ROOT)), m.message);
    expectTlogError(() => verifyConsistency(0n, 5n, EMPTY_ROOT, r2.subarray(1), []), 'merkle/invalid-hash');
  });

  it('cannot compute root2 from such a proof', () => {
    expectTlogError(() => rootFromConsistencyProof(0n, 5n, EMPTY_ROOT, []), 'merkle/invalid-size');
  });

  it('0 → 0: the only root is SHA-256()', () => {
    verifyConsistency(0n, 0n, EMPTY_ROOT, EMPTY_ROOT, []);
    assert.equal(toHex(rootFromConsistencyProof(0n, 0n, EMPTY_ROOT, [])), toHex(EMPTY_ROOT));
    expectTlogError(() => verifyConsistency(0n, 0n, r1, r1, []), 'merkle/root-mismatch');
    expectTlogError(() => verifyConsistency(0n, 0n, EMPTY_ROOT, r1, []), 'merkle/root-mismatch');
    expectTlogError(
      () => verifyConsistency(0n, 0n, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT]),
      'merkle/proof-length',
    );
  });
});

describe('consistency between equal sizes', () => {
  it('needs an empty proof and equal roots; rootFromConsistencyProof returns root1', async () => {
    const root = tree.root(9n);
    verifyConsistency(9n, 9n, root, root, []);
    assert.equal(toHex(rootFromConsistencyProof(9n, 9n, root, [])), toHex(root));
    assert.deepEqual(await consistencyProof(9n, 9n, tree), []);
    const e = expectTlogError(() => verifyConsistency(9n, 9n, root, root, [root]), 'merkle/proof-length');
    assert.equal(e.message, 'consistency proof 9→9 needs 0 hashes, got 1');
  });

  it('reports a fork (same size, different roots) with both roots in hex', () => {
    const e = expectTlogError(() => verifyConsistency(9n, 9n, r1, r2, []), 'merkle/root-mismatch');
    assert.ok(e.message.includes(toHex(r1)), e.message);
    assert.ok(e.message.includes(toHex(r2)), e.message);
    assert.deepEqual(e.details, { computed: toHex(r1), expected: toHex(r2) });
  });
});

describe('argument checks', () => {
  it('rejects size1 > size2', async () => {
    const e = expectTlogError(() => verifyConsistency(6n, 5n, r1, r2, []), 'merkle/invalid-size');
    assert.match(e.message, /6.*5/);
    expectTlogError(() => rootFromConsistencyProof(6n, 5n, r1, []), 'merkle/invalid-size');
    expectTlogError(() => consistencyProofLength(6n, 5n), 'merkle/invalid-size');
    await assert.rejects(consistencyProof(6n, 5n, tree), { code: 'merkle/invalid-size' });
  });

  it('rejects index >= size, size 0 and negative values', async () => {
    const leaf = leaves[0] as Uint8Array;
    const e = expectTlogError(() => verifyInclusion(5n, 5n, leaf, [], r1), 'merkle/invalid-size');
    assert.equal(e.message, 'leaf index 5 is outside a tree of size 5');
    expectTlogError(() => verifyInclusion(0n, 0n, leaf, [], r1), 'merkle/invalid-size');
    expectTlogError(() => verifyInclusion(-1n, 5n, leaf, [], r1), 'merkle/invalid-size');
    expectTlogError(() => inclusionProofLength(3n, 2n), 'merkle/invalid-size');
    expectTlogError(() => verifyConsistency(-1n, 5n, r1, r2, []), 'merkle/invalid-size');
    await assert.rejects(inclusionProof(16n, 16n, tree), { code: 'merkle/invalid-size' });
  });

  it('rejects sizes beyond uint64', () => {
    const tooBig = 1n << 64n;
    expectTlogError(() => inclusionProofLength(0n, tooBig), 'merkle/invalid-size');
    expectTlogError(() => consistencyProofLength(1n, tooBig), 'merkle/invalid-size');
  });

  it('rejects non-32-byte leaf hashes, roots and proof hashes, naming which one', async () => {
    const proof = await inclusionProof(3n, 16n, tree);
    const leaf = leaves[3] as Uint8Array;
    const root = tree.root();
    verifyInclusion(3n, 16n, leaf, proof, root);
    expectTlogError(() => verifyInclusion(3n, 16n, leaf.subarray(1), proof, root), 'merkle/invalid-hash');
    expectTlogError(() => verifyInclusion(3n, 16n, leaf, proof, new Uint8Array(33)), 'merkle/invalid-hash');
    const bad = [...proof];
    bad[2] = new Uint8Array(31);
    const e = expectTlogError(() => rootFromInclusionProof(3n, 16n, leaf, bad), 'merkle/invalid-hash');
    assert.equal(e.message, `inclusion proof hash 2 must be 32 bytes, got 31: ${'00'.repeat(31)}`);

    const cproof = await consistencyProof(5n, 16n, tree);
    const cbad = [...cproof];
    cbad[0] = new Uint8Array(0);
    expectTlogError(() => verifyConsistency(5n, 16n, tree.root(5n), root, cbad), 'merkle/invalid-hash');
    expectTlogError(
      () => verifyConsistency(5n, 16n, tree.root(5n).subarray(0, 20), root, cproof),
      'merkle/invalid-hash',
    );
    expectTlogError(
      () => verifyConsistency(5n, 16n, tree.root(5n), new Uint8Array(64), cproof),
      'merkle/invalid-hash',
    );
  });
});

describe('error messages', () => {
  it('inclusion: wrong length names both counts; wrong root names both roots', async () => {
    const proof = await inclusionProof(5n, 16n, tree);
    const leaf = leaves[5] as Uint8Array;
    const e = expectTlogError(
      () => verifyInclusion(5n, 16n, leaf, proof.slice(1), tree.root()),
      'merkle/proof-length',
    );
    assert.equal(e.message, 'inclusion proof for leaf 5 in tree size 16 needs 4 hashes, got 3');
    assert.deepEqual(e.details, { expectedLength: 4, actualLength: 3 });
    const m = expectTlogError(() => verifyInclusion(5n, 16n, leaf, proof, r1), 'merkle/root-mismatch');
    assert.equal(
      m.message,
      `inclusion proof for leaf 5 in tree size 16: computed ${toHex(tree.root())}, expected ${toHex(r1)}`,
    );
  });

  it('consistency: a wrong second root names the computed and the expected root', async () => {
    const proof = await consistencyProof(5n, 16n, tree);
    const m = expectTlogError(
      () => verifyConsistency(5n, 16n, tree.root(5n), r2, proof),
      'merkle/root-mismatch',
    );
    assert.equal(
      m.message,
      `consistency proof 5→16: second root: computed ${toHex(tree.root())}, expected ${toHex(r2)}`,
    );
    const f = expectTlogError(
      () => verifyConsistency(5n, 16n, r1, tree.root(), proof),
      'merkle/root-mismatch',
    );
    assert.ok(f.message.startsWith('consistency proof 5→16: recomputed first root: computed '), f.message);
    assert.ok(f.message.endsWith(`expected ${toHex(r1)}`), f.message);
  });
});

describe('shape arithmetic refuses a size-1 of 0 instead of looping', () => {
  it('consistencyShape(0, n) throws merkle/invalid-size', () => {
    // trailingZeros(0) has no answer; without the guard this never returns.
    expectTlogError(() => consistencyShape(0n, 5n), 'merkle/invalid-size');
    assert.equal(consistencyShape(4n, 5n).level, 2);
  });
});
