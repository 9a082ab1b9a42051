/**
 * Verifier keys `<name>+<hex key ID>+<base64(signature type ‖ public key)>`
 * (c2sp.org/signed-note; golang.org/x/mod/sumdb/note "Verifying Notes").
 *
 * Supported signature types: 0x01 Ed25519 (32-byte key), 0x02 ECDSA (DER SubjectPublicKeyInfo,
 * key ID = SHA-256(DER)[:4], the transparency-dev/formats encoding), 0x04 cosignature/v1
 * (c2sp.org/tlog-cosignature) and 0x05 RFC 6962 TreeHeadSignature (c2sp.org/static-ct-api).
 * Add a type by adding an entry to SIGNATURE_TYPES.
 */
import { bytesEqual, fromBase64, fromHex, preview, toHex } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { parseSpki } from '../keys/public-key.ts';
import { cosignatureV1Verifier } from './cosignature-verifier.ts';
import { ecdsaNoteVerifier } from './ecdsa-verifier.ts';
import { ed25519NoteVerifier } from './ed25519-verifier.ts';
import {
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ECDSA,
  SIG_TYPE_ED25519,
  SIG_TYPE_RFC6962_STH,
} from './key-hash.ts';
import { isValidKeyName } from './note.ts';
import { type Rfc6962NoteVerifier, rfc6962NoteVerifier } from './rfc6962-verifier.ts';
import type { NoteVerifier } from './verifier.ts';

interface SignatureType {
  readonly label: string;
  /** Builds the verifier from the key material after the type byte; absent = not supported yet. */
  readonly create?: (name: string, keyMaterial: Uint8Array) => NoteVerifier;
}

const SIGNATURE_TYPES: ReadonlyMap<number, SignatureType> = new Map<number, SignatureType>([
  [SIG_TYPE_ED25519, { label: 'Ed25519', create: (name, key) => ed25519NoteVerifier(name, key) }],
  [
    SIG_TYPE_ECDSA,
    {
      label: 'ECDSA',
      create: (name, der) => {
        const key = parseSpki(der);
        if (key.kind !== 'p256') {
          throw new TlogError('key/unsupported', `type 0x02 (ECDSA) verifier key holds a ${key.kind} key`);
        }
        return ecdsaNoteVerifier(name, key);
      },
    },
  ],
  [0x03, { label: 'reserved type 0x03' }],
  [
    SIG_TYPE_COSIGNATURE_V1,
    {
      label: 'timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature)',
      create: (name, key) => cosignatureV1Verifier(name, key),
    },
  ],
  [
    SIG_TYPE_RFC6962_STH,
    {
      label: 'RFC 6962 TreeHeadSignature (c2sp.org/static-ct-api)',
      create: (name, der) => rfc6962NoteVerifier(name, parseSpki(der)),
    },
  ],
]);

function malformed(message: string): never {
  throw new TlogError('key/malformed', `malformed verifier key: ${message}`);
}

/**
 * Parses a verifier key string and returns its NoteVerifier. The key ID in the string must equal
 * the one computed from the key. Throws TlogError 'key/malformed' or 'key/unsupported'.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  return parseVerifierKeyParts(vkey).verifier;
}

/** A parsed verifier key: its signature type, the key material after the type byte, and its verifier. */
export interface VerifierKeyParts {
  readonly name: string;
  readonly type: number;
  readonly key: Uint8Array;
  readonly verifier: NoteVerifier;
}

/** Parses a verifier key string like `parseVerifierKey`, keeping its name, type and key material. */
export function parseVerifierKeyParts(vkey: string): VerifierKeyParts {
  const p1 = vkey.indexOf('+');
  const p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
  if (p2 < 0) malformed(`expected <name>+<key ID>+<key>, got ${preview(vkey)}`);
  const name = vkey.slice(0, p1);
  const hashHex = vkey.slice(p1 + 1, p2);
  const keyB64 = vkey.slice(p2 + 1);
  if (!isValidKeyName(name)) malformed(`key name ${preview(name)} must be non-empty, without spaces or '+'`);
  if (!/^[0-9a-fA-F]{8}$/.test(hashHex)) malformed(`key ID ${preview(hashHex)} is not 8 hex digits`);
  const keyBytes = fromBase64(keyB64, 'key/malformed');
  if (keyBytes.length < 2)
    malformed(`key for ${name} has ${keyBytes.length} bytes; expected a type byte and a key`);

  const typeByte = keyBytes[0] as number;
  const type = SIGNATURE_TYPES.get(typeByte);
  const typeHex = `0x${typeByte.toString(16).padStart(2, '0')}`;
  if (!type) {
    throw new TlogError('key/unsupported', `verifier key ${name} has unknown signature type ${typeHex}`);
  }
  if (!type.create) {
    throw new TlogError(
      'key/unsupported',
      `verifier key ${name} has signature type ${typeHex} (${type.label}), which is not supported yet`,
    );
  }
  const key = keyBytes.subarray(1);
  const verifier = type.create(name, key);
  const stated = fromHex(hashHex, 'key/malformed');
  if (!bytesEqual(stated, verifier.keyHash)) {
    malformed(
      `key ID for ${name} is ${hashHex.toLowerCase()} but the key's ID is ${toHex(verifier.keyHash)}`,
    );
  }
  return { name, type: typeByte, key, verifier };
}

/**
 * Parses a type 0x05 verifier key `<name>+<key ID>+<base64(0x05 ‖ DER SPKI)>` (the form
 * transparency-dev/formats prints for static-ct-api logs); any other type is 'key/unsupported'.
 */
export function parseRfc6962VerifierKey(vkey: string): Rfc6962NoteVerifier {
  const parts = parseVerifierKeyParts(vkey);
  if (parts.type !== SIG_TYPE_RFC6962_STH) {
    throw new TlogError(
      'key/unsupported',
      `verifier key ${parts.name} has type 0x${parts.type.toString(16).padStart(2, '0')}, expected 0x05 (RFC 6962)`,
    );
  }
  return parts.verifier as Rfc6962NoteVerifier;
}

/**
 * The verifiers for one configured witness key. A type 0x04 key verifies cosignature/v1 lines.
 * Witnesses also publish their key as a plain Ed25519 (0x01) verifier key (transparency-dev
 * distributor, witness-network lists): such a key verifies both cosignature/v1 lines (key ID
 * recomputed with type 0x04) and plain Ed25519 note signatures. Any other key type verifies
 * what parseVerifierKey says it does. All verifiers returned share one witness name.
 */
export function parseWitnessVerifierKey(vkey: string): NoteVerifier[] {
  const parts = parseVerifierKeyParts(vkey);
  return parts.type === SIG_TYPE_ED25519
    ? [parts.verifier, cosignatureV1Verifier(parts.name, parts.key)]
    : [parts.verifier];
}
