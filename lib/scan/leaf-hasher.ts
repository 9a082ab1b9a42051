/**
 * How the scan hashes a leaf: SHA-256(0x00 ‖ leaf) (RFC 9162 §2.1.1). A port, so the composition
 * root can inject the platform's native SHA-256 (node:crypto hashes a 3 KB entry about four times
 * faster than @noble/hashes; BENCHMARKS.md, "Identity scan") while the core imports no node:crypto.
 */
import { hashLeaf, type LeafHasher } from '../merkle/hash.ts';

export type { LeafHasher };

/** The portable default: lib/merkle's @noble/hashes implementation. */
export const portableLeafHasher: LeafHasher = hashLeaf;
