/** RFC 6962 §3.5 tree head signatures with generated keys: algorithms, ranges and strict parsing. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { concatBytes, toBase64, toHex } from '../../lib/bytes.ts';
import {
  treeHeadSignatureInput,
  verifyDigitallySigned,
  verifyGetSthResponse,
  verifySth,
} from '../../lib/ct/sth.ts';
import { encodeDigitallySigned } from '../../lib/ct/tls.ts';
import { isTlogError } from '../../lib/errors.ts';
import { parseSpki } from '../../lib/keys/public-key.ts';

const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const p256Secret = p256.utils.randomSecretKey();
const p256Key = parseSpki(concatBytes(P256_SPKI_PREFIX, p256.getPublicKey(p256Secret, false)));
const edSecret = ed25519.utils.randomSecretKey();
const edKey = parseSpki(concatBytes(ED25519_SPKI_PREFIX, ed25519.getPublicKey(edSecret)));

const ROOT = new Uint8Array(32).map((_, i) => i);

function signEcdsa(message: Uint8Array): Uint8Array {
  const der = p256.sign(message, p256Secret, { format: 'der' });
  return encodeDigitallySigned({ hashAlgorithm: 4, signatureAlgorithm: 3, signature: der });
}

/** A get-sth body with the given literal texts for the size and timestamp. */
function body(treeSizeText: string, timestampText: string, signature: Uint8Array, root = ROOT): string {
  return `{"tree_size":${treeSizeText},"timestamp":${timestampText},"sha256_root_hash":"${toBase64(root)}","tree_head_signature":"${toBase64(signature)}"}`;
}

function signedBody(treeSize: bigint, timestamp: bigint): string {
  return body(
    String(treeSize),
    String(timestamp),
    signEcdsa(treeHeadSignatureInput(timestamp, treeSize, ROOT)),
  );
}

const code = (c: string, re?: RegExp) => (e: unknown) =>
  isTlogError(e) && e.code === c && (re === undefined || re.test(e.message));

describe('treeHeadSignatureInput (RFC 6962 §3.5)', () => {
  it('is 0x00 0x01 ‖ u64 timestamp ‖ u64 tree_size ‖ root', () => {
    const input = treeHeadSignatureInput(0x0102030405060708n, 0x1112131415161718n, ROOT);
    assert.equal(input.length, 50);
    assert.equal(toHex(input.subarray(0, 18)), '0001' + '0102030405060708' + '1112131415161718');
    assert.deepEqual(input.subarray(18), ROOT);
  });

  it('refuses a root that is not 32 bytes and values outside u64', () => {
    assert.throws(
      () => treeHeadSignatureInput(1n, 1n, new Uint8Array(31)),
      code('ct/malformed', /expected 32 bytes, got 31/),
    );
    assert.throws(() => treeHeadSignatureInput(1n << 64n, 1n, ROOT), code('ct/malformed', /uint64/));
    assert.throws(() => treeHeadSignatureInput(1n, -1n, ROOT), code('ct/malformed', /uint64/));
  });
});

describe('verifyGetSthResponse', () => {
  it('verifies and returns exact values, including tree_size above 2^53', () => {
    const size = (1n << 53n) + 1n;
    const ts = 1711642477482n;
    const text = signedBody(size, ts);
    const sth = verifyGetSthResponse(text, p256Key);
    assert.equal(sth.treeSize, 9007199254740993n);
    assert.equal(sth.timestamp, ts);
    assert.deepEqual(sth.rootHash, ROOT);
    assert.equal(sth.raw, text);
    // Rounding through a double would have given 2^53, whose signature input differs.
    assert.throws(
      () => verifySth({ ...sth, treeSize: BigInt(Number(size)) }, p256Key),
      code('ct/bad-signature'),
    );
  });

  it('accepts the u64 maximum and refuses tree_size or timestamp of 2^64 or more', () => {
    const max = (1n << 64n) - 1n;
    assert.equal(verifyGetSthResponse(signedBody(max, max), p256Key).treeSize, max);
    const sig = signEcdsa(treeHeadSignatureInput(1n, 1n, ROOT));
    assert.throws(
      () => verifyGetSthResponse(body('18446744073709551616', '1', sig), p256Key),
      code(
        'ct/malformed',
        /tree_size: expected an integer from 0 to 18446744073709551615, got integer 18446744073709551616/,
      ),
    );
    assert.throws(
      () => verifyGetSthResponse(body('1', '99999999999999999999999', sig), p256Key),
      code('ct/malformed', /timestamp: expected an integer from 0/),
    );
  });

  it('refuses negative, float, exponent, string and missing sizes', () => {
    const sig = signEcdsa(treeHeadSignatureInput(1n, 1n, ROOT));
    for (const [text, why] of [
      ['-1', /got integer -1/],
      ['1.0', /got number 1/],
      ['1.5', /got number 1.5/],
      ['1e3', /got number 1000/],
      ['"1"', /got string "1"/],
      ['null', /got null/],
      ['true', /got boolean true/],
    ] as const) {
      assert.throws(
        () => verifyGetSthResponse(body(text, '1', sig), p256Key),
        code('ct/malformed', why),
        text,
      );
    }
    assert.throws(
      () =>
        verifyGetSthResponse(
          `{"timestamp":1,"sha256_root_hash":"${toBase64(ROOT)}","tree_head_signature":"${toBase64(sig)}"}`,
          p256Key,
        ),
      code('ct/malformed', /tree_size: expected a.*got nothing/),
    );
  });

  it('refuses duplicate keys, even with equal values', () => {
    const good = signedBody(5n, 7n);
    assert.equal(verifyGetSthResponse(good, p256Key).treeSize, 5n);
    const dup = good.replace('{', '{"tree_size":5,');
    assert.throws(
      () => verifyGetSthResponse(dup, p256Key),
      code('ct/malformed', /duplicate key "tree_size"/),
    );
    const dupOther = good.replace('{', '{"tree_size":6,');
    assert.throws(() => verifyGetSthResponse(dupOther, p256Key), code('ct/malformed', /duplicate key/));
  });

  it('refuses malformed JSON, trailing garbage and non-objects', () => {
    const good = signedBody(5n, 7n);
    for (const bad of [`${good}x`, good.slice(0, -1), '[]', '', 'null', `${good}${good}`]) {
      assert.throws(() => verifyGetSthResponse(bad, p256Key), code('ct/malformed'), bad.slice(0, 20));
    }
  });

  it('ignores unknown fields', () => {
    const good = signedBody(5n, 7n);
    const extra = good.replace('{', '{"extension":{"x":[1,2]},');
    assert.equal(verifyGetSthResponse(extra, p256Key).treeSize, 5n);
  });

  it('refuses a wrong-length root or a bad base64 signature', () => {
    const sig = signEcdsa(treeHeadSignatureInput(1n, 1n, ROOT));
    assert.throws(
      () => verifyGetSthResponse(body('1', '1', sig, new Uint8Array(33)), p256Key),
      code('ct/malformed', /sha256_root_hash: expected base64 of exactly 32 bytes, got 33 bytes/),
    );
    const text = body('1', '1', sig).replace(/"tree_head_signature":"[^"]*"/, '"tree_head_signature":"!!!!"');
    assert.throws(() => verifyGetSthResponse(text, p256Key), code('ct/malformed', /tree_head_signature/));
  });

  it('refuses a signature over other values with ct/bad-signature', () => {
    const sig = signEcdsa(treeHeadSignatureInput(7n, 5n, ROOT));
    assert.equal(verifyGetSthResponse(body('5', '7', sig), p256Key).treeSize, 5n);
    assert.throws(
      () => verifyGetSthResponse(body('6', '7', sig), p256Key),
      code('ct/bad-signature', /size 6/),
    );
    assert.throws(
      () => verifyGetSthResponse(body('5', '8', sig), p256Key),
      code('ct/bad-signature', /timestamp 8/),
    );
    const other = parseSpki(
      concatBytes(P256_SPKI_PREFIX, p256.getPublicKey(p256.utils.randomSecretKey(), false)),
    );
    assert.throws(() => verifyGetSthResponse(body('5', '7', sig), other), code('ct/bad-signature', /log id/));
  });
});

describe('verifyDigitallySigned: algorithms', () => {
  const message = treeHeadSignatureInput(1n, 2n, ROOT);
  const der = p256.sign(message, p256Secret, { format: 'der' });

  it('accepts sha256 + ecdsa with a P-256 key', () => {
    verifyDigitallySigned(p256Key, message, signEcdsa(message));
  });

  it('refuses RSA (04 01) with ct/unsupported-algorithm, naming it', () => {
    const ds = encodeDigitallySigned({
      hashAlgorithm: 4,
      signatureAlgorithm: 1,
      signature: new Uint8Array(256),
    });
    assert.throws(
      () => verifyDigitallySigned(p256Key, message, ds),
      code(
        'ct/unsupported-algorithm',
        /hash sha256 \(4\) with signature rsa \(1\); only sha256 \(4\) with ecdsa \(3\)/,
      ),
    );
  });

  it('refuses other hashes with ecdsa', () => {
    for (const [hash, name] of [
      [2, 'sha1'],
      [5, 'sha384'],
      [6, 'sha512'],
      [0, 'none'],
    ] as const) {
      const ds = encodeDigitallySigned({ hashAlgorithm: hash, signatureAlgorithm: 3, signature: der });
      assert.throws(
        () => verifyDigitallySigned(p256Key, message, ds),
        code('ct/unsupported-algorithm', new RegExp(`hash ${name} \\(${hash}\\) with signature ecdsa`)),
      );
    }
  });

  it('refuses an Ed25519 signature (08 07) and an Ed25519 key', () => {
    const edSig = ed25519.sign(message, edSecret);
    const ds = encodeDigitallySigned({ hashAlgorithm: 8, signatureAlgorithm: 7, signature: edSig });
    assert.throws(
      () => verifyDigitallySigned(edKey, message, ds),
      code('ct/unsupported-algorithm', /ed25519 \(7\)/),
    );
    // An ecdsa DigitallySigned with an Ed25519 pinned key: the key kind does not match.
    assert.throws(
      () => verifyDigitallySigned(edKey, message, signEcdsa(message)),
      code('ct/unsupported-algorithm', /pinned key is ed25519; a CT log needs an ECDSA P-256 key/),
    );
    assert.throws(
      () =>
        verifySth(
          { timestamp: 1n, treeSize: 2n, rootHash: ROOT, treeHeadSignature: signEcdsa(message) },
          edKey,
        ),
      code('ct/unsupported-algorithm'),
    );
  });

  it('RSA keys never reach CT verification: lib/keys refuses them', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    assert.throws(
      () => parseSpki(spki),
      (e: unknown) => isTlogError(e, 'key/unsupported') && /RSA/.test(e.message),
    );
  });

  it('refuses a structurally broken DigitallySigned with ct/malformed before looking at algorithms', () => {
    const ds = signEcdsa(message);
    assert.throws(
      () => verifyDigitallySigned(p256Key, message, ds.subarray(0, ds.length - 1)),
      code('ct/malformed', /truncated/),
    );
    assert.throws(
      () => verifyDigitallySigned(p256Key, message, concatBytes(ds, new Uint8Array([0]))),
      code('ct/malformed', /trailing/),
    );
  });

  it('refuses a corrupted signature with ct/bad-signature', () => {
    const bad = der.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    const ds = encodeDigitallySigned({ hashAlgorithm: 4, signatureAlgorithm: 3, signature: bad });
    assert.throws(() => verifyDigitallySigned(p256Key, message, ds), code('ct/bad-signature'));
    const garbage = encodeDigitallySigned({
      hashAlgorithm: 4,
      signatureAlgorithm: 3,
      signature: new Uint8Array(70),
    });
    assert.throws(() => verifyDigitallySigned(p256Key, message, garbage), code('ct/bad-signature'));
  });
});
