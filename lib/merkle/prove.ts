/**
 * Proof generation from a source of perfect-subtree hashes (test log servers now, tile-based
 * logs later). Each function first lists every node it needs, asks the source once, then combines.
 */
import { TlogError } from '../errors.ts';
import { requireUint64 } from './bits.ts';
import { requireHash, requireLeafInTree, requireOrderedSizes } from './checks.ts';
import { EMPTY_ROOT } from './hash.ts';
import {
  consistencyParts,
  foldPart,
  inclusionParts,
  type NodeId,
  type NodePart,
  rootPart,
} from './node-plan.ts';

export type { NodeId } from './node-plan.ts';

/** Hashes of perfect subtrees, answered in the order asked. */
export interface HashSource {
  hashes(ids: readonly NodeId[]): Promise<Uint8Array[]>;
}

async function resolve(parts: readonly NodePart[], source: HashSource): Promise<Uint8Array[]> {
  const ids = parts.flat();
  if (ids.length === 0) return [];
  const hashes = await source.hashes(ids);
  if (hashes.length !== ids.length) {
    throw new TlogError(
      'response/malformed',
      `hash source answered ${hashes.length} hashes for ${ids.length} nodes`,
      {
        expected: ids.length,
        actual: hashes.length,
      },
    );
  }
  hashes.forEach((h, i) => {
    const id = ids[i] as NodeId;
    requireHash(h, `hash of node (level ${id.level}, index ${id.index})`);
  });
  let pos = 0;
  return parts.map((part) => {
    const start = pos;
    pos += part.length;
    return foldPart(hashes.slice(start, pos));
  });
}

/** The inclusion proof (RFC 9162 §2.1.3.1 PATH) of leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(index: bigint, size: bigint, source: HashSource): Promise<Uint8Array[]> {
  requireLeafInTree(index, size);
  return resolve(inclusionParts(index, size), source);
}

/**
 * The consistency proof (RFC 9162 §2.1.4.1 PROOF) from size1 to size2. Empty when the sizes are
 * equal or size1 is 0 (see consistency.ts for how those are verified).
 */
export async function consistencyProof(
  size1: bigint,
  size2: bigint,
  source: HashSource,
): Promise<Uint8Array[]> {
  requireOrderedSizes(size1, size2);
  return resolve(consistencyParts(size1, size2), source);
}

/** MTH of the first `size` leaves (RFC 9162 §2.1.1); EMPTY_ROOT for size 0. */
export async function treeRoot(size: bigint, source: HashSource): Promise<Uint8Array> {
  requireUint64(size, 'tree size');
  if (size === 0n) return EMPTY_ROOT.slice();
  const [root] = await resolve([rootPart(size)], source);
  return root as Uint8Array;
}
