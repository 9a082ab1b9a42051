/**
 * A deliberately plain reference for RFC 9162 §2.1, written straight from its recursive
 * definitions with number indices, for checking lib/merkle and for test log servers.
 * It shares no code with lib/merkle (its own SHA-256 calls, its own recursion).
 *
 * D[k1:k2] is the list of leaf hashes from index k1 to k2 − 1; memoisation is per leaf-hash
 * array (by identity) and per range, so a few thousand leaves are fast. Appending to an array
 * keeps its memo valid; changing an existing element does not — use a new array for that.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const memos = new WeakMap<readonly Uint8Array[], Map<string, Uint8Array>>();

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(new Uint8Array([0x01, ...left, ...right]));
}

/** The largest power of two smaller than n (n > 1): the RFC's k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]) over leaf hashes (RFC 9162 §2.1.1). */
function mth(d: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 0) return sha256(new Uint8Array(0));
  if (n === 1) return d[start] as Uint8Array;
  let memo = memos.get(d);
  if (memo === undefined) {
    memo = new Map();
    memos.set(d, memo);
  }
  const key = `${start}:${end}`;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const k = splitPoint(n);
  const h = nodeHash(mth(d, start, start + k), mth(d, start + k, end));
  memo.set(key, h);
  return h;
}

/** PATH(m, D[start:end]) (RFC 9162 §2.1.3.1), m relative to start. */
function path(m: number, d: readonly Uint8Array[], start: number, end: number): Uint8Array[] {
  const n = end - start;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(m, d, start, start + k), mth(d, start + k, end)];
  return [...path(m - k, d, start + k, end), mth(d, start, start + k)];
}

/** SUBPROOF(m, D[start:end], b) (RFC 9162 §2.1.4.1), m relative to start. */
function subproof(m: number, d: readonly Uint8Array[], start: number, end: number, b: boolean): Uint8Array[] {
  const n = end - start;
  if (m === n) return b ? [] : [mth(d, start, end)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, d, start, start + k, b), mth(d, start + k, end)];
  return [...subproof(m - k, d, start + k, end, false), mth(d, start, start + k)];
}

/** MTH(D[n]) of a list of leaf hashes; SHA-256() for the empty list. */
export function referenceRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  return mth(leafHashes, 0, leafHashes.length);
}

/** MTH over leaf *data*: each leaf hashed as SHA-256(0x00 ‖ data) first. */
export function referenceRootFromData(leaves: readonly Uint8Array[]): Uint8Array {
  return referenceRoot(leaves.map(referenceLeafHash));
}

/** SHA-256(0x00 ‖ data). */
export function referenceLeafHash(data: Uint8Array): Uint8Array {
  return sha256(new Uint8Array([0x00, ...data]));
}

/** PATH(index, D[n]) for the tree made of all of `leafHashes` (0 ≤ index < n). */
export function referenceInclusionProof(index: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  if (!(index >= 0 && index < leafHashes.length))
    throw new RangeError(`index ${index} outside 0..${leafHashes.length - 1}`);
  return path(index, leafHashes, 0, leafHashes.length);
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) for the tree of all of `leafHashes` (0 < m ≤ n). */
export function referenceConsistencyProof(m: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  if (!(m > 0 && m <= leafHashes.length)) throw new RangeError(`m ${m} outside 1..${leafHashes.length}`);
  return subproof(m, leafHashes, 0, leafHashes.length, true);
}
