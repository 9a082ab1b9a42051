import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  decodeU64,
  encodeDigitallySigned,
  encodeU8,
  encodeU16,
  encodeU64,
  hashAlgorithmName,
  parseDigitallySigned,
  signatureAlgorithmName,
} from '../../lib/ct/tls.ts';
import { isTlogError } from '../../lib/errors.ts';

const ctMalformed = (re: RegExp) => (e: unknown) => isTlogError(e, 'ct/malformed') && re.test(e.message);

describe('TLS integers (RFC 5246 §4.4)', () => {
  it('encodes big-endian within range', () => {
    assert.equal(toHex(encodeU8(0xab)), 'ab');
    assert.equal(toHex(encodeU16(0x1234)), '1234');
    assert.equal(toHex(encodeU16(65535n)), 'ffff');
    assert.equal(toHex(encodeU64(0n)), '0000000000000000');
    assert.equal(toHex(encodeU64(0x0102030405060708n)), '0102030405060708');
    assert.equal(toHex(encodeU64((1n << 64n) - 1n)), 'ffffffffffffffff');
  });

  it('refuses values out of range, naming the range and the value', () => {
    assert.throws(() => encodeU8(256), ctMalformed(/uint8: expected an integer from 0 to 255, got 256/));
    assert.throws(() => encodeU8(-1), ctMalformed(/got -1/));
    assert.throws(() => encodeU16(65536), ctMalformed(/from 0 to 65535, got 65536/));
    assert.throws(
      () => encodeU64(1n << 64n),
      ctMalformed(/from 0 to 18446744073709551615, got 18446744073709551616/),
    );
    assert.throws(() => encodeU64(-1n), ctMalformed(/got -1/));
    assert.throws(() => encodeU8(1.5), ctMalformed(/not an integer/));
  });

  it('decodes uint64 and refuses short input', () => {
    const b = new Uint8Array([9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]);
    assert.equal(decodeU64(b, 1), (1n << 64n) - 2n);
    assert.equal(decodeU64(encodeU64(1519739720195n)), 1519739720195n);
    assert.throws(() => decodeU64(b, 2), ctMalformed(/needs 8 bytes, only 7 left/));
  });
});

describe('parseDigitallySigned (RFC 5246 §4.7)', () => {
  it('parses hash, signature algorithm and the length-prefixed signature', () => {
    const ds = parseDigitallySigned(new Uint8Array([4, 3, 0, 3, 0xaa, 0xbb, 0xcc]));
    assert.equal(ds.hashAlgorithm, 4);
    assert.equal(ds.signatureAlgorithm, 3);
    assert.equal(toHex(ds.signature), 'aabbcc');
    const empty = parseDigitallySigned(new Uint8Array([4, 1, 0, 0]));
    assert.equal(empty.signature.length, 0);
    assert.equal(empty.signatureAlgorithm, 1);
  });

  it('round-trips with encodeDigitallySigned', () => {
    const sig = new Uint8Array(300).map((_, i) => i & 0xff);
    const bytes = encodeDigitallySigned({ hashAlgorithm: 4, signatureAlgorithm: 3, signature: sig });
    assert.equal(toHex(bytes.subarray(0, 4)), '0403012c');
    assert.deepEqual(parseDigitallySigned(bytes).signature, sig);
  });

  it('refuses truncation and trailing bytes', () => {
    assert.throws(() => parseDigitallySigned(new Uint8Array([])), ctMalformed(/at least 4 bytes.*got 0/));
    assert.throws(() => parseDigitallySigned(new Uint8Array([4, 3, 0])), ctMalformed(/got 3/));
    assert.throws(
      () => parseDigitallySigned(new Uint8Array([4, 3, 0, 3, 1, 2])),
      ctMalformed(/says 3 bytes, only 2 present/),
    );
    assert.throws(
      () => parseDigitallySigned(new Uint8Array([4, 3, 0, 1, 1, 2])),
      ctMalformed(/1 trailing bytes after the 1-byte signature/),
    );
    // "good": the get-sth "bad tls data" case of certificate-transparency-go.
    assert.throws(() => parseDigitallySigned(new TextEncoder().encode('good')), ctMalformed(/truncated/));
  });

  it('names algorithms', () => {
    assert.equal(hashAlgorithmName(4), 'sha256 (4)');
    assert.equal(hashAlgorithmName(2), 'sha1 (2)');
    assert.equal(hashAlgorithmName(99), 'unknown (99)');
    assert.equal(signatureAlgorithmName(3), 'ecdsa (3)');
    assert.equal(signatureAlgorithmName(1), 'rsa (1)');
    assert.equal(signatureAlgorithmName(7), 'ed25519 (7)');
  });
});
