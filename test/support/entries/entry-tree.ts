/**
 * A compact Merkle tree for the entry test logs, sized for a million leaves: every complete
 * perfect subtree is kept, level by level, in growable byte arrays (32 bytes per node, no object
 * per hash), hashed with node:crypto. Roots and proofs follow RFC 9162 §2.1 (MTH, PATH, PROOF)
 * written from their recursive definitions; this shares no code with lib/merkle, so a bug there
 * cannot hide behind the same bug here.
 */
import { createHash } from 'node:crypto';

const HASH = 32;
const EMPTY = new Uint8Array(createHash('sha256').digest());

/** RFC 9162 §2.1.1 leaf hash SHA-256(0x00 ‖ data). */
export function leafHashOf(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(LEAF).update(data).digest());
}
const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(NODE).update(left).update(right).digest());
}

/** Largest power of two smaller than n (n > 1): RFC 9162's k. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class EntryTree {
  /** levels[l]: the hashes of the perfect subtrees of 2^l leaves, 32 bytes each, counts[l] of them. */
  readonly #levels: Uint8Array[] = [new Uint8Array(HASH * 1024)];
  readonly #counts: number[] = [0];
  /** MTH of ranges that are not one perfect subtree, by `start:end` (immutable once complete). */
  readonly #memo = new Map<string, Uint8Array>();

  get size(): number {
    return this.#counts[0] as number;
  }

  /** Appends one leaf hash and the perfect subtrees it completes. */
  append(leafHash: Uint8Array): void {
    let hash = leafHash;
    for (let level = 0; ; level++) {
      if (this.#levels[level] === undefined) {
        this.#levels[level] = new Uint8Array(HASH * 1024);
        this.#counts[level] = 0;
      }
      const i = this.#counts[level] as number;
      this.#put(level, i, hash);
      if (i % 2 === 0) return;
      hash = nodeHash(this.node(level, i - 1), hash);
    }
  }

  #put(level: number, i: number, hash: Uint8Array): void {
    let buf = this.#levels[level] as Uint8Array;
    if ((i + 1) * HASH > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
      this.#levels[level] = buf;
    }
    buf.set(hash, i * HASH);
    this.#counts[level] = i + 1;
  }

  /** Hash of the perfect subtree of 2^level leaves starting at leaf index·2^level (must be complete). */
  node(level: number, index: number): Uint8Array {
    const count = this.#counts[level] ?? 0;
    if (index < 0 || index >= count)
      throw new RangeError(`node ${level}/${index} is not complete (size ${this.size})`);
    return (this.#levels[level] as Uint8Array).subarray(index * HASH, (index + 1) * HASH);
  }

  leafHash(index: number): Uint8Array {
    return this.node(0, index);
  }

  /** MTH(D[start:end]) (RFC 9162 §2.1.1), end ≤ size. */
  mth(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return EMPTY;
    if ((n & (n - 1)) === 0 && start % n === 0) return this.node(Math.log2(n), start / n);
    const key = `${start}:${end}`;
    let h = this.#memo.get(key);
    if (h === undefined) {
      const k = split(n);
      h = nodeHash(this.mth(start, start + k), this.mth(start + k, end));
      if (this.#memo.size > 100_000) this.#memo.clear();
      this.#memo.set(key, h);
    }
    return h;
  }

  root(size = this.size): Uint8Array {
    this.#check(size);
    return this.mth(0, size).slice();
  }

  /** PATH(m, D[0:size]) (RFC 9162 §2.1.3.1). */
  inclusion(index: number, size = this.size): Uint8Array[] {
    this.#check(size);
    if (index < 0 || index >= size) throw new RangeError(`leaf ${index} not in a tree of size ${size}`);
    return this.#path(index, 0, size);
  }

  #path(m: number, start: number, end: number): Uint8Array[] {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < k
      ? [...this.#path(m, start, start + k), this.mth(start + k, end)]
      : [...this.#path(m - k, start + k, end), this.mth(start, start + k)];
  }

  /** PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1); empty for first 0 or first = second. */
  consistency(first: number, second = this.size): Uint8Array[] {
    this.#check(second);
    if (first < 0 || first > second) throw new RangeError(`consistency ${first} → ${second}`);
    if (first === 0 || first === second) return [];
    return this.#subproof(first, 0, second, true);
  }

  #subproof(m: number, start: number, end: number, b: boolean): Uint8Array[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = split(n);
    return m <= k
      ? [...this.#subproof(m, start, start + k, b), this.mth(start + k, end)]
      : [...this.#subproof(m - k, start + k, end, false), this.mth(start, start + k)];
  }

  #check(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} outside 0..${this.size}`);
    }
  }
}
