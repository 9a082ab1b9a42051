/** A minimal DER reader (X.690 §8, definite lengths only) for SubjectPublicKeyInfo. */
import { TlogError } from '../errors.ts';

export interface DerElement {
  readonly tag: number;
  /** The contents octets. */
  readonly value: Uint8Array;
  /** The whole element, tag and length included. */
  readonly raw: Uint8Array;
}

/** Reads one element at `offset`; returns it and the offset just after it. */
export function readDer(buf: Uint8Array, offset = 0): { element: DerElement; next: number } {
  const fail = (why: string): never => {
    throw new TlogError('key/malformed', `DER: ${why} at offset ${offset}`);
  };
  if (offset + 2 > buf.length) fail('truncated header');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tags are not supported');
  let len = buf[offset + 1] as number;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) fail(`unsupported length-of-length ${n}`);
    if (p + n > buf.length) fail('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] as number);
    if (len < 0x80 || (n > 1 && (buf[p] as number) === 0)) fail('non-minimal length');
    p += n;
  }
  if (p + len > buf.length) fail(`length ${len} exceeds the ${buf.length - p} bytes left`);
  return {
    element: { tag, value: buf.subarray(p, p + len), raw: buf.subarray(offset, p + len) },
    next: p + len,
  };
}

/** Reads all the elements inside a constructed value. */
export function readDerChildren(value: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  let off = 0;
  while (off < value.length) {
    const { element, next } = readDer(value, off);
    out.push(element);
    off = next;
  }
  return out;
}
