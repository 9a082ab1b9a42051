/**
 * The `publicKey` and `witnesses` values of a log entry: PEM SubjectPublicKeyInfo text, or a C2SP
 * verifier key string `<name>+<8 hex digit key ID>+<base64 of type byte ‖ key>`
 * (c2sp.org/signed-note, "Verifier keys"). Both are parsed in full here, so a key that cannot
 * verify anything is refused when the configuration is read, not at the first check.
 */
import { toHex } from '../bytes.ts';
import { isTlogError } from '../errors.ts';
import { type PublicKey, parsePemPublicKey } from '../keys/public-key.ts';
import type { NoteVerifier } from '../note/verifier.ts';
import { parseVerifierKey } from '../note/vkey.ts';

export type KeyText =
  | { readonly kind: 'pem'; readonly key: PublicKey }
  | {
      readonly kind: 'vkey';
      /** The key name; for a log's own key it is the checkpoint origin. */
      readonly name: string;
      /** `<name>+<key ID hex>`: what identifies the key on a signature line. */
      readonly id: string;
      readonly verifier: NoteVerifier;
    };

export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN');
}

/** Parses a verifier key string; returns a message saying what is wrong instead of throwing. */
export function parseVkeyText(text: string): Extract<KeyText, { kind: 'vkey' }> | { error: string } {
  try {
    const verifier = parseVerifierKey(text);
    return { kind: 'vkey', name: verifier.name, id: `${verifier.name}+${toHex(verifier.keyHash)}`, verifier };
  } catch (e) {
    if (isTlogError(e, 'key/')) {
      return { error: `must be a verifier key "<name>+<8 hex digits>+<base64 key>": ${e.message}` };
    }
    throw e;
  }
}

/** Parses a `publicKey` value: PEM (P-256 or Ed25519 SPKI) or a verifier key string. */
export function parseKeyText(text: string): KeyText | { error: string } {
  if (looksLikePem(text)) {
    try {
      return { kind: 'pem', key: parsePemPublicKey(text) };
    } catch (e) {
      if (isTlogError(e, 'key/')) return { error: `not a usable PEM public key: ${e.message}` };
      throw e;
    }
  }
  const vkey = parseVkeyText(text);
  if ('error' in vkey) return { error: `${vkey.error} (or else a PEM "-----BEGIN PUBLIC KEY-----" block)` };
  return vkey;
}
