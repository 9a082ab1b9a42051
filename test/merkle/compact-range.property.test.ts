/** The compact range against the RFC 9162 reference (test/support/merkle-reference.ts), on random trees. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../lib/bytes.ts';
import {
  CompactRange,
  compactRangeFromInclusionProof,
  compactRangeRoot,
  rangeLevels,
  verifyCompactRangeRoot,
} from '../../lib/merkle/compact-range.ts';
import { EMPTY_ROOT } from '../../lib/merkle/hash.ts';
import { referenceInclusionProof, referenceRoot } from '../support/merkle-reference.ts';
import { expectTlogError, pseudoRandomHashes } from './helpers.ts';

const MAX = 600;
const leaves = pseudoRandomHashes(MAX, 77);
const hexes = (list: readonly Uint8Array[]) => list.map(toHex);

/** Folds leaves[begin, end) into a range starting at `begin`. */
function fold(begin: number, end: number): CompactRange {
  const r = CompactRange.empty(BigInt(begin));
  for (let i = begin; i < end; i++) r.append(leaves[i] as Uint8Array);
  return r;
}

/** A sorted list of cut points in [0, n], with 0 and n. */
const cuts = fc
  .integer({ min: 0, max: MAX })
  .chain((n) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 12 })
      .map((inner) => [...new Set([0, ...inner, n])].sort((a, b) => a - b)),
  );

describe('compact range (RFC 9162 §2.1.1) against the reference implementation', () => {
  it('folding leaves one by one gives the reference root for every prefix', () => {
    const r = CompactRange.empty(0n);
    assert.deepEqual(compactRangeRoot(r), EMPTY_ROOT);
    for (let n = 1; n <= MAX; n++) {
      r.append(leaves[n - 1] as Uint8Array);
      assert.equal(toHex(compactRangeRoot(r)), toHex(referenceRoot(leaves.slice(0, n))), `size ${n}`);
      assert.equal(r.nodes().length, rangeLevels(0n, BigInt(n)).length);
    }
  });

  it('merging ranges cut at arbitrary points equals folding all the leaves', () => {
    fc.assert(
      fc.property(cuts, (points) => {
        const n = points[points.length - 1] as number;
        let merged = CompactRange.empty(0n);
        for (let i = 0; i + 1 < points.length; i++) {
          merged = merged.merge(fold(points[i] as number, points[i + 1] as number));
        }
        const whole = fold(0, n);
        assert.equal(merged.end, BigInt(n));
        assert.deepEqual(hexes(merged.nodes()), hexes(whole.nodes()));
        assert.equal(toHex(compactRangeRoot(merged)), toHex(referenceRoot(leaves.slice(0, n))));
      }),
      { numRuns: 300 },
    );
  });

  it('merging inner ranges ([a,b)+[b,c)) equals folding [a,c), and fromNodes accepts the result', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.integer({ min: 0, max: MAX }),
            fc.integer({ min: 0, max: MAX }),
            fc.integer({ min: 0, max: MAX }),
          )
          .map((t) => t.sort((x, y) => x - y)),
        ([a, b, c]) => {
          const merged = fold(a, b).merge(fold(b, c));
          const direct = fold(a, c);
          assert.deepEqual(hexes(merged.nodes()), hexes(direct.nodes()));
          assert.equal(merged.nodes().length, rangeLevels(BigInt(a), BigInt(c)).length);
          const restored = CompactRange.fromNodes(BigInt(a), BigInt(c), merged.nodes());
          assert.deepEqual(hexes(restored.nodes()), hexes(direct.nodes()));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the left siblings of the inclusion proof of leaf i are the compact range of [0, i)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: MAX })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n))),
        ([i, n]) => {
          const tree = leaves.slice(0, n);
          const range = compactRangeFromInclusionProof(
            BigInt(i),
            BigInt(n),
            referenceInclusionProof(i, tree),
          );
          assert.deepEqual(hexes(range.nodes()), hexes(fold(0, i).nodes()));
          // Folding the rest of the leaves on to it rebuilds the tree's root.
          for (let k = i; k < n; k++) range.append(leaves[k] as Uint8Array);
          verifyCompactRangeRoot(range, referenceRoot(tree), 'rebuilt root');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a changed leaf or a wrong count is refused', () => {
    const honest = fold(0, 37);
    const lie = fold(0, 36);
    lie.append(new Uint8Array(32).fill(1));
    expectTlogError(
      () => verifyCompactRangeRoot(lie, compactRangeRoot(honest), 'fold'),
      'merkle/root-mismatch',
    );
    expectTlogError(() => CompactRange.fromNodes(0n, 37n, honest.nodes().slice(1)), 'merkle/proof-length');
    expectTlogError(() => CompactRange.fromNodes(0n, 1n, [new Uint8Array(31)]), 'merkle/invalid-hash');
    expectTlogError(() => fold(0, 3).merge(fold(4, 5)), 'merkle/invalid-size');
    expectTlogError(() => compactRangeRoot(fold(1, 3)), 'merkle/invalid-size');
    expectTlogError(() => rangeLevels(5n, 4n), 'merkle/invalid-size');
  });

  it('handles sizes near 2^64 with bigint arithmetic', () => {
    const top = (1n << 64n) - 1n;
    assert.deepEqual(rangeLevels(top - 3n, top), [1, 0]);
    assert.deepEqual(rangeLevels(top - 4n, top), [0, 1, 0]);
    assert.equal(rangeLevels(0n, top).length, 64);
    const r = CompactRange.fromNodes(0n, 1n << 63n, [leaves[0] as Uint8Array]);
    r.append(leaves[1] as Uint8Array);
    assert.equal(r.end, (1n << 63n) + 1n);
    assert.equal(r.nodes().length, 2);
  });
});
