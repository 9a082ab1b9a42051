/**
 * Which hashes a proof holds, from the sizes alone (pure bigint arithmetic, valid up to 2^64 − 1).
 *
 * RFC 9162 §2.1.3.1 PATH(m, D[n]) read bottom-up splits in two at the level where the path to
 * leaf m and the path to the last leaf n − 1 meet:
 *  - `inner` levels below it, one sibling per level: a left sibling where bit i of m is 1, a right
 *    sibling where it is 0 (the topmost right sibling may be an incomplete, "ephemeral" subtree);
 *  - `border` levels above it, where m and n − 1 share their bits: a left sibling for every 1 bit,
 *    nothing where the node is the rightmost one of its level.
 * A consistency proof (§2.1.4.1 PROOF/SUBPROOF) is the same path, started from the rightmost
 * perfect subtree of the old tree instead of from a leaf.
 */
import { bitLength, popCount, trailingZeros } from './bits.ts';

export interface PathShape {
  /** Sibling hashes below the meeting level (bit i of the start index says which side). */
  readonly inner: number;
  /** Left-sibling hashes above it (one per 1 bit of index >> inner). */
  readonly border: number;
}

/** Shape of the path from node `index` to the root over nodes 0..`lastIndex` of one level. */
export function pathShape(index: bigint, lastIndex: bigint): PathShape {
  const inner = bitLength(index ^ lastIndex);
  return { inner, border: popCount(index >> BigInt(inner)) };
}

export interface ConsistencyShape extends PathShape {
  /** Level of the rightmost perfect subtree of the old tree: the trailing zero bits of size1. */
  readonly level: number;
  /** Its index on that level: (size1 >> level) − 1. */
  readonly node: bigint;
  /**
   * Whether its hash is the proof's first element. When size1 is a power of two the subtree is the
   * whole old tree, its hash is root1 and the proof leaves it out (RFC 9162 §2.1.4.1, SUBPROOF with b = true).
   */
  readonly seeded: boolean;
  /** Total number of hashes in the proof. */
  readonly length: number;
}

/** Shape of the consistency proof between tree sizes 0 < size1 < size2. */
export function consistencyShape(size1: bigint, size2: bigint): ConsistencyShape {
  const level = trailingZeros(size1);
  const node = (size1 >> BigInt(level)) - 1n;
  const { inner, border } = pathShape(node, (size2 - 1n) >> BigInt(level));
  const seeded = node !== 0n;
  return { level, node, seeded, inner, border, length: (seeded ? 1 : 0) + inner + border };
}
