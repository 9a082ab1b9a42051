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
import { fromUtf8 } from '../bytes.ts';
import { treeHeadSignatureInput, verifyDigitallySigned } from '../ct/sth.ts';
import { decodeU64 } from '../ct/tls.ts';
import { isTlogError, TlogError } from '../errors.ts';
import { keyId, type PublicKey } from '../keys/public-key.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { c2spKeyHash, SIG_TYPE_RFC6962_STH } from './key-hash.ts';
import { requireKeyName } from './note.ts';
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
  requireKeyName(name);
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
