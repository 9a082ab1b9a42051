import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  MemoryHashSource,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { referenceConsistencyProof, referenceInclusionProof } from '../support/merkle-reference.ts';
import { b64, big, errorCodeOf, expectTlogError, hex, readVectorExact } from './helpers.ts';

// transparency-dev/merkle reference tree, proofs and testdata probes (see test/vectors/README.md).
const v = readVectorExact('merkle/rfc6962-reference.json');
const leafHashes: Uint8Array[] = v.leafHashes.map(hex);
const source = new MemoryHashSource(leafHashes);
const hexList = (proof: Uint8Array[]) => proof.map(toHex);

describe('rfc6962-reference: inclusion proofs', () => {
  const valid = v.inclusionProofs.filter((p: { expected?: string }) => p.expected === 'valid');

  it('has 5 valid proofs, each verifying and equal to generated and reference proofs', async () => {
    assert.equal(valid.length, 5);
    for (const p of valid) {
      const index = big(p.leafIndex);
      const size = big(p.treeSize);
      assert.equal(index, big(p.leaf1Based) - 1n);
      const proof: Uint8Array[] = p.proof.map(hex);
      verifyInclusion(index, size, hex(p.leafHash), proof, hex(p.rootHash));
      assert.equal(toHex(rootFromInclusionProof(index, size, hex(p.leafHash), proof)), p.rootHash);
      assert.deepEqual(hexList(await inclusionProof(index, size, source)), p.proof);
      const tree = leafHashes.slice(0, Number(size));
      assert.deepEqual(hexList(referenceInclusionProof(Number(index), tree)), p.proof);
    }
  });

  it('rejects the entry the source marks as an invalid path (leaf 0, 1-based, in an empty tree)', () => {
    const bad = v.inclusionProofs.filter((p: { expected?: string }) => p.expected !== 'valid');
    assert.equal(bad.length, 1);
    const p = bad[0];
    const index = big(p.leaf1Based) - 1n; // -1
    expectTlogError(
      () => verifyInclusion(index, big(p.treeSize), EMPTY_ROOT, [], EMPTY_ROOT),
      'merkle/invalid-size',
    );
  });
});

describe('rfc6962-reference: consistency proofs', () => {
  it('has 5 valid proofs, each verifying and equal to generated and reference proofs', async () => {
    assert.equal(v.consistencyProofs.length, 5);
    for (const p of v.consistencyProofs) {
      assert.equal(p.expected, 'valid');
      const size1 = big(p.size1);
      const size2 = big(p.size2);
      const proof: Uint8Array[] = p.proof.map(hex);
      verifyConsistency(size1, size2, hex(p.root1), hex(p.root2), proof);
      assert.equal(toHex(rootFromConsistencyProof(size1, size2, hex(p.root1), proof)), p.root2);
      assert.deepEqual(hexList(await consistencyProof(size1, size2, source)), p.proof);
      const tree = leafHashes.slice(0, Number(size2));
      assert.deepEqual(hexList(referenceConsistencyProof(Number(size1), tree)), p.proof);
    }
  });
});

describe('rfc6962-reference: transparency-dev probes', () => {
  it('all 98 inclusion probes give wantErr', () => {
    assert.equal(v.inclusionProbes.length, 98);
    let positives = 0;
    for (const p of v.inclusionProbes) {
      const proof: Uint8Array[] = (p.proof ?? []).map(b64);
      const code = errorCodeOf(() =>
        verifyInclusion(big(p.leafIdx), big(p.treeSize), b64(p.leafHash), proof, b64(p.root)),
      );
      assert.equal(code !== undefined, p.wantErr, `${p.path}: got ${code ?? 'no error'}`);
      if (!p.wantErr) positives++;
    }
    assert.equal(positives, 6);
  });

  it('keeps 2^64 - 1 exact in the leafIdx-sub probes and rejects it as out of range', () => {
    const probes = v.inclusionProbes.filter((p: { leafIdx: unknown }) => big(p.leafIdx) === (1n << 64n) - 1n);
    assert.equal(probes.length, 2);
    for (const p of probes) {
      const proof: Uint8Array[] = (p.proof ?? []).map(b64);
      expectTlogError(
        () => verifyInclusion(big(p.leafIdx), big(p.treeSize), b64(p.leafHash), proof, b64(p.root)),
        'merkle/invalid-size',
      );
    }
  });

  // One probe pairs wantErr=false with 12-byte placeholder roots ("don't care 2"): transparency-dev
  // compares equal-size roots as plain bytes. This library requires every root to be a 32-byte hash,
  // so it rejects that probe with 'merkle/invalid-hash' on purpose.
  const deviations: Record<string, string> = {
    'testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json': 'merkle/invalid-hash',
  };

  it('all 98 consistency probes give wantErr, except one documented non-hash-root probe', () => {
    assert.equal(v.consistencyProbes.length, 98);
    let positives = 0;
    let deviated = 0;
    for (const p of v.consistencyProbes) {
      const proof: Uint8Array[] = (p.proof ?? []).map(b64);
      const code = errorCodeOf(() =>
        verifyConsistency(big(p.size1), big(p.size2), b64(p.root1), b64(p.root2), proof),
      );
      const deviation = deviations[p.path];
      if (deviation !== undefined) {
        assert.equal(p.wantErr, false);
        assert.equal(b64(p.root1).length, 12);
        assert.equal(code, deviation, p.path);
        deviated++;
        continue;
      }
      assert.equal(code !== undefined, p.wantErr, `${p.path}: got ${code ?? 'no error'}`);
      if (!p.wantErr) positives++;
    }
    assert.equal(deviated, 1);
    assert.equal(positives, 5);
  });

  it('rejects every size1 == 0 probe (none has an empty proof, EMPTY_ROOT as root1 and a 32-byte root2)', () => {
    const zero = v.consistencyProbes.filter((p: { size1: unknown }) => big(p.size1) === 0n);
    assert.equal(zero.length, 9);
    for (const p of zero) {
      const proof: Uint8Array[] = (p.proof ?? []).map(b64);
      expectTlogError(() => verifyConsistency(0n, big(p.size2), b64(p.root1), b64(p.root2), proof));
    }
  });
});
