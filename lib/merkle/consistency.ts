/**
 * Consistency proofs: RFC 9162 §2.1.4 (RFC 6962 §2.1.2). Computing the new root from a proof is
 * kept apart from comparing it, so a caller can learn which root a log's proof commits to.
 *
 * Rules beyond the RFC, which defines proofs only for 0 < size1 < size2:
 *  - size1 > size2: 'merkle/invalid-size' (a tree never shrinks).
 *  - size1 == size2: the proof must be empty and the two roots equal.
 *  - size1 == 0: the root of the empty tree is SHA-256() (§2.1.1), so root1 must be EMPTY_ROOT; the
 *    empty tree is a prefix of every tree, so with an empty proof any 32-byte root2 is consistent.
 *    (transparency-dev/merkle rejects size1 == 0 as "useless"; here it is accepted, since a monitor
 *    that first saw an empty log must be able to move on from it.) A root2 cannot be *computed* from
 *    such a proof, so rootFromConsistencyProof(0, n > 0, …) throws 'merkle/invalid-size'.
 * Every hash must be 32 bytes ('merkle/invalid-hash'); sizes are uint64.
 */
import { TlogError } from '../errors.ts';
import { bit } from './bits.ts';
import {
  requireHash,
  requireOrderedSizes,
  requireProofHashes,
  requireProofLength,
  requireSameRoot,
} from './checks.ts';
import { EMPTY_ROOT, hashChildren } from './hash.ts';
import { consistencyShape } from './shape.ts';

const label = (size1: bigint, size2: bigint) => `consistency proof ${size1}→${size2}`;

/** Number of hashes in the consistency proof between two tree sizes (0 when they are equal or size1 is 0). */
export function consistencyProofLength(size1: bigint, size2: bigint): number {
  requireOrderedSizes(size1, size2);
  return size1 === 0n || size1 === size2 ? 0 : consistencyShape(size1, size2).length;
}

/**
 * Recomputes root1 from the proof and throws 'merkle/root-mismatch' if it differs from `root1`;
 * returns the root of the tree of size2 that the proof commits to (RFC 9162 §2.1.4.2, with the
 * proof length checked first). For size1 == size2 returns root1 (the proof must be empty).
 */
export function rootFromConsistencyProof(
  size1: bigint,
  size2: bigint,
  root1: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  requireOrderedSizes(size1, size2);
  requireHash(root1, 'first root');
  if (size1 === size2) {
    requireProofLength(proof, 0, label(size1, size2));
    if (size1 === 0n) requireSameRoot(root1, EMPTY_ROOT, 'root of the empty tree (size 0)');
    return root1;
  }
  if (size1 === 0n) {
    throw new TlogError(
      'merkle/invalid-size',
      `${label(size1, size2)}: the root of size ${size2} cannot be computed from a proof from the empty tree (it has no hashes)`,
      { size1: String(size1), size2: String(size2) },
    );
  }
  const shape = consistencyShape(size1, size2);
  requireProofLength(proof, shape.length, label(size1, size2));
  requireProofHashes(proof, 'consistency proof');

  let pos = 0;
  const next = (): Uint8Array => proof[pos++] as Uint8Array;
  // Start from the rightmost perfect subtree of the old tree: root1 itself when size1 is a power of two.
  const seed = shape.seeded ? next() : root1;
  let r1 = seed;
  let r2 = seed;
  for (let i = 0; i < shape.inner; i++) {
    const p = next();
    if (bit(shape.node, i)) {
      // A left sibling lies inside the old tree too.
      r1 = hashChildren(p, r1);
      r2 = hashChildren(p, r2);
    } else {
      // A right sibling holds only new leaves.
      r2 = hashChildren(r2, p);
    }
  }
  for (let i = 0; i < shape.border; i++) {
    const p = next();
    r1 = hashChildren(p, r1);
    r2 = hashChildren(p, r2);
  }
  requireSameRoot(r1, root1, `${label(size1, size2)}: recomputed first root`);
  return r2;
}

/**
 * Verifies that the tree of size2 with root `root2` extends the tree of size1 with root `root1`.
 * Throws a TlogError on any failure ('merkle/root-mismatch' when a root differs).
 */
export function verifyConsistency(
  size1: bigint,
  size2: bigint,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  requireOrderedSizes(size1, size2);
  requireHash(root1, 'first root');
  requireHash(root2, 'second root');
  if (size1 === 0n && size2 > 0n) {
    // The empty tree is a prefix of every tree: nothing to prove (see the rules above).
    requireProofLength(proof, 0, label(size1, size2));
    requireSameRoot(root1, EMPTY_ROOT, 'root of the empty tree (size 0)');
    return;
  }
  const computed = rootFromConsistencyProof(size1, size2, root1, proof);
  requireSameRoot(computed, root2, `${label(size1, size2)}: second root`);
}
