import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  consistencyProofLength,
  hashLeaf,
  inclusionProofLength,
  rootFromConsistencyProof,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { readVector } from '../support/vectors.ts';
import { b64, big, expectTlogError, hex } from './helpers.ts';

describe('rekor/consistency-v1-production.json (losfair/rekor-evm)', () => {
  const v = readVector('rekor/consistency-v1-production.json');
  const valid = v.consistencyProofs.filter((p: { expected: string }) => p.expected === 'valid');
  const invalid = v.consistencyProofs.filter((p: { expected: string }) => p.expected !== 'valid');

  it('verifies the 3 real production consistency proofs', () => {
    assert.equal(valid.length, 3);
    assert.deepEqual(
      valid.map((p: { proofHex: string[] }) => p.proofHex.length),
      [19, 16, 22],
    );
    for (const p of valid) {
      const proof: Uint8Array[] = p.proofHex.map(hex);
      assert.equal(consistencyProofLength(big(p.size1), big(p.size2)), proof.length);
      verifyConsistency(big(p.size1), big(p.size2), hex(p.root1Hex), hex(p.root2Hex), proof);
      assert.equal(
        toHex(rootFromConsistencyProof(big(p.size1), big(p.size2), hex(p.root1Hex), proof)),
        p.root2Hex,
      );
    }
  });

  it('rejects the 3 invalid proofs built as in the source tests', () => {
    assert.equal(invalid.length, 3);
    // A 19-hash proof for a pair that needs 22 hashes.
    const [short, mixed, swapped] = invalid;
    const e = expectTlogError(
      () =>
        verifyConsistency(
          big(short.size1),
          big(short.size2),
          hex(short.root1Hex),
          hex(short.root2Hex),
          short.proofHex.map(hex),
        ),
      'merkle/proof-length',
    );
    assert.equal(e.message, 'consistency proof 76274621→76276175 needs 22 hashes, got 19');
    for (const p of [mixed, swapped]) {
      const err = expectTlogError(
        () =>
          verifyConsistency(
            big(p.size1),
            big(p.size2),
            hex(p.root1Hex),
            hex(p.root2Hex),
            p.proofHex.map(hex),
          ),
        'merkle/root-mismatch',
      );
      assert.match(err.message, new RegExp(p.root1Hex)); // the first root is what the bad seed breaks
    }
  });

  it('names expected and actual lengths for a proof with one trailing hash', () => {
    const p = valid[2];
    const proof: Uint8Array[] = [...p.proofHex.map(hex), hex(p.root2Hex)];
    const e = expectTlogError(
      () => verifyConsistency(big(p.size1), big(p.size2), hex(p.root1Hex), hex(p.root2Hex), proof),
      'merkle/proof-length',
    );
    assert.equal(e.message, 'consistency proof 76274621→76276175 needs 22 hashes, got 23');
  });

  it('verifies the real inclusion proof and rejects the leaf hashed with prefix 0x01', () => {
    assert.equal(v.inclusionProofs.length, 2);
    const [good, bad] = v.inclusionProofs;
    assert.equal(good.expected, 'valid');
    const proof: Uint8Array[] = good.proofHex.map(hex);
    assert.equal(proof.length, 25);
    assert.equal(inclusionProofLength(big(good.leafIndex), big(good.treeSize)), 25);
    verifyInclusion(
      big(good.leafIndex),
      big(good.treeSize),
      hex(good.leafHashHex),
      proof,
      hex(good.rootHashHex),
    );
    const e = expectTlogError(
      () =>
        verifyInclusion(
          big(bad.leafIndex),
          big(bad.treeSize),
          hex(bad.leafHashHex),
          bad.proofHex.map(hex),
          hex(bad.rootHashHex),
        ),
      'merkle/root-mismatch',
    );
    assert.match(e.message, new RegExp(bad.rootHashHex));
  });
});

interface RekorEntry {
  canonicalizedBody: string;
  leafHashHex: string;
  inclusionProof?: {
    logIndex: string | number;
    treeSize: string | number;
    rootHash: string;
    hashes: string[];
  };
}

function checkEntries(entries: RekorEntry[]): number {
  let checked = 0;
  for (const e of entries) {
    const ip = e.inclusionProof;
    if (ip === undefined) continue;
    // The leaf is SHA-256(0x00 ‖ canonicalizedBody) at the shard-local index inclusionProof.logIndex.
    const leaf = hashLeaf(b64(e.canonicalizedBody));
    assert.equal(toHex(leaf), e.leafHashHex);
    const proof = ip.hashes.map(b64);
    verifyInclusion(big(ip.logIndex), big(ip.treeSize), leaf, proof, b64(ip.rootHash));
    // The same proof must not place the leaf anywhere else or give another root.
    expectTlogError(() =>
      verifyInclusion(
        big(ip.logIndex),
        big(ip.treeSize),
        hashLeaf(new Uint8Array(1)),
        proof,
        b64(ip.rootHash),
      ),
    );
    checked++;
  }
  return checked;
}

describe('rekor checkpoint entries: inclusion of SHA-256(0x00 ‖ body)', () => {
  it('verifies all 16 production entries', () => {
    const v = readVector('rekor/checkpoints-v1-production.json');
    assert.equal(v.entries.length, 16);
    assert.equal(checkEntries(v.entries), 16);
  });

  it('verifies all 8 entries from other Rekor v1 instances', () => {
    const v = readVector('rekor/checkpoints-v1-other-instances.json');
    assert.equal(v.entries.length, 8);
    assert.equal(checkEntries(v.entries), 8);
  });

  it('verifies all 18 Rekor v2 entries (tiles/rekor-v2-checkpoints.json)', () => {
    const v = readVector('tiles/rekor-v2-checkpoints.json');
    assert.equal(v.entries.length, 18);
    for (const e of v.entries) assert.equal(e.expected.inclusion, 'valid');
    assert.equal(checkEntries(v.entries), 18);
  });
});

describe('rekor/negative.json bundle entries: inclusion of SHA-256(0x00 ‖ body)', () => {
  // The checkpoint side of these entries is tested in test/note/rekor-v1.test.ts; here, the proof.
  const v = readVector('rekor/negative.json');
  const failsInclusion = (expected: string | { reasons: string[] }): boolean =>
    typeof expected === 'string'
      ? /inclusion proof verification FAILS/.test(expected)
      : expected.reasons.some((r) => r.startsWith('inclusion proof does not verify'));

  it('the 5 entries whose expected failure is the inclusion proof fail it; the 3 others verify', () => {
    assert.equal(v.bundleEntries.length, 8);
    let failing = 0;
    for (const [i, e] of v.bundleEntries.entries()) {
      const ip = e.inclusionProof;
      const leaf = hashLeaf(b64(e.canonicalizedBody));
      assert.equal(toHex(leaf), e.leafHashHex, `entry ${i}`);
      const check = () =>
        verifyInclusion(big(ip.logIndex), big(ip.treeSize), leaf, ip.hashes.map(b64), b64(ip.rootHash));
      if (failsInclusion(e.expected)) {
        // A stale proof (entry 0) is refused for its length, a corrupted one for its root.
        const err = expectTlogError(check);
        assert.ok(
          ['merkle/root-mismatch', 'merkle/proof-length'].includes(err.code),
          `entry ${i}: ${err.code}`,
        );
        failing++;
      } else {
        check();
      }
    }
    assert.equal(failing, 5);
  });
});
