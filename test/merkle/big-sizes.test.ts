/** Sizes beyond 2^53 (up to 2^64 − 1): proof lengths are exact and wrong proofs fail cleanly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  consistencyProofLength,
  inclusionProofLength,
  MAX_TREE_SIZE,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { expectTlogError } from './helpers.ts';
import { consistencyOps, inclusionDirections } from './rfc-shape.ts';

const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const P63 = 1n << 63n;

/** Sizes in [1, 2^64 − 1], half of them within ±1000 of a power of two (mostly near 2^63). */
const bigSize = fc.oneof(
  fc.bigInt({ min: 1n, max: MAX_TREE_SIZE }),
  fc
    .tuple(
      fc.oneof(fc.constant(63), fc.integer({ min: 53, max: 64 })),
      fc.bigInt({ min: -1000n, max: 1000n }),
    )
    .map(([e, d]) => {
      const s = (1n << BigInt(e)) + d;
      return s < 1n ? 1n : s > MAX_TREE_SIZE ? MAX_TREE_SIZE : s;
    }),
);
const bigLeaf = bigSize.chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.oneof(
      fc.bigInt({ min: 0n, max: n - 1n }),
      fc.bigInt({ min: n > 1000n ? n - 1000n : 0n, max: n - 1n }),
    ),
  ),
);
const bigPair = fc
  .tuple(bigSize, bigSize)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => (a < b ? [a, b] : [b, a]) as [bigint, bigint]);

const randomProof = (len: number) => fc.array(hash32, { minLength: len, maxLength: len });

describe('proof lengths for sizes up to 2^64 − 1', () => {
  it('known values', () => {
    assert.equal(inclusionProofLength(0n, P63), 63);
    assert.equal(inclusionProofLength(0n, P63 + 1n), 64);
    assert.equal(inclusionProofLength(P63, P63 + 1n), 1);
    assert.equal(inclusionProofLength(MAX_TREE_SIZE - 1n, MAX_TREE_SIZE), 63);
    assert.equal(consistencyProofLength(1n << 62n, P63), 1);
    assert.equal(consistencyProofLength(P63 - 1n, P63), 64);
    assert.equal(consistencyProofLength(P63, MAX_TREE_SIZE), 1); // root1 is the left half; one right sibling
    // 2^53 + 1 is where number arithmetic would silently round.
    assert.equal(inclusionProofLength(2n ** 53n, 2n ** 53n + 1n), 1);
    assert.equal(
      consistencyProofLength(2n ** 53n + 1n, 2n ** 53n + 2n),
      inclusionProofLength(2n ** 53n + 1n, 2n ** 53n + 2n) + 1,
    );
  });

  it('inclusion: equal to the length of the RFC PATH recursion', () => {
    fc.assert(
      fc.property(bigLeaf, ([n, i]) => {
        assert.equal(inclusionProofLength(i, n), inclusionDirections(i, n).length);
      }),
      { numRuns: 500 },
    );
  });

  it('consistency: equal to the length of the RFC PROOF recursion', () => {
    fc.assert(
      fc.property(bigPair, ([m, n]) => {
        assert.equal(consistencyProofLength(m, n), consistencyOps(m, n).length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('random proofs for sizes near 2^63', () => {
  it('inclusion: right length gives a root mismatch, one hash more or less a length error', () => {
    fc.assert(
      fc.property(
        bigLeaf.chain(([n, i]) =>
          fc.tuple(fc.constant(n), fc.constant(i), randomProof(inclusionProofLength(i, n))),
        ),
        hash32,
        hash32,
        ([n, i, proof], leaf, root) => {
          assert.equal(rootFromInclusionProof(i, n, leaf, proof).length, 32);
          expectTlogError(() => verifyInclusion(i, n, leaf, proof, root), 'merkle/root-mismatch');
          const e = expectTlogError(
            () => verifyInclusion(i, n, leaf, [...proof, root], root),
            'merkle/proof-length',
          );
          assert.equal(
            e.message,
            `inclusion proof for leaf ${i} in tree size ${n} needs ${proof.length} hashes, got ${proof.length + 1}`,
          );
          if (proof.length > 0)
            expectTlogError(() => verifyInclusion(i, n, leaf, proof.slice(1), root), 'merkle/proof-length');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('consistency: right length gives a root mismatch, one hash more a length error', () => {
    fc.assert(
      fc.property(
        bigPair.chain(([m, n]) =>
          fc.tuple(fc.constant(m), fc.constant(n), randomProof(consistencyProofLength(m, n))),
        ),
        hash32,
        hash32,
        ([m, n, proof], root1, root2) => {
          expectTlogError(() => verifyConsistency(m, n, root1, root2, proof), 'merkle/root-mismatch');
          const e = expectTlogError(
            () => verifyConsistency(m, n, root1, root2, [...proof, root2]),
            'merkle/proof-length',
          );
          assert.equal(
            e.message,
            `consistency proof ${m}→${n} needs ${proof.length} hashes, got ${proof.length + 1}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a power-of-two size1 fails on the second root (root1 is the seed), others on the first', () => {
    const root1 = new Uint8Array(32).fill(1);
    const root2 = new Uint8Array(32).fill(2);
    const pow = 1n << 62n;
    const p1 = Array.from({ length: consistencyProofLength(pow, P63 + 12_345n) }, () =>
      new Uint8Array(32).fill(3),
    );
    const e1 = expectTlogError(
      () => verifyConsistency(pow, P63 + 12_345n, root1, root2, p1),
      'merkle/root-mismatch',
    );
    assert.match(e1.message, /second root/);
    const p2 = Array.from({ length: consistencyProofLength(pow + 1n, P63 + 12_345n) }, () =>
      new Uint8Array(32).fill(3),
    );
    const e2 = expectTlogError(
      () => verifyConsistency(pow + 1n, P63 + 12_345n, root1, root2, p2),
      'merkle/root-mismatch',
    );
    assert.match(e2.message, /recomputed first root/);
  });
});
