/** Inclusion proofs: RFC 9162 §2.1.3 (audit paths of RFC 6962 §2.1.1). */
import { bit } from './bits.ts';
import {
  requireHash,
  requireLeafInTree,
  requireProofHashes,
  requireProofLength,
  requireSameRoot,
} from './checks.ts';
import { hashChildren, type NodeHasher } from './hash.ts';
import { pathShape } from './shape.ts';

/** Number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves. */
export function inclusionProofLength(index: bigint, size: bigint): number {
  requireLeafInTree(index, size);
  const { inner, border } = pathShape(index, size - 1n);
  return inner + border;
}

/**
 * Computes the root that `proof` gives for leaf hash `leafHash` at `index` in a tree of `size`
 * (RFC 9162 §2.1.3.2, step by step, with the proof length checked first). The caller hashes the
 * leaf (with lib/merkle's `hashLeaf` or an injected LeafHasher); `hashNode` is SHA-256(0x01 ‖ l ‖ r),
 * @noble/hashes unless the caller injects another implementation of it.
 * Throws 'merkle/invalid-size', 'merkle/invalid-hash' or 'merkle/proof-length'; never compares roots.
 */
export function rootFromInclusionProof(
  index: bigint,
  size: bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  hashNode: NodeHasher = hashChildren,
): Uint8Array {
  requireLeafInTree(index, size);
  requireHash(leafHash, 'leaf hash');
  const { inner, border } = pathShape(index, size - 1n);
  requireProofLength(proof, inner + border, `inclusion proof for leaf ${index} in tree size ${size}`);
  requireProofHashes(proof, 'inclusion proof');
  let r = leafHash;
  proof.forEach((p, i) => {
    // Inner levels: bit i of the index says whether the sibling is on the left (1) or right (0).
    // Border levels: always a left sibling.
    r = i >= inner || bit(index, i) ? hashNode(p, r) : hashNode(r, p);
  });
  return r;
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`
 * (`hashNode` as for rootFromInclusionProof).
 * Throws a TlogError ('merkle/root-mismatch' when the proof does not lead to `root`).
 */
export function verifyInclusion(
  index: bigint,
  size: bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  hashNode: NodeHasher = hashChildren,
): void {
  requireLeafInTree(index, size);
  requireHash(root, 'expected root');
  const computed = rootFromInclusionProof(index, size, leafHash, proof, hashNode);
  requireSameRoot(computed, root, `inclusion proof for leaf ${index} in tree size ${size}`);
}
