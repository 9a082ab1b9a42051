/**
 * The `publicKey` and `witnesses` values of a log entry: PEM SubjectPublicKeyInfo text, or a C2SP
 * verifier key string `<name>+<8 hex digit key ID>+<base64 of type byte ‖ key>`
 * (c2sp.org/signed-note, "Verifier keys"). Both are parsed in full here, so a key that cannot
 * verify anything is refused when the configuration is read, not at the first check.
 */
import { bytesEqual, fromBase64, fromHex, toHex } from '../bytes.ts';
import { isTlogError } from '../errors.ts';
import { type PublicKey, parsePemPublicKey } from '../keys/public-key.ts';
import { c2spKeyHash, SIG_TYPE_COSIGNATURE_V1 } from '../note/key-hash.ts';
import { isValidKeyName } from '../note/note.ts';
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

/**
 * Parses a witness key: any verifier key parseVerifierKey accepts, or a cosignature/v1 key
 * (type 0x04, c2sp.org/tlog-cosignature), the form witnesses publish, whose name, 32-byte Ed25519
 * key and key ID (SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4]) are checked here while the note package
 * has no verifier for that type. Returns `<name>+<key ID hex>` to detect duplicates.
 */
export function parseWitnessKeyText(text: string): { name: string; id: string } | { error: string } {
  const parsed = parseVkeyText(text);
  if (!('error' in parsed)) return { name: parsed.name, id: parsed.id };
  const cosig = parseCosignatureKey(text);
  return cosig ?? parsed;
}

function parseCosignatureKey(text: string): { name: string; id: string } | { error: string } | undefined {
  const p1 = text.indexOf('+');
  const p2 = p1 < 0 ? -1 : text.indexOf('+', p1 + 1);
  if (p2 < 0) return undefined;
  const name = text.slice(0, p1);
  const hashHex = text.slice(p1 + 1, p2);
  let data: Uint8Array;
  try {
    data = fromBase64(text.slice(p2 + 1), 'key/malformed');
  } catch {
    return undefined;
  }
  if (data[0] !== SIG_TYPE_COSIGNATURE_V1 || !isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(hashHex)) {
    return undefined; // not a cosignature key: parseVerifierKey's message stands
  }
  const what = 'must be a cosignature/v1 verifier key "<name>+<8 hex digits>+<base64(0x04 ‖ Ed25519 key)>"';
  if (data.length !== 33) return { error: `${what}: the key is ${data.length - 1} bytes, expected 32` };
  const id = c2spKeyHash(name, SIG_TYPE_COSIGNATURE_V1, data.subarray(1));
  if (!bytesEqual(id, fromHex(hashHex, 'key/malformed'))) {
    return { error: `${what}: key ID is ${hashHex.toLowerCase()} but the key's ID is ${toHex(id)}` };
  }
  return { name, id: `${name}+${toHex(id)}` };
}
