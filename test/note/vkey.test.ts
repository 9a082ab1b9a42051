import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, fromBase64, toBase64, toHex } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import { parsePemPublicKey, parseSpki } from '../../lib/keys/public-key.ts';
import { cosignatureV1Verifier } from '../../lib/note/cosignature-verifier.ts';
import { ecdsaNoteVerifier } from '../../lib/note/ecdsa-verifier.ts';
import { ed25519NoteVerifier } from '../../lib/note/ed25519-verifier.ts';
import { c2spKeyHash } from '../../lib/note/key-hash.ts';
import { rfc6962NoteVerifier } from '../../lib/note/rfc6962-verifier.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector, readVectorText } from '../support/vectors.ts';
import {
  type EcdsaVkeyVectors,
  type GoNoteVectors,
  must,
  type RekorKeys,
  type TlogKey,
} from './vector-types.ts';

const code = (c: string) => (e: unknown) => isTlogError(e) && e.code === c;

const edKey = ed25519.getPublicKey(new Uint8Array(32).fill(9));
function vkeyOf(name: string, type: number, key: Uint8Array): string {
  return `${name}+${toHex(c2spKeyHash(name, type, key))}+${toBase64(concatBytes(Uint8Array.of(type), key))}`;
}

function splitVkey(vkey: string): [string, string, string] {
  const p1 = vkey.indexOf('+');
  const p2 = vkey.indexOf('+', p1 + 1);
  return [vkey.slice(0, p1), vkey.slice(p1 + 1, p2), vkey.slice(p2 + 1)];
}

describe('parseVerifierKey: golang.org/x/mod sumdb/note vkeys', () => {
  const v: GoNoteVectors = readVector('note/golang-mod-sumdb-note.json');
  it('has 2 valid and 2 invalid vkeys', () => {
    assert.equal(v.vkeys.filter((k) => k.valid).length, 2);
    assert.equal(v.vkeys.filter((k) => !k.valid).length, 2);
  });
  for (const k of v.vkeys) {
    it(`${k.valid ? 'accepts' : 'rejects'} ${k.vkey}${k.why ? ` (${k.why})` : ''}`, () => {
      if (k.valid) {
        const verifier = parseVerifierKey(k.vkey);
        assert.equal(verifier.name, k.vkey.split('+')[0]);
        assert.equal(toHex(verifier.keyHash), k.vkey.split('+')[1]);
      } else {
        const want = /unknown algorithm/.test(k.why ?? '') ? 'key/unsupported' : 'key/malformed';
        assert.throws(() => parseVerifierKey(k.vkey), code(want));
      }
    });
  }
});

describe('parseVerifierKey: ECDSA (type 0x02) vkeys from transparency-dev/formats', () => {
  const v: EcdsaVkeyVectors = readVector('note/vkey-ecdsa-parsing.json');
  it('has 7 cases', () => assert.equal(v.cases.length, 7));
  for (const c of v.cases) {
    it(`${c.desc}: ${c.valid ? 'valid' : 'rejected'}`, () => {
      if (c.valid) {
        const verifier = parseVerifierKey(c.vkey);
        const [name, hash, b64] = splitVkey(c.vkey);
        assert.equal(verifier.name, name);
        assert.equal(toHex(verifier.keyHash), hash);
        // Key ID = SHA-256(DER SPKI)[:4], the same as ecdsaNoteVerifier computes.
        const der = fromBase64(b64).subarray(1);
        assert.equal(toHex(ecdsaNoteVerifier(name, parseSpki(der)).keyHash), hash);
      } else {
        const want = c.desc === 'invalid algo' ? 'key/unsupported' : 'key/malformed';
        assert.throws(() => parseVerifierKey(c.vkey), code(want));
      }
    });
  }

  it('the production Rekor vkey has the same key ID as the PEM key (c0d23d6a)', () => {
    const keys: RekorKeys = readVector('rekor/keys.json');
    const vkey = must(keys.production['rekor.sigstore.dev (Rekor v1)']).noteVerifierKey;
    const fromPem = ecdsaNoteVerifier(
      'rekor.sigstore.dev',
      parsePemPublicKey(readVectorText('rekor/rekor.sigstore.dev.pub.pem')),
    );
    assert.equal(toHex(parseVerifierKey(vkey).keyHash), 'c0d23d6a');
    assert.equal(toHex(fromPem.keyHash), 'c0d23d6a');
  });
});

describe('parseVerifierKey: types and strictness', () => {
  it('builds an Ed25519 verifier whose key ID is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]', () => {
    const verifier = parseVerifierKey(vkeyOf('example.com/log', 0x01, edKey));
    assert.deepEqual(verifier.keyHash, ed25519NoteVerifier('example.com/log', edKey).keyHash);
  });

  it('accepts an upper-case key ID', () => {
    const vkey = vkeyOf('example.com/log', 0x01, edKey);
    const [name, hash, ...rest] = vkey.split('+');
    assert.equal(parseVerifierKey([name, hash?.toUpperCase(), ...rest].join('+')).name, 'example.com/log');
  });

  it('rejects a key ID that does not match the key', () => {
    const vkey = vkeyOf('example.com/log', 0x01, edKey).replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    assert.throws(
      () => parseVerifierKey(vkey),
      (e) => code('key/malformed')(e) && /00000000/.test(String(e)),
    );
  });

  it('rejects the key ID of the same key under another name', () => {
    const [, hash] = vkeyOf('example.com/log', 0x01, edKey).split('+');
    const other = vkeyOf('example.com/other', 0x01, edKey).replace(/\+[0-9a-f]{8}\+/, `+${hash}+`);
    assert.throws(() => parseVerifierKey(other), code('key/malformed'));
  });

  it('parses type 0x04 (cosignature) and 0x05 (RFC 6962) keys and checks their key IDs', () => {
    const cosig = parseVerifierKey(vkeyOf('witness.example', 0x04, edKey));
    assert.equal(cosig.name, 'witness.example');
    assert.throws(
      () => parseVerifierKey(vkeyOf('witness.example', 0x04, edKey).replace(/\+[0-9a-f]{8}\+/, '+00000000+')),
      code('key/malformed'),
    );
    // A 0x05 key must hold a DER SPKI: 32 arbitrary bytes are refused as malformed, not accepted.
    assert.throws(
      () => parseVerifierKey(vkeyOf('ct.example/2024', 0x05, new Uint8Array(32).fill(1))),
      code('key/malformed'),
    );
  });

  it('rejects unknown types', () => {
    for (const t of [0x00, 0x03, 0x06, 0xff]) {
      assert.throws(() => parseVerifierKey(vkeyOf('k', t, edKey)), code('key/unsupported'), String(t));
    }
  });

  it('rejects malformed strings', () => {
    const good = vkeyOf('example.com/log', 0x01, edKey);
    for (const bad of [
      '',
      'name',
      'name+0011aabb',
      `+${good.split('+').slice(1).join('+')}`, // empty name
      good.replace('example.com/log', 'bad name'),
      good.replace(/\+([0-9a-f]{8})\+/, '+$1a+'), // 9 hex digits
      good.replace(/\+([0-9a-f]{8})\+/, '+xyz12345+'),
      `${good}\n`, // callers trim files; the parser does not guess
      `${good}AA==`,
      `${good.split('+').slice(0, 2).join('+')}+AQ==`, // type byte only
    ]) {
      assert.throws(() => parseVerifierKey(bad), code('key/malformed'), JSON.stringify(bad));
    }
  });

  it('rejects an Ed25519 key of the wrong length', () => {
    const key = new Uint8Array(31).fill(1);
    assert.throws(() => parseVerifierKey(vkeyOf('k', 0x01, key)), code('key/malformed'));
  });

  it('rejects a type 0x02 key that holds an Ed25519 SPKI', () => {
    const keys: RekorKeys = readVector('rekor/keys.json');
    const der = fromBase64(
      (keys.allTransparencyLogKeysFound.find((k) => k.keyDetails === 'PKIX_ED25519') as TlogKey)
        .publicKeyDERBase64,
    );
    const vkey = `k+${toHex(new Uint8Array(4))}+${toBase64(concatBytes(Uint8Array.of(0x02), der))}`;
    assert.throws(() => parseVerifierKey(vkey), code('key/unsupported'));
  });
});

describe('verifier constructors', () => {
  it('ed25519NoteVerifier accepts a raw key or an Ed25519 PublicKey, and refuses others', () => {
    const keys: RekorKeys = readVector('rekor/keys.json');
    const k = keys.allTransparencyLogKeysFound.find(
      (x) => x.baseUrl === 'https://log2025-1.rekor.sigstore.dev',
    ) as TlogKey;
    const fromSpki = ed25519NoteVerifier(
      'log2025-1.rekor.sigstore.dev',
      parseSpki(fromBase64(k.publicKeyDERBase64)),
    );
    const fromRaw = ed25519NoteVerifier('log2025-1.rekor.sigstore.dev', fromBase64(k.ed25519RawBase64 ?? ''));
    assert.equal(toHex(fromSpki.keyHash), 'cf119915');
    assert.deepEqual(fromRaw.keyHash, fromSpki.keyHash);
    const p256 = parsePemPublicKey(readVectorText('rekor/rekor.sigstore.dev.pub.pem'));
    assert.throws(() => ed25519NoteVerifier('x', p256), code('key/unsupported'));
    assert.throws(() => ed25519NoteVerifier('bad name', edKey), code('key/malformed'));
    assert.throws(() => ed25519NoteVerifier('', edKey), code('key/malformed'));
  });

  it('ecdsaNoteVerifier refuses non-P-256 keys and invalid names', () => {
    const ed = parseSpki(fromBase64('MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244='));
    assert.throws(() => ecdsaNoteVerifier('x', ed), code('key/unsupported'));
    const p256 = parsePemPublicKey(readVectorText('rekor/rekor.sigstore.dev.pub.pem'));
    assert.throws(() => ecdsaNoteVerifier('a+b', p256), code('key/malformed'));
  });
});

describe('verifier constructors refuse invalid key names (c2sp.org/signed-note)', () => {
  const p256 = parsePemPublicKey(readVectorText('rekor/rekor.sigstore.dev.pub.pem'));
  const builders = {
    ed25519: (name: string) => ed25519NoteVerifier(name, edKey),
    cosignature: (name: string) => cosignatureV1Verifier(name, edKey),
    ecdsa: (name: string) => ecdsaNoteVerifier(name, p256),
    rfc6962: (name: string) => rfc6962NoteVerifier(name, p256),
  };
  for (const [kind, build] of Object.entries(builders)) {
    it(kind, () => {
      assert.equal(build('example.com/log').name, 'example.com/log');
      for (const bad of ['', 'a b', 'a+b', 'a\u00a0b', 'a\ud800']) {
        assert.throws(() => build(bad), code('key/malformed'), JSON.stringify(bad));
      }
    });
  }
});
