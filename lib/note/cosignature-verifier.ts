/**
 * Witness cosignatures, signature type 0x04 (c2sp.org/tlog-cosignature, "Format" and "Ed25519
 * signed message").
 *
 * A witness signs, with Ed25519, the message
 *
 *     cosignature/v1\n
 *     time <decimal seconds since the epoch>\n
 *     <checkpoint note text>
 *
 * and the note signature bytes (after the 4-byte key ID) are u64 big-endian timestamp ‖ 64-byte
 * Ed25519 signature (`timestamped_signature`). Key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ 32-byte key)[:4].
 * The message does not include the witness name, so one key must not serve two witness names.
 */
import { concatBytes, utf8 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { verifyEd25519 } from '../keys/signature.ts';
import { c2spKeyHash, SIG_TYPE_COSIGNATURE_V1 } from './key-hash.ts';
import { requireKeyName } from './note.ts';
import type { NoteVerifier } from './verifier.ts';

/** A cosignature/v1 signature: 8-byte timestamp then a 64-byte Ed25519 signature. */
const COSIGNATURE_BYTES = 8 + 64;

/** The message a cosignature/v1 covers: the header lines, then the checkpoint text. */
export function cosignatureMessage(timestamp: bigint, checkpointText: Uint8Array): Uint8Array {
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), checkpointText);
}

/** Largest timestamp a cosignature may carry: "It MUST NOT exceed 2^63 - 1" (c2sp.org/tlog-cosignature). */
const MAX_COSIGNATURE_TIMESTAMP = (1n << 63n) - 1n;

/**
 * The timestamp (POSIX seconds) at the start of a cosignature/v1 signature, or undefined if it is
 * not one (wrong length, or a timestamp above 2^63 - 1).
 */
export function cosignatureTimestamp(signature: Uint8Array): bigint | undefined {
  if (signature.length !== COSIGNATURE_BYTES) return undefined;
  const timestamp = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
  return timestamp > MAX_COSIGNATURE_TIMESTAMP ? undefined : timestamp;
}

/** A verifier for cosignature/v1 lines by the witness `name` with the 32-byte Ed25519 `key`. */
export function cosignatureV1Verifier(name: string, key: Uint8Array): NoteVerifier {
  requireKeyName(name);
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
