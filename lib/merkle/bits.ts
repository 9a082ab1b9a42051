/**
 * bigint helpers for tree arithmetic. Tree sizes and indices are uint64 on the wire (RFC 9162
 * §4.9 TreeHeadDataV2.tree_size, §4.12 InclusionProofDataV2.leaf_index), so they are handled as
 * bigint, never number.
 */
import { TlogError } from '../errors.ts';

/** Largest tree size a log can express: 2^64 − 1. */
export const MAX_TREE_SIZE = (1n << 64n) - 1n;

/** Number of bits needed to write `x` (0 for 0). */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Number of 1 bits in `x` (x ≥ 0). */
export function popCount(x: bigint): number {
  let n = 0;
  for (const c of x.toString(2)) if (c === '1') n++;
  return n;
}

/** Number of trailing zero bits of `x`; 'merkle/invalid-size' unless x > 0 (0 has no lowest 1 bit). */
export function trailingZeros(x: bigint): number {
  if (x <= 0n) {
    throw new TlogError('merkle/invalid-size', `trailing zeros of ${x}: expected a positive integer`);
  }
  let n = 0;
  while (((x >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

/** Bit `i` of `x` as a boolean. */
export function bit(x: bigint, i: number): boolean {
  return ((x >> BigInt(i)) & 1n) === 1n;
}

/** Throws 'merkle/invalid-size' unless 0 ≤ value ≤ 2^64 − 1. */
export function requireUint64(value: bigint, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_TREE_SIZE) {
    throw new TlogError(
      'merkle/invalid-size',
      `${what} must be an integer in [0, 2^64-1], got ${String(value)}`,
      {
        what,
        actual: String(value),
      },
    );
  }
}
