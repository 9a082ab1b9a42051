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

/**
 * What kind of private key `text` holds, if it holds one: a PEM block whose label ends in
 * "PRIVATE KEY" (PKCS#8, SEC1 "EC", PKCS#1 "RSA", "ENCRYPTED", "OPENSSH", ...) or a signed-note
 * signer key `PRIVATE+KEY+<name>+<hash>+<key>` (golang.org/x/mod/sumdb/note). Such text must never
 * be previewed in a message: even a few characters of it are part of a secret.
 */
export function privateKeyKind(text: string): string | undefined {
  const pem = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----/.exec(text);
  if (pem) return `a PEM "${pem[1]}" block`;
  if (/PRIVATE\+KEY\+/.test(text)) return 'a signed-note signer key "PRIVATE+KEY+..."';
  return undefined;
}

/** The error for a private key: what it is, never what it holds (issues.ts describe() adds the kind). */
function privateKeyError(): { error: string } {
  return { error: 'must be a public key, not a private key' };
}

/** Parses a verifier key string; returns a message saying what is wrong instead of throwing. */
export function parseVkeyText(text: string): Extract<KeyText, { kind: 'vkey' }> | { error: string } {
  if (privateKeyKind(text) !== undefined) return privateKeyError();
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
  if (privateKeyKind(text) !== undefined) return privateKeyError();
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
