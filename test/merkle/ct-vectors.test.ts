import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  hashLeaf,
  rootFromConsistencyProof,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { readVector } from '../support/vectors.ts';
import { b64, big, expectTlogError, hex } from './helpers.ts';

// Real CT proofs (Icarus get-sth-consistency / get-entry-and-proof, Argon2018 from CT-go gossip tests).
const v = readVector('ct/proofs.json');

describe('ct/proofs.json', () => {
  it('verifies the Icarus 129596132→129721434 proof (24 hashes) and its raw JSON matches', () => {
    const p = v.consistency.find((c: { log: string }) => c.log === 'icarus');
    assert.equal(p.expected, 'valid');
    assert.deepEqual(JSON.parse(p.rawJSON).consistency, p.consistency);
    const proof: Uint8Array[] = p.consistency.map(b64);
    assert.equal(proof.length, 24);
    verifyConsistency(big(p.first), big(p.second), b64(p.firstRoot), b64(p.secondRoot), proof);
    assert.equal(
      toHex(rootFromConsistencyProof(big(p.first), big(p.second), b64(p.firstRoot), proof)),
      toHex(b64(p.secondRoot)),
    );
  });

  it('verifies the Argon2018 87292240→87292262 proof and rejects the wrong 1-hash proof', () => {
    const argon = v.consistency.filter((c: { log: string }) => c.log === 'argon2018');
    assert.equal(argon.length, 2);
    const [good, bad] = argon;
    assert.equal(good.expected, 'valid');
    const proof: Uint8Array[] = good.consistencyHex.map(hex);
    assert.deepEqual(good.consistency.map(b64).map(toHex), good.consistencyHex);
    verifyConsistency(big(good.first), big(good.second), b64(good.firstRoot), b64(good.secondRoot), proof);

    assert.equal(bad.expected, 'invalid');
    const e = expectTlogError(
      () =>
        verifyConsistency(
          big(bad.first),
          big(bad.second),
          b64(bad.firstRoot),
          b64(bad.secondRoot),
          bad.consistencyHex.map(hex),
        ),
      'merkle/proof-length',
    );
    assert.match(e.message, /needs 16 hashes, got 1$/);
  });

  it('verifies the Icarus inclusion of leaf 120000000 (27-hash audit path) from leaf_input', () => {
    assert.equal(v.inclusion.length, 1);
    const p = v.inclusion[0];
    const leaf = hashLeaf(b64(p.leaf_input));
    assert.equal(toHex(leaf), p.leafHashHex);
    const proof: Uint8Array[] = p.audit_path.map(b64);
    assert.equal(proof.length, 27);
    verifyInclusion(big(p.leaf_index), big(p.tree_size), leaf, proof, b64(p.rootHash));
    // Same proof, neighbouring index: the direction bits change, so the root does.
    expectTlogError(() =>
      verifyInclusion(big(p.leaf_index) + 1n, big(p.tree_size), leaf, proof, b64(p.rootHash)),
    );
    // The root is the second STH root of the consistency proof above: both come from the same Icarus head.
    const icarus = v.consistency.find((c: { log: string }) => c.log === 'icarus');
    assert.equal(p.rootHash, icarus.secondRoot);
  });
});
