/**
 * Compact ranges (a Merkle "frontier"): the leaves [begin, end) of a tree summarised by the
 * hashes of the fewest aligned perfect subtrees that cover them, left to right. RFC 9162 §2.1.1
 * splits a tree at the largest power of two below its size, so the tree of the leaves [0, n) is
 * its perfect subtrees for each 1 bit of n, largest first, folded from the right: a compact range
 * of [0, n) holds exactly what is needed to compute MTH(D[n]) and to extend it leaf by leaf.
 *
 * Computing a root (compactRangeRoot) is kept apart from comparing it (verifyCompactRangeRoot,
 * constant time), as for the proofs in this folder.
 */
import { TlogError } from '../errors.ts';
import { bit, bitLength, requireUint64, trailingZeros } from './bits.ts';
import {
  requireHash,
  requireLeafInTree,
  requireProofHashes,
  requireProofLength,
  requireSameRoot,
} from './checks.ts';
import { EMPTY_ROOT, hashChildren, type NodeHasher } from './hash.ts';
import { pathShape } from './shape.ts';

/**
 * The levels of the aligned perfect subtrees that cover [begin, end), left to right: from `begin`,
 * each is the largest subtree that starts there (aligned to its size) and ends by `end`.
 */
export function rangeLevels(begin: bigint, end: bigint): number[] {
  requireRange(begin, end);
  const levels: number[] = [];
  for (let pos = begin; pos < end; ) {
    let level = bitLength(end - pos) - 1;
    if (pos > 0n) level = Math.min(level, trailingZeros(pos));
    levels.push(level);
    pos += 1n << BigInt(level);
  }
  return levels;
}

export class CompactRange {
  readonly begin: bigint;
  #end: bigint;
  readonly #hashes: Uint8Array[];
  /** levels[i] is the level of hashes[i] (a subtree of 2^level leaves). */
  readonly #levels: number[];
  /** SHA-256(0x01 ‖ left ‖ right) for the merges: @noble/hashes unless the creator injected another. */
  readonly #hashNode: NodeHasher;

  private constructor(
    begin: bigint,
    end: bigint,
    hashes: Uint8Array[],
    levels: number[],
    hashNode: NodeHasher,
  ) {
    this.begin = begin;
    this.#end = end;
    this.#hashes = hashes;
    this.#levels = levels;
    this.#hashNode = hashNode;
  }

  /** The empty range [at, at); `hashNode` computes the merges (e.g. a native SHA-256 a composition root injects). */
  static empty(at: bigint, hashNode: NodeHasher = hashChildren): CompactRange {
    requireUint64(at, 'range start');
    return new CompactRange(at, at, [], [], hashNode);
  }

  /**
   * A range from nodes stored or received (e.g. a scan cursor, or the left siblings of an
   * inclusion proof). Checks the number of nodes against the decomposition of [begin, end) and
   * that each is a 32-byte hash; the hashes themselves are whatever was given (prove them by
   * folding on to a signed root).
   */
  static fromNodes(begin: bigint, end: bigint, nodes: readonly Uint8Array[]): CompactRange {
    const levels = rangeLevels(begin, end);
    requireProofLength(nodes, levels.length, `compact range of [${begin}, ${end})`);
    requireProofHashes(nodes, `compact range of [${begin}, ${end})`);
    return new CompactRange(
      begin,
      end,
      nodes.map((n) => n.slice()),
      levels,
      hashChildren,
    );
  }

  get end(): bigint {
    return this.#end;
  }

  /** Number of leaves covered. */
  get size(): bigint {
    return this.#end - this.begin;
  }

  /** The subtree hashes, left to right (copies). */
  nodes(): Uint8Array[] {
    return this.#hashes.map((h) => h.slice());
  }

  clone(): CompactRange {
    return new CompactRange(
      this.begin,
      this.#end,
      this.#hashes.slice(),
      this.#levels.slice(),
      this.#hashNode,
    );
  }

  /** Appends one leaf hash (SHA-256(0x00 ‖ leaf), RFC 9162 §2.1.1): [begin, end) becomes [begin, end + 1). */
  append(leafHash: Uint8Array): void {
    requireHash(leafHash, 'leaf hash');
    this.#push(0, leafHash);
  }

  /** [begin, mid) merged with [mid, end): a new range; 'merkle/invalid-size' unless they are adjacent. */
  merge(right: CompactRange): CompactRange {
    if (right.begin !== this.#end) {
      throw new TlogError(
        'merkle/invalid-size',
        `cannot merge compact range [${this.begin}, ${this.#end}) with [${right.begin}, ${right.#end}): expected the second to start at ${this.#end}`,
        { expected: String(this.#end), actual: String(right.begin) },
      );
    }
    const out = this.clone();
    right.#hashes.forEach((h, i) => {
      out.#push(right.#levels[i] as number, h);
    });
    return out;
  }

  /**
   * Adds the perfect subtree of 2^level leaves starting at `end` (aligned to its size), merging it
   * with its left sibling for as long as that sibling is the last node: a node at level l with
   * odd index p has its sibling at p − 1, which, when it is in the range, is the last node and
   * has level l (it ends exactly where the new node starts).
   */
  #push(level: number, hash: Uint8Array): void {
    const width = 1n << BigInt(level);
    let pos = this.#end >> BigInt(level);
    let l = level;
    let h = hash;
    while (this.#levels[this.#levels.length - 1] === l && (pos & 1n) === 1n) {
      h = this.#hashNode(this.#hashes.pop() as Uint8Array, h);
      this.#levels.pop();
      pos >>= 1n;
      l++;
    }
    this.#hashes.push(h);
    this.#levels.push(l);
    this.#end += width;
  }
}

/** MTH(D[end]) from the compact range of [0, end) (RFC 9162 §2.1.1); EMPTY_ROOT for the empty tree. */
export function compactRangeRoot(range: CompactRange): Uint8Array {
  if (range.begin !== 0n) {
    throw new TlogError(
      'merkle/invalid-size',
      `a root needs the compact range of [0, ${range.end}), got one starting at ${range.begin}`,
    );
  }
  const nodes = range.nodes();
  let acc = nodes[nodes.length - 1];
  if (acc === undefined) return EMPTY_ROOT.slice();
  for (let i = nodes.length - 2; i >= 0; i--) acc = hashChildren(nodes[i] as Uint8Array, acc);
  return acc;
}

/**
 * Throws 'merkle/root-mismatch' (constant-time compare, both roots in the message) unless the
 * range [0, end) rebuilds `expectedRoot`.
 */
export function verifyCompactRangeRoot(range: CompactRange, expectedRoot: Uint8Array, what: string): void {
  requireHash(expectedRoot, 'expected root');
  requireSameRoot(compactRangeRoot(range), expectedRoot, what);
}

/**
 * The compact range of [0, index) from an inclusion proof of leaf `index` in a tree of `size`:
 * its left siblings (RFC 9162 §2.1.3.1), which are perfect subtrees, one per 1 bit of `index`,
 * reversed to run left to right. Unproven until folded on to a signed root.
 */
export function compactRangeFromInclusionProof(
  index: bigint,
  size: bigint,
  proof: readonly Uint8Array[],
): CompactRange {
  requireLeafInTree(index, size);
  const { inner, border } = pathShape(index, size - 1n);
  requireProofLength(proof, inner + border, `inclusion proof for leaf ${index} in tree size ${size}`);
  // Inner levels: the sibling is on the left where bit i of the index is 1. Border levels: always left.
  const left = proof.filter((_, i) => i >= inner || bit(index, i));
  return CompactRange.fromNodes(0n, index, left.reverse());
}

function requireRange(begin: bigint, end: bigint): void {
  requireUint64(begin, 'range start');
  requireUint64(end, 'range end');
  if (end < begin) {
    throw new TlogError('merkle/invalid-size', `compact range [${begin}, ${end}): end is before start`, {
      begin: String(begin),
      end: String(end),
    });
  }
}
