/**
 * RFC 6962 note signatures, type 0x05 (c2sp.org/static-ct-api, "Checkpoints"): a static-ct-api
 * log signs its checkpoint with the same key and the same RFC 6962 §3.5 `TreeHeadSignature` as
 * an RFC 6962 signed tree head. The note signature bytes (after the key ID) are
 *
 *     u64 big-endian timestamp (ms) ‖ TLS DigitallySigned (RFC 5246 §4.7)
 *
 * and the signed data is TreeHeadSignature(v1, tree_hash, timestamp, tree size, root hash) with
 * the size and root taken from the checkpoint text. The key ID is
 * SHA-256(name ‖ 0x0A ‖ 0x05 ‖ LogID)[:4] where LogID = SHA-256(DER SubjectPublicKeyInfo).
 *
 * The TreeHeadSignature covers neither the origin line nor extension lines, so the verifier
 * requires the origin to equal the key name and the checkpoint to have no extension lines;
 * otherwise unsigned text could ride along under a valid signature.
 */
import { bytesEqual, fromBase64, fromHex, fromUtf8, toHex } from '../bytes.ts';
import { treeHeadSignatureInput, verifyDigitallySigned } from '../ct/sth.ts';
import { decodeU64 } from '../ct/tls.ts';
import { isTlogError, TlogError } from '../errors.ts';
import { keyId, type PublicKey, parseSpki } from '../keys/public-key.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { c2spKeyHash, SIG_TYPE_RFC6962_STH } from './key-hash.ts';
import { isValidKeyName } from './note.ts';
import type { NoteVerifier } from './verifier.ts';

/** A NoteVerifier for type 0x05 signatures, with the log's RFC 6962 LogID. */
export interface Rfc6962NoteVerifier extends NoteVerifier {
  /** The RFC 6962 LogID, SHA-256 of the DER SPKI. */
  readonly logId: Uint8Array;
}

/** The timestamp (ms) at the start of an RFC6962NoteSignature, or undefined if it is too short. */
export function rfc6962SignatureTimestamp(signature: Uint8Array): bigint | undefined {
  return signature.length < 8 ? undefined : decodeU64(signature, 0);
}

/** A verifier for type 0x05 signatures by the static-ct-api log `name` (its origin) with a P-256 key. */
export function rfc6962NoteVerifier(name: string, key: PublicKey): Rfc6962NoteVerifier {
  if (!isValidKeyName(name)) {
    throw new TlogError(
      'key/malformed',
      `invalid key name ${JSON.stringify(name)}: non-empty, no spaces or '+'`,
    );
  }
  if (key.kind !== 'p256') {
    throw new TlogError(
      'key/unsupported',
      `RFC 6962 note verifier for ${name} needs an ECDSA P-256 key (RFC 6962 §2.1.4), got ${key.kind}`,
    );
  }
  const logId = keyId(key);
  return {
    name,
    logId,
    keyHash: c2spKeyHash(name, SIG_TYPE_RFC6962_STH, logId),
    verify: (message, signature) => {
      const timestamp = rfc6962SignatureTimestamp(signature);
      if (timestamp === undefined) return false;
      try {
        const checkpoint = parseCheckpoint(fromUtf8(message, 'note/malformed'));
        if (checkpoint.origin !== name || checkpoint.extensions.length > 0) return false;
        const input = treeHeadSignatureInput(timestamp, checkpoint.size, checkpoint.rootHash);
        verifyDigitallySigned(key, input, signature.subarray(8));
        return true;
      } catch (e) {
        // Any malformed body or signature is "does not verify"; never throw on one.
        if (isTlogError(e)) return false;
        throw e;
      }
    },
  };
}

/**
 * Parses a type 0x05 verifier key `<name>+<key ID>+<base64(0x05 ‖ DER SPKI)>` (the form
 * transparency-dev/formats prints for static-ct-api logs). The key ID must match.
 */
export function parseRfc6962VerifierKey(vkey: string): Rfc6962NoteVerifier {
  const p1 = vkey.indexOf('+');
  const p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
  if (p2 < 0) malformed('expected <name>+<key ID>+<key>');
  const name = vkey.slice(0, p1);
  const hashHex = vkey.slice(p1 + 1, p2);
  if (!/^[0-9a-fA-F]{8}$/.test(hashHex)) malformed(`key ID of ${name} is not 8 hex digits`);
  const data = fromBase64(vkey.slice(p2 + 1), 'key/malformed');
  if (data[0] !== SIG_TYPE_RFC6962_STH) {
    throw new TlogError(
      'key/unsupported',
      `verifier key ${name} has type 0x${(data[0] ?? 0).toString(16).padStart(2, '0')}, expected 0x05 (RFC 6962)`,
    );
  }
  const verifier = rfc6962NoteVerifier(name, parseSpki(data.subarray(1)));
  const stated = fromHex(hashHex, 'key/malformed');
  if (!bytesEqual(stated, verifier.keyHash)) {
    malformed(
      `key ID for ${name} is ${hashHex.toLowerCase()} but the key's ID is ${toHex(verifier.keyHash)}`,
    );
  }
  return verifier;
}

function malformed(message: string): never {
  throw new TlogError('key/malformed', `malformed verifier key: ${message}`);
}
