/**
 * Which perfect subtrees a proof or root is made of. A proof element is either one perfect
 * subtree hash or an "ephemeral" node on the right edge of the tree (an incomplete subtree), whose
 * hash is folded from the perfect subtrees it splits into (RFC 9162 §2.1.1: MTH splits at the
 * largest power of two below n, so a right-edge subtree is its perfect pieces folded from the right).
 */
import { bit, bitLength } from './bits.ts';
import { hashChildren } from './hash.ts';
import { consistencyShape, pathShape } from './shape.ts';

/** A perfect subtree: the 2^level leaves starting at leaf index · 2^level. */
export interface NodeId {
  readonly level: number;
  readonly index: bigint;
}

/** The perfect subtrees whose hashes, folded from the right, give one proof element or root. */
export type NodePart = readonly NodeId[];

/** Splits the leaves [start, start + count) into perfect subtrees, largest first (start must be aligned). */
export function perfectNodes(start: bigint, count: bigint): NodeId[] {
  const nodes: NodeId[] = [];
  let pos = start;
  for (let level = bitLength(count) - 1; level >= 0; level--) {
    if (!bit(count, level)) continue;
    nodes.push({ level, index: pos >> BigInt(level) });
    pos += 1n << BigInt(level);
  }
  return nodes;
}

/** Node (level, index) cut at `size` leaves: itself if complete, else its perfect pieces. */
function truncated(level: number, index: bigint, size: bigint): NodePart {
  const start = index << BigInt(level);
  const end = start + (1n << BigInt(level));
  return end <= size ? [{ level, index }] : perfectNodes(start, size - start);
}

/** Path parts from node (level, index) up to the root of a tree of `size` leaves. */
function pathParts(level: number, index: bigint, size: bigint): NodePart[] {
  const lastIndex = (size - 1n) >> BigInt(level);
  const { inner, border } = pathShape(index, lastIndex);
  const parts: NodePart[] = [];
  for (let i = 0; i < inner; i++) parts.push(truncated(level + i, (index >> BigInt(i)) ^ 1n, size));
  for (let i = inner, found = 0; found < border; i++) {
    if (!bit(index, i)) continue;
    parts.push([{ level: level + i, index: (index >> BigInt(i)) - 1n }]);
    found++;
  }
  return parts;
}

/** Parts of the inclusion proof of leaf `index` in a tree of `size` (0 ≤ index < size, checked by the caller). */
export function inclusionParts(index: bigint, size: bigint): NodePart[] {
  return pathParts(0, index, size);
}

/** Parts of the consistency proof size1 → size2 (0 ≤ size1 ≤ size2, checked by the caller). */
export function consistencyParts(size1: bigint, size2: bigint): NodePart[] {
  if (size1 === 0n || size1 === size2) return [];
  const { level, node, seeded } = consistencyShape(size1, size2);
  const parts = pathParts(level, node, size2);
  return seeded ? [[{ level, index: node }], ...parts] : parts;
}

/** The part whose fold is the root of a tree of `size` > 0 leaves. */
export function rootPart(size: bigint): NodePart {
  return perfectNodes(0n, size);
}

/** Folds the hashes of a part's nodes from the right: H(a, H(b, H(c, d))). */
export function foldPart(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  if (acc === undefined) throw new Error('foldPart: empty part');
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i] as Uint8Array, acc);
  return acc;
}
