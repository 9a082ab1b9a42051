/** Merkle tree hashing and proofs (RFC 9162 §2.1): public API. */
export { MAX_TREE_SIZE } from './bits.ts';
export {
  CompactRange,
  compactRangeFromInclusionProof,
  compactRangeRoot,
  rangeLevels,
  verifyCompactRangeRoot,
} from './compact-range.ts';
export {
  consistencyProofLength,
  rootFromConsistencyProof,
  verifyConsistency,
} from './consistency.ts';
export { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf, type LeafHasher, type NodeHasher } from './hash.ts';
export { inclusionProofLength, rootFromInclusionProof, verifyInclusion } from './inclusion.ts';
export { MemoryHashSource } from './memory-source.ts';
export { consistencyProof, type HashSource, inclusionProof, type NodeId, treeRoot } from './prove.ts';
