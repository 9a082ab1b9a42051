/**
 * Witness cosignatures, signature type 0x04 (c2sp.org/tlog-cosignature, "cosignature/v1").
 *
 * A witness signs, with Ed25519, the message
 *
 *     cosignature/v1\n
 *     time <decimal seconds since the epoch>\n
 *     <checkpoint note text>
 *
 * and the note signature bytes (after the 4-byte key ID) are u64 big-endian timestamp ‖ 64-byte
 * Ed25519 signature. Key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ 32-byte key)[:4] (c2sp.org/signed-note).
 */
import { bytesEqual, concatBytes, fromBase64, fromHex, toHex, utf8 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { verifyEd25519 } from '../keys/signature.ts';
import { c2spKeyHash, SIG_TYPE_COSIGNATURE_V1, SIG_TYPE_ED25519 } from './key-hash.ts';
import { isValidKeyName } from './note.ts';
import type { NoteVerifier } from './verifier.ts';
import { parseVerifierKey } from './vkey.ts';

/** A cosignature/v1 signature: 8-byte timestamp then a 64-byte Ed25519 signature. */
const COSIGNATURE_BYTES = 8 + 64;

/** The message a cosignature/v1 covers: the header lines, then the checkpoint text. */
export function cosignatureMessage(timestamp: bigint, checkpointText: Uint8Array): Uint8Array {
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), checkpointText);
}

/** The timestamp (seconds) at the start of a cosignature/v1 signature, or undefined if it is not one. */
export function cosignatureTimestamp(signature: Uint8Array): bigint | undefined {
  if (signature.length !== COSIGNATURE_BYTES) return undefined;
  return new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
}

/** A verifier for cosignature/v1 lines by the witness `name` with the 32-byte Ed25519 `key`. */
export function cosignatureV1Verifier(name: string, key: Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) {
    throw new TlogError(
      'key/malformed',
      `invalid key name ${JSON.stringify(name)}: non-empty, no spaces or '+'`,
    );
  }
  if (key.length !== 32) {
    throw new TlogError('key/malformed', `cosignature key for ${name} has ${key.length} bytes, expected 32`);
  }
  const raw = key.slice();
  return {
    name,
    keyHash: c2spKeyHash(name, SIG_TYPE_COSIGNATURE_V1, raw),
    verify: (message, signature) => {
      const timestamp = cosignatureTimestamp(signature);
      if (timestamp === undefined) return false;
      return verifyEd25519(raw, cosignatureMessage(timestamp, message), signature.subarray(8));
    },
  };
}

/**
 * The verifiers for one configured witness key. A type 0x04 key verifies cosignature/v1 lines.
 * Witnesses also publish their key as a plain Ed25519 (0x01) verifier key (transparency-dev
 * distributor, witness-network lists): such a key verifies both cosignature/v1 lines (key ID
 * recomputed with type 0x04) and plain Ed25519 note signatures. Any other key type verifies
 * what parseVerifierKey says it does. All verifiers returned share one witness name.
 */
export function parseWitnessVerifierKey(vkey: string): NoteVerifier[] {
  const parts = splitVkey(vkey);
  if (parts && parts.data[0] === SIG_TYPE_COSIGNATURE_V1) {
    const verifier = cosignatureV1Verifier(parts.name, parts.data.subarray(1));
    if (!bytesEqual(verifier.keyHash, parts.keyHash)) {
      throw new TlogError(
        'key/malformed',
        `malformed verifier key: key ID for ${parts.name} is ${toHex(parts.keyHash)} but the key's ID is ${toHex(verifier.keyHash)}`,
      );
    }
    return [verifier];
  }
  const verifier = parseVerifierKey(vkey);
  if (parts && parts.data[0] === SIG_TYPE_ED25519) {
    return [verifier, cosignatureV1Verifier(parts.name, parts.data.subarray(1))];
  }
  return [verifier];
}

function splitVkey(vkey: string): { name: string; keyHash: Uint8Array; data: Uint8Array } | undefined {
  const p1 = vkey.indexOf('+');
  const p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
  if (p2 < 0) return undefined;
  const hashHex = vkey.slice(p1 + 1, p2);
  if (!/^[0-9a-fA-F]{8}$/.test(hashHex)) return undefined;
  try {
    return {
      name: vkey.slice(0, p1),
      keyHash: fromHex(hashHex, 'key/malformed'),
      data: fromBase64(vkey.slice(p2 + 1), 'key/malformed'),
    };
  } catch {
    return undefined; // parseVerifierKey gives the precise message
  }
}
