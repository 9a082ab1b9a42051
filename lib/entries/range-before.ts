/**
 * The compact range of the leaves [0, index) as a log claims it, from an inclusion proof.
 *
 * The compact range of [0, i) is the list of perfect subtrees the first i leaves split into
 * (RFC 9162 §2.1.1 decomposition: one per 1 bit of i, largest first). In the inclusion proof of
 * leaf i (RFC 9162 §2.1.3.1), every hash that lies to the LEFT of the leaf is one of those perfect
 * subtrees, and together they are all of them: the left siblings on the path of leaf i are the
 * same in every tree that contains leaf i, whatever its size (only the right siblings depend on
 * the size). So any inclusion proof of leaf i, for any tree size, yields the compact range of
 * [0, i).
 *
 * Nothing here is trusted: the scan folds the entries from i on into this range and must rebuild
 * a signed root; a wrong hash here makes that fold fail, so the range is proven, or refused, there.
 */
import { TlogError } from '../errors.ts';
import { hashChildren, inclusionProofLength, type NodeId } from '../merkle/index.ts';
import { inclusionParts, perfectNodes } from '../merkle/node-plan.ts';

/**
 * The left siblings of leaf `index` in its inclusion proof for a tree of `size`, largest first:
 * the compact range of [0, index). Throws 'response/malformed' if the proof has the wrong length.
 */
export function rangeBeforeFromProof(
  index: bigint,
  size: bigint,
  proof: readonly Uint8Array[],
  what: string,
): Uint8Array[] {
  if (index < 0n || index >= size) {
    throw new TlogError('response/mismatch', `${what}: leaf ${index} is not in a tree of size ${size}`, {
      index: index.toString(),
      size: size.toString(),
    });
  }
  const expected = inclusionProofLength(index, size);
  if (proof.length !== expected) {
    throw new TlogError(
      'response/malformed',
      `${what}: an inclusion proof of leaf ${index} in a tree of size ${size} has ${expected} hashes, got ${proof.length}`,
      { index: index.toString(), expected, actual: proof.length },
    );
  }
  const left: { node: NodeId; hash: Uint8Array }[] = [];
  inclusionParts(index, size).forEach((part, k) => {
    const node = part[0];
    if (part.length !== 1 || node === undefined) return; // a right-edge node: right of the leaf
    const end = (node.index + 1n) << BigInt(node.level);
    if (end <= index) left.push({ node, hash: proof[k] as Uint8Array });
  });
  left.sort((a, b) => b.node.level - a.node.level);
  // The left siblings are exactly the decomposition of [0, index); anything else is a bug here.
  const want = perfectNodes(0n, index);
  if (
    want.length !== left.length ||
    want.some((n, i) => n.level !== left[i]?.node.level || n.index !== left[i]?.node.index)
  ) {
    throw new Error(`rangeBeforeFromProof: left siblings of leaf ${index} do not cover [0, ${index})`);
  }
  return left.map((l) => l.hash);
}

/**
 * Appends one leaf hash to the compact range of [0, count): the range of [0, count + 1).
 * Used to give the range before the tree's size from the last leaf and its proof.
 */
export function appendToRange(
  range: readonly Uint8Array[],
  count: bigint,
  leafHash: Uint8Array,
): Uint8Array[] {
  const out = range.slice();
  let hash = leafHash;
  for (let c = count; (c & 1n) === 1n; c >>= 1n) {
    const left = out.pop();
    if (left === undefined) throw new Error(`appendToRange: range too short for ${count} leaves`);
    hash = hashChildren(left, hash);
  }
  out.push(hash);
  return out;
}
