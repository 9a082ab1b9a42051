/** Shared helpers for the merkle tests (not a test file itself). */
import assert from 'node:assert/strict';
import { fromBase64, fromHex } from '../../lib/bytes.ts';
import { type ErrorCode, TlogError } from '../../lib/errors.ts';
import { readVectorText } from '../support/vectors.ts';

/** Asserts `fn` throws a TlogError (with `code`, if given); returns it for further checks. */
export function expectTlogError(fn: () => unknown, code?: ErrorCode): TlogError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(
    caught instanceof TlogError,
    `expected a TlogError, got ${caught === undefined ? 'no error' : String(caught)}`,
  );
  if (code !== undefined) assert.equal(caught.code, code, caught.message);
  return caught;
}

/** The error code `fn` throws, or undefined when it returns normally; anything but a TlogError fails the test. */
export function errorCodeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof TlogError, `expected a TlogError, got ${String(e)}`);
    return e.code;
  }
}

/**
 * Reads a vector file keeping integers of 16+ digits exact: they become strings before JSON.parse
 * would round them (e.g. 18446744073709551615 in the transparency-dev probes).
 */
// biome-ignore lint/suspicious/noExplicitAny: vector files have per-file shapes
export function readVectorExact(relPath: string): any {
  const text = readVectorText(relPath);
  return JSON.parse(text.replace(/(:\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

/** A vector's integer (JSON number or decimal string) as a bigint; refuses numbers JSON already rounded. */
export function big(x: unknown): bigint {
  if (typeof x === 'number') {
    assert.ok(Number.isSafeInteger(x), `unsafe integer in vector: ${x}`);
    return BigInt(x);
  }
  assert.equal(typeof x, 'string');
  assert.match(x as string, /^\d+$/);
  return BigInt(x as string);
}

export const hex = (s: string): Uint8Array => fromHex(s);
export const b64 = (s: string): Uint8Array => fromBase64(s);

/** `n` pseudo-random 32-byte hashes from a seeded xorshift generator (cheap, reproducible). */
export function pseudoRandomHashes(n: number, seed = 0x9e3779b9): Uint8Array[] {
  const words = new Uint32Array(n * 8);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  const bytes = new Uint8Array(words.buffer);
  return Array.from({ length: n }, (_, i) => bytes.subarray(i * 32, i * 32 + 32));
}

/** A copy of `h` with bit `bitIndex` (0 = most significant bit of byte 0) flipped. */
export function flipBit(h: Uint8Array, bitIndex: number): Uint8Array {
  const out = h.slice();
  const byte = bitIndex >> 3;
  out[byte] = (out[byte] as number) ^ (0x80 >> (bitIndex & 7));
  return out;
}
