/**
 * A DER reader over offsets (X.690 §8.1: low tag numbers, definite minimal lengths), and the string
 * types X.509 names and Fulcio extensions use.
 *
 * It allocates no byte views while walking: lib/keys/der.ts's readDer makes two subarrays per
 * element, which cost about 1 µs per element, and a Fulcio certificate has over 100 elements
 * (BENCHMARKS.md, "Identity matching"). Views are made only for the few values a rule reads.
 */
import { unreadable } from './unreadable.ts';

/** One element: its tag and where it is in its buffer (header at `header`, contents [start, end)). */
export interface Tlv {
  readonly tag: number;
  readonly header: number;
  readonly start: number;
  readonly end: number;
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
} as const;

/** The element at `off`, which must end by `limit`. */
export function readTlv(buf: Uint8Array, off: number, limit: number): Tlv {
  if (off + 2 > limit) unreadable(`DER: truncated header at offset ${off}`);
  const tag = buf[off] as number;
  if ((tag & 0x1f) === 0x1f) unreadable(`DER: multi-byte tag at offset ${off}`);
  let len = buf[off + 1] as number;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3)
      unreadable(`DER: length of ${n} bytes at offset ${off} (indefinite or over 16 MiB)`);
    if (p + n > limit) unreadable(`DER: truncated length at offset ${off}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] as number);
    if (len < 0x80 || (n > 1 && buf[p] === 0)) unreadable(`DER: non-minimal length at offset ${off}`);
    p += n;
  }
  if (p + len > limit) unreadable(`DER: length ${len} at offset ${off} exceeds the ${limit - p} bytes left`);
  return { tag, header: off, start: p, end: p + len };
}

/** The one element that fills `buf` from `start` to its end, with the expected tag. */
export function readWhole(buf: Uint8Array, tag: number, what: string, start = 0): Tlv {
  const e = readTlv(buf, start, buf.length);
  if (e.tag !== tag) unreadable(`${what}: expected DER tag 0x${hex2(tag)}, got 0x${hex2(e.tag)}`);
  if (e.end !== buf.length) unreadable(`${what}: ${buf.length - e.end} bytes after the DER element`);
  return e;
}

/** The elements inside a constructed element, at most `max` of them. */
export function readChildren(buf: Uint8Array, parent: Tlv, max: number, what: string): Tlv[] {
  const out: Tlv[] = [];
  for (let off = parent.start; off < parent.end; ) {
    if (out.length === max) unreadable(`${what}: more than ${max} elements`);
    const e = readTlv(buf, off, parent.end);
    out.push(e);
    off = e.end;
  }
  return out;
}

/** True when the element's contents are exactly `expected`. */
export function contentsEqual(buf: Uint8Array, e: Tlv, expected: Uint8Array): boolean {
  if (e.end - e.start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (buf[e.start + i] !== expected[i]) return false;
  return true;
}

const utf16be = new TextDecoder('utf-16be');

/** Bytes [start, end) of `buf` as text. Invalid UTF-8 becomes U+FFFD, so it never equals a configured value. */
export function textAt(buf: Uint8Array, start: number, end: number, encoding: 'latin1' | 'utf8'): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString(encoding);
}

/**
 * The text of a DER string element (UTF8String, PrintableString, IA5String, VisibleString,
 * NumericString, T61String read as Latin-1, BMPString), or undefined for any other element.
 */
export function derString(buf: Uint8Array, e: Tlv): string | undefined {
  switch (e.tag) {
    case TAG.utf8String:
      return textAt(buf, e.start, e.end, 'utf8');
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // T61String
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return textAt(buf, e.start, e.end, 'latin1');
    case 0x1e: // BMPString
      return utf16be.decode(buf.subarray(e.start, e.end));
    default:
      return undefined;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
