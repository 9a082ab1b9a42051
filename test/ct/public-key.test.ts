/**
 * lib/keys: pinned PEM/DER SubjectPublicKeyInfo keys (the CT log keys, and every other log key).
 * Real keys from the vectors, keys of other types generated here, and malformed DER.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { p256 } from '@noble/curves/nist.js';
import { concatBytes, fromBase64, fromHex, toBase64 } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import { keyId, parsePemPublicKey, parseSpki } from '../../lib/keys/public-key.ts';
import { readVector, readVectorText } from '../support/vectors.ts';

const code = (c: string, re?: RegExp) => (e: unknown) =>
  isTlogError(e) && e.code === c && (re === undefined || re.test(e.message));

const REKOR_PEM = readVectorText('rekor/rekor.sigstore.dev.pub.pem');
const REKOR_LOG_ID = 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=';

function spkiOf(type: 'ec' | 'rsa' | 'ed25519' | 'ed448', namedCurve?: string): Uint8Array {
  const { publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: namedCurve as string })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 1024 })
        : type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ed448');
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

const pemOf = (der: Uint8Array) =>
  `-----BEGIN PUBLIC KEY-----\n${toBase64(der).replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`;

describe('parsePemPublicKey / parseSpki', () => {
  it('reads the Rekor P-256 key; its keyId is the RFC 6962 LogID', () => {
    const key = parsePemPublicKey(REKOR_PEM);
    assert.equal(key.kind, 'p256');
    assert.equal(toBase64(keyId(key)), REKOR_LOG_ID);
    assert.deepEqual(parseSpki(key.spki), key);
  });

  it('reads every CT log key of ct/logs.json with its log ID', () => {
    const logs: Record<string, { keyDERBase64: string; logIdBase64: string }> =
      readVector('ct/logs.json').logs;
    let n = 0;
    for (const [name, log] of Object.entries(logs)) {
      const key = parseSpki(fromBase64(log.keyDERBase64));
      assert.equal(key.kind, 'p256', name);
      assert.equal(toBase64(keyId(key)), log.logIdBase64, name);
      n++;
    }
    assert.equal(n, 7);
  });

  it('reads Ed25519 keys and compressed P-256 points', () => {
    const ed = parsePemPublicKey(pemOf(spkiOf('ed25519')));
    assert.equal(ed.kind, 'ed25519');
    assert.equal(ed.kind === 'ed25519' && ed.raw.length, 32);
    // SEQUENCE { SEQUENCE { ecPublicKey, prime256v1 }, BIT STRING 00 ‖ 33-byte compressed point }
    const point = p256.getPublicKey(p256.utils.randomSecretKey(), true);
    const prefix = fromHex('3039301306072a8648ce3d020106082a8648ce3d030107032200');
    const key = parseSpki(concatBytes(prefix, point));
    assert.equal(key.kind, 'p256');
    assert.deepEqual(key.kind === 'p256' && key.point, point);
  });

  it('refuses other key types with key/unsupported, naming them', () => {
    assert.throws(() => parseSpki(spkiOf('ec', 'P-384')), code('key/unsupported', /P-256/));
    assert.throws(() => parseSpki(spkiOf('rsa')), code('key/unsupported', /RSA/));
    assert.throws(() => parseSpki(spkiOf('ed448')), code('key/unsupported', /Ed448/));
  });

  it('refuses a private key, text with no PEM block, and several PEM blocks', () => {
    assert.throws(
      () => parsePemPublicKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      code('key/malformed', /private key/),
    );
    assert.throws(() => parsePemPublicKey('MFkwEwYHKoZIzj0CAQYI'), code('key/malformed', /PEM block/));
    assert.throws(
      () => parsePemPublicKey(REKOR_PEM + pemOf(spkiOf('ed25519'))),
      code('key/malformed', /one PEM block, found 2/),
    );
  });

  it('refuses malformed DER with key/malformed', () => {
    const der = parsePemPublicKey(REKOR_PEM).spki;
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['truncated', der.subarray(0, der.length - 1)],
      ['trailing byte', Uint8Array.of(...der, 0)],
      ['not a SEQUENCE', Uint8Array.of(0x31, ...der.subarray(1))],
      ['indefinite length', Uint8Array.of(0x30, 0x80, ...der.subarray(2), 0, 0)],
      ['non-minimal length', Uint8Array.of(0x30, 0x81, der[1] as number, ...der.subarray(2))],
      ['unused bits in the BIT STRING', Uint8Array.of(...der.subarray(0, 25), 1, ...der.subarray(26))],
      ['short P-256 point', Uint8Array.of(0x30, 0x58, ...der.subarray(2, 24), 0x41, ...der.subarray(25, 90))],
    ];
    // The BIT STRING header of a P-256 SPKI: 03 42 00 at offset 23.
    assert.deepEqual([...der.subarray(23, 26)], [0x03, 0x42, 0x00]);
    for (const [what, bytes] of cases) {
      assert.throws(() => parseSpki(bytes), code('key/malformed'), what);
    }
    // SEQUENCE { SEQUENCE { ecPublicKey, prime256v1 }, BIT STRING (empty) }
    const emptyBits = fromHex('3017301306072a8648ce3d020106082a8648ce3d0301070300');
    assert.throws(() => parseSpki(emptyBits), code('key/malformed', /BIT STRING is empty/));
  });
});
