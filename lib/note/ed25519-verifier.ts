/** Ed25519 note signatures, type 0x01 (c2sp.org/signed-note, "Ed25519 signatures"). */
import { TlogError } from '../errors.ts';
import type { PublicKey } from '../keys/public-key.ts';
import { verifyEd25519 } from '../keys/signature.ts';
import { c2spKeyHash, SIG_TYPE_ED25519 } from './key-hash.ts';
import { requireKeyName } from './note.ts';
import type { NoteVerifier } from './verifier.ts';

/**
 * A verifier for Ed25519 signatures over the note text (RFC 8032).
 * Key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte key)[:4].
 * `key` is the raw 32-byte key or an Ed25519 `PublicKey` parsed from PEM/DER.
 */
export function ed25519NoteVerifier(name: string, key: Uint8Array | PublicKey): NoteVerifier {
  requireKeyName(name);
  let raw: Uint8Array;
  if (key instanceof Uint8Array) {
    raw = key.slice();
  } else if (key.kind === 'ed25519') {
    raw = key.raw.slice();
  } else {
    throw new TlogError('key/unsupported', `Ed25519 note verifier for ${name} was given a ${key.kind} key`);
  }
  if (raw.length !== 32) {
    throw new TlogError('key/malformed', `Ed25519 key for ${name} has ${raw.length} bytes, expected 32`);
  }
  return {
    name,
    keyHash: c2spKeyHash(name, SIG_TYPE_ED25519, raw),
    verify: (message, signature) => verifyEd25519(raw, message, signature),
  };
}
