/** Byte helpers: strict encodings and constant-time comparison. */
import { type ErrorCode, TlogError } from './errors.ts';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Decodes UTF-8, rejecting invalid sequences. */
export function fromUtf8(b: Uint8Array, code: ErrorCode = 'response/malformed'): string {
  try {
    return utf8Decoder.decode(b);
  } catch {
    throw new TlogError(code, 'invalid UTF-8');
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time equality: runtime depends only on the lengths, never on the contents. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(s: string, code: ErrorCode = 'response/malformed'): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s))
    throw new TlogError(code, `invalid hex: ${preview(s)}`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (RFC 4648 §4, padded). Node's decoder silently skips junk; this does not. */
export function fromBase64(s: string, code: ErrorCode = 'response/malformed'): Uint8Array {
  if (!BASE64_RE.test(s)) throw new TlogError(code, `invalid base64: ${preview(s)}`);
  const out = new Uint8Array(Buffer.from(s, 'base64'));
  // Reject non-canonical encodings (non-zero padding bits) so one value has one encoding.
  if (toBase64(out) !== s) throw new TlogError(code, `non-canonical base64: ${preview(s)}`);
  return out;
}

/** A short, printable preview of untrusted text for error messages. */
export function preview(s: string, max = 64): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}
