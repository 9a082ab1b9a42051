/** Signature verification with pinned keys. Returns false on any bad signature; never throws on one. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import type { PublicKey } from './public-key.ts';

/**
 * ECDSA P-256 with SHA-256 over `message`, signature DER-encoded (RFC 5480, X9.62).
 * High-S signatures are valid here: Rekor and CT logs produce them (Go's crypto/ecdsa does not normalise).
 */
export function verifyP256(point: Uint8Array, message: Uint8Array, derSignature: Uint8Array): boolean {
  try {
    return p256.verify(derSignature, message, point, { format: 'der', lowS: false, prehash: true });
  } catch {
    return false;
  }
}

/** Ed25519 (RFC 8032 §5.1.7), strict (not ZIP-215), like Go's crypto/ed25519. */
export function verifyEd25519(raw: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, raw, { zip215: false });
  } catch {
    return false;
  }
}

/** Verifies with whichever algorithm the key is for. */
export function verifyWithKey(key: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  return key.kind === 'p256'
    ? verifyP256(key.point, message, signature)
    : verifyEd25519(key.raw, message, signature);
}
