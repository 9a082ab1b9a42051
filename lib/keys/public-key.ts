/**
 * Pinned public keys: PEM or DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for ECDSA P-256
 * (RFC 5480) and Ed25519 (RFC 8410). Keys come from configuration only; a key served by a log
 * is never used.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromBase64, toHex } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { readDer, readDerChildren } from './der.ts';

export type PublicKey =
  | {
      readonly kind: 'p256';
      /** DER SPKI exactly as configured. */
      readonly spki: Uint8Array;
      /** SEC1 encoded point (uncompressed 0x04‖X‖Y or compressed). */
      readonly point: Uint8Array;
    }
  | {
      readonly kind: 'ed25519';
      readonly spki: Uint8Array;
      /** The 32-byte RFC 8032 public key. */
      readonly raw: Uint8Array;
    };

// DER encodings of the OIDs we accept or name in errors.
const OID_EC_PUBLIC_KEY = hexBytes('2a8648ce3d0201'); // 1.2.840.10045.2.1
const OID_P256 = hexBytes('2a8648ce3d030107'); // 1.2.840.10045.3.1.7 prime256v1
const OID_ED25519 = hexBytes('2b6570'); // 1.3.101.112
const KNOWN_UNSUPPORTED: ReadonlyArray<[string, Uint8Array]> = [
  ['RSA', hexBytes('2a864886f70d010101')],
  ['ECDSA P-384', hexBytes('2b81040022')],
  ['ECDSA P-521', hexBytes('2b81040023')],
  ['Ed448', hexBytes('2b6571')],
];

function hexBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, 'hex'));
}

/** Parses a DER SubjectPublicKeyInfo. Refuses other key types with a clear error. */
export function parseSpki(spki: Uint8Array): PublicKey {
  const { element: top, next } = readDer(spki);
  if (top.tag !== 0x30 || next !== spki.length) {
    throw new TlogError(
      'key/malformed',
      'SubjectPublicKeyInfo must be one DER SEQUENCE with no trailing bytes',
    );
  }
  const [alg, bits, ...rest] = readDerChildren(top.value);
  if (!alg || !bits || rest.length > 0 || alg.tag !== 0x30 || bits.tag !== 0x03) {
    throw new TlogError(
      'key/malformed',
      'SubjectPublicKeyInfo must be SEQUENCE { AlgorithmIdentifier, BIT STRING }',
    );
  }
  const [oid, params] = readDerChildren(alg.value);
  if (oid?.tag !== 0x06) throw new TlogError('key/malformed', 'AlgorithmIdentifier has no OID');
  if (bits.value.length === 0) throw new TlogError('key/malformed', 'public key BIT STRING is empty');
  if (bits.value[0] !== 0) throw new TlogError('key/malformed', 'public key BIT STRING has unused bits');
  const keyBytes = bits.value.subarray(1);

  if (bytesEqual(oid.value, OID_EC_PUBLIC_KEY)) {
    if (params?.tag !== 0x06 || !bytesEqual(params.value, OID_P256)) {
      throw new TlogError(
        'key/unsupported',
        `unsupported EC curve (OID ${toHex(params?.value ?? new Uint8Array())}); only P-256 is supported`,
      );
    }
    const ok =
      (keyBytes.length === 65 && keyBytes[0] === 0x04) ||
      (keyBytes.length === 33 && (keyBytes[0] === 0x02 || keyBytes[0] === 0x03));
    if (!ok)
      throw new TlogError('key/malformed', `P-256 point has ${keyBytes.length} bytes, expected 65 or 33`);
    return { kind: 'p256', spki: spki.slice(), point: keyBytes.slice() };
  }
  if (bytesEqual(oid.value, OID_ED25519)) {
    if (params) throw new TlogError('key/malformed', 'Ed25519 AlgorithmIdentifier must have no parameters');
    if (keyBytes.length !== 32) {
      throw new TlogError('key/malformed', `Ed25519 key has ${keyBytes.length} bytes, expected 32`);
    }
    return { kind: 'ed25519', spki: spki.slice(), raw: keyBytes.slice() };
  }
  const known = KNOWN_UNSUPPORTED.find(([, o]) => bytesEqual(o, oid.value));
  throw new TlogError(
    'key/unsupported',
    `unsupported key type ${known ? known[0] : `OID ${toHex(oid.value)}`}; supported: ECDSA P-256, Ed25519`,
  );
}

/**
 * Parses PEM text with one `-----BEGIN PUBLIC KEY-----` block (RFC 7468 §13). Text with several
 * PEM blocks is refused rather than silently pinning only the first key.
 */
export function parsePemPublicKey(pem: string): PublicKey {
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g)?.length ?? 0;
  if (blocks > 1) {
    throw new TlogError(
      'key/malformed',
      `expected one PEM block, found ${blocks}; configure one key per entry`,
    );
  }
  const m = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END PUBLIC KEY-----/.exec(pem);
  if (!m || m[1] === undefined) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      throw new TlogError('key/malformed', 'this is a private key; configure the public key');
    }
    throw new TlogError('key/malformed', 'expected a PEM block "-----BEGIN PUBLIC KEY-----"');
  }
  const der = fromBase64(m[1].replace(/\s+/g, ''), 'key/malformed');
  return parseSpki(der);
}

/** SHA-256 of the DER SPKI: the RFC 6962 LogID and the basis of Rekor's key hint. */
export function keyId(key: PublicKey): Uint8Array {
  return sha256(key.spki);
}
