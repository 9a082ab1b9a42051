/**
 * An in-memory HashSource: leaf hashes plus every complete perfect subtree above them, built
 * level by level as leaves are appended (amortised one hash per leaf). For tests and test log servers.
 */
import { TlogError } from '../errors.ts';
import { requireHash } from './checks.ts';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.ts';
import { foldPart, type NodeId, rootPart } from './node-plan.ts';
import type { HashSource } from './prove.ts';

export class MemoryHashSource implements HashSource {
  /** levels[l][i] = hash of the perfect subtree of 2^l leaves starting at leaf i·2^l. */
  readonly #levels: Uint8Array[][] = [[]];

  constructor(leafHashes: Iterable<Uint8Array> = []) {
    for (const h of leafHashes) this.append(h);
  }

  /** Number of leaves. */
  get size(): bigint {
    return BigInt(this.#leaves.length);
  }

  get #leaves(): Uint8Array[] {
    return this.#levels[0] as Uint8Array[];
  }

  /** Appends one leaf hash (32 bytes) and the perfect subtrees it completes. */
  append(leafHash: Uint8Array): void {
    requireHash(leafHash, 'leaf hash');
    let level = 0;
    let hash: Uint8Array = leafHash.slice();
    for (;;) {
      const row = this.#levels[level] ?? [];
      this.#levels[level] = row;
      row.push(hash);
      const i = row.length - 1;
      if (i % 2 === 0) return;
      hash = hashChildren(row[i - 1] as Uint8Array, hash);
      level++;
    }
  }

  /** Appends a leaf by its data: SHA-256(0x00 ‖ data). */
  appendData(data: Uint8Array): void {
    this.append(hashLeaf(data));
  }

  /** Hash of one complete perfect subtree (a copy); 'merkle/invalid-size' if it is not complete yet. */
  node(id: NodeId): Uint8Array {
    return this.#node(id).slice();
  }

  async hashes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    return ids.map((id) => this.node(id));
  }

  #node(id: NodeId): Uint8Array {
    const row = Number.isInteger(id.level) && id.level >= 0 ? this.#levels[id.level] : undefined;
    if (row === undefined || id.index < 0n || id.index >= BigInt(row.length)) {
      throw new TlogError(
        'merkle/invalid-size',
        `node (level ${id.level}, index ${id.index}) is not a complete subtree of a tree of size ${this.size}`,
      );
    }
    return row[Number(id.index)] as Uint8Array;
  }

  /** MTH of the first `size` leaves (default: all), computed synchronously. */
  root(size: bigint = this.size): Uint8Array {
    if (size < 0n || size > this.size) {
      throw new TlogError('merkle/invalid-size', `root of size ${size} asked of a tree of size ${this.size}`);
    }
    if (size === 0n) return EMPTY_ROOT.slice();
    return foldPart(rootPart(size).map((id) => this.#node(id))).slice();
  }
}
