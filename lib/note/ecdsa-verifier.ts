/**
 * ECDSA P-256 note signatures, type 0x02 (c2sp.org/signed-note, "Signature types"), as produced by
 * Rekor v1 and the transparency-dev witness: the signature is ASN.1 DER ECDSA over SHA-256 of the
 * note text, and the key ID is SHA-256(DER SubjectPublicKeyInfo)[:4] (not the name-based rule), i.e.
 * the first 4 bytes of the RFC 6962 LogID.
 */
import { TlogError } from '../errors.ts';
import { keyId, type PublicKey } from '../keys/public-key.ts';
import { verifyP256 } from '../keys/signature.ts';
import { requireKeyName } from './note.ts';
import type { NoteVerifier } from './verifier.ts';

export function ecdsaNoteVerifier(name: string, key: PublicKey): NoteVerifier {
  requireKeyName(name);
  if (key.kind !== 'p256') {
    throw new TlogError(
      'key/unsupported',
      `ECDSA note verifier for ${name} needs a P-256 key, got ${key.kind}`,
    );
  }
  const point = key.point.slice();
  return {
    name,
    keyHash: keyId(key).slice(0, 4),
    // High-S signatures are accepted: Rekor produces them (verifyP256 does not normalise).
    verify: (message, signature) => verifyP256(point, message, signature),
  };
}
