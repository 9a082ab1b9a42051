/**
 * The pieces of the TLS presentation language (RFC 5246 §4) that RFC 6962 structures use:
 * big-endian unsigned integers and the `DigitallySigned` struct (RFC 5246 §4.7).
 */
import { TlogError } from '../errors.ts';

/** RFC 5246 §7.4.1.4.1 HashAlgorithm. */
export const HASH_SHA256 = 4;
/** RFC 5246 §7.4.1.4.1 SignatureAlgorithm. */
export const SIG_RSA = 1;
export const SIG_ECDSA = 3;

const HASH_NAMES: Readonly<Record<number, string>> = {
  0: 'none',
  1: 'md5',
  2: 'sha1',
  3: 'sha224',
  4: 'sha256',
  5: 'sha384',
  6: 'sha512',
  8: 'intrinsic', // RFC 8422 §5.1.3 (used with ed25519/ed448)
};
const SIG_NAMES: Readonly<Record<number, string>> = {
  0: 'anonymous',
  1: 'rsa',
  2: 'dsa',
  3: 'ecdsa',
  7: 'ed25519', // RFC 8422 §5.1.3
  8: 'ed448',
};

/** `sha256 (4)`, `unknown (9)`. */
export function hashAlgorithmName(n: number): string {
  return `${HASH_NAMES[n] ?? 'unknown'} (${n})`;
}

/** `ecdsa (3)`, `unknown (9)`. */
export function signatureAlgorithmName(n: number): string {
  return `${SIG_NAMES[n] ?? 'unknown'} (${n})`;
}

function encodeUint(value: bigint | number, bytes: number, what: string): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TlogError('ct/malformed', `${what}: ${value} is not an integer`);
  }
  let v = BigInt(value);
  const max = (1n << BigInt(8 * bytes)) - 1n;
  if (v < 0n || v > max) {
    throw new TlogError('ct/malformed', `${what}: expected an integer from 0 to ${max}, got ${v}`);
  }
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function encodeU8(value: bigint | number): Uint8Array {
  return encodeUint(value, 1, 'uint8');
}

/** Big-endian uint16. */
export function encodeU16(value: bigint | number): Uint8Array {
  return encodeUint(value, 2, 'uint16');
}

/** Big-endian uint64; throws 'ct/malformed' outside 0..2^64-1. */
export function encodeU64(value: bigint): Uint8Array {
  return encodeUint(value, 8, 'uint64');
}

/** Reads a big-endian uint64 at `offset`. */
export function decodeU64(bytes: Uint8Array, offset = 0): bigint {
  if (offset < 0 || offset + 8 > bytes.length) {
    throw new TlogError(
      'ct/malformed',
      `uint64 at offset ${offset} needs 8 bytes, only ${Math.max(0, bytes.length - offset)} left`,
    );
  }
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[offset + i] as number);
  return v;
}

export interface DigitallySigned {
  readonly hashAlgorithm: number;
  readonly signatureAlgorithm: number;
  readonly signature: Uint8Array;
}

/**
 * Parses a TLS `DigitallySigned` (RFC 5246 §4.7): u8 hash algorithm, u8 signature algorithm,
 * `opaque signature<0..2^16-1>` (u16 length, then the bytes). Truncated input and trailing bytes
 * are refused with 'ct/malformed'. The algorithms are returned as found, not checked here.
 */
export function parseDigitallySigned(bytes: Uint8Array): DigitallySigned {
  if (bytes.length < 4) {
    throw new TlogError(
      'ct/malformed',
      `DigitallySigned: expected at least 4 bytes (algorithms and length), got ${bytes.length}`,
    );
  }
  const hashAlgorithm = bytes[0] as number;
  const signatureAlgorithm = bytes[1] as number;
  const length = ((bytes[2] as number) << 8) | (bytes[3] as number);
  const have = bytes.length - 4;
  if (have < length) {
    throw new TlogError(
      'ct/malformed',
      `DigitallySigned: signature length says ${length} bytes, only ${have} present (truncated)`,
    );
  }
  if (have > length) {
    throw new TlogError(
      'ct/malformed',
      `DigitallySigned: ${have - length} trailing bytes after the ${length}-byte signature`,
    );
  }
  return { hashAlgorithm, signatureAlgorithm, signature: bytes.slice(4) };
}

/** Encodes a `DigitallySigned` (the inverse of `parseDigitallySigned`). */
export function encodeDigitallySigned(ds: DigitallySigned): Uint8Array {
  const out = new Uint8Array(4 + ds.signature.length);
  out.set(encodeU8(ds.hashAlgorithm), 0);
  out.set(encodeU8(ds.signatureAlgorithm), 1);
  out.set(encodeU16(ds.signature.length), 2);
  out.set(ds.signature, 4);
  return out;
}
