/**
 * Strict parsing of signed notes (c2sp.org/signed-note, "Format").
 *
 *     <text ending in \n>
 *     <blank line>
 *     — <key name> <base64(4-byte key ID ‖ signature)>\n   (one or more)
 *
 * Parsing checks structure only; `verifyNote` decides which signatures count.
 */
import { fromBase64, preview } from '../bytes.ts';
import { type ErrorCode, TlogError } from '../errors.ts';

/** Signatures accepted per note. The spec requires accepting at least 16 and asks for a limit. */
export const MAX_NOTE_SIGNATURES = 100;

/** One signature line. */
export interface NoteSignature {
  /** The key name (c2sp.org/signed-note: non-empty, no Unicode spaces, no '+'). */
  readonly name: string;
  /** The 4-byte key ID (big-endian uint32) that starts the decoded signature. */
  readonly keyHash: Uint8Array;
  /** The signature bytes after the key ID; their meaning depends on the key's signature type. */
  readonly signature: Uint8Array;
  /** The line exactly as received, em dash and trailing newline included. */
  readonly line: string;
}

export interface SignedNote {
  /** The whole note as received. */
  readonly text: string;
  /** The signed message: the note text up to and including the newline before the last blank line. */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

const SIG_PREFIX = '\u2014 '; // em dash U+2014, space
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Unicode spaces (White_Space property) or '+' are not allowed in key names.
const BAD_NAME_CHAR_RE = /[\p{White_Space}+]/u;
// Fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a leading BOM is kept, since it is signed.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** True if `name` is a valid key name: non-empty, no Unicode spaces and no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !BAD_NAME_CHAR_RE.test(name) && !LONE_SURROGATE_RE.test(name);
}

/** Throws 'key/malformed' unless `name` is a valid key name (for building a verifier). */
export function requireKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new TlogError(
      'key/malformed',
      `invalid key name ${JSON.stringify(name)}: non-empty, no spaces or '+'`,
    );
  }
}

/**
 * Checks the character rules every note (and checkpoint body) obeys: well-formed Unicode
 * (so it encodes to valid UTF-8) and no ASCII control characters other than newline.
 */
export function assertNoteCharacters(text: string, code: ErrorCode, what: string): void {
  if (LONE_SURROGATE_RE.test(text)) {
    throw new TlogError(code, `${what} is not valid UTF-8 (lone UTF-16 surrogate)`);
  }
  // ASCII control characters other than newline: "MUST NOT contain" (c2sp.org/signed-note).
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) {
      const cp = c.toString(16).toUpperCase().padStart(4, '0');
      throw new TlogError(
        code,
        `${what} contains control character U+${cp} at offset ${i}; only newline is allowed`,
      );
    }
  }
}

function malformed(message: string): never {
  throw new TlogError('note/malformed', `malformed signed note: ${message}`);
}

/** Decodes note bytes as UTF-8, rejecting invalid sequences. */
export function decodeNote(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return malformed('not valid UTF-8');
  }
}

/**
 * Parses a signed note (c2sp.org/signed-note). Accepts the text as a string or as the raw bytes
 * received (then decoded as strict UTF-8). Throws TlogError 'note/malformed' or
 * 'note/too-many-signatures'.
 */
export function parseNote(input: string | Uint8Array): SignedNote {
  const text = typeof input === 'string' ? input : decodeNote(input);
  assertNoteCharacters(text, 'note/malformed', 'signed note');
  if (!text.endsWith('\n')) malformed('it does not end with a newline');

  // "the text is separated from the signatures by the last empty line in the note"
  const sep = text.lastIndexOf('\n\n');
  if (sep < 0) malformed('no blank line separates the text from the signatures');
  const body = text.slice(0, sep + 1);
  const block = text.slice(sep + 2);
  if (block.length === 0) malformed('no signature lines after the blank line');

  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new TlogError(
      'note/too-many-signatures',
      `signed note has ${lines.length} signature lines; at most ${MAX_NOTE_SIGNATURES} are accepted`,
    );
  }
  const signatures = lines.map((line, i) => parseSignatureLine(line, i + 1));
  return { text, body, signatures };
}

function parseSignatureLine(line: string, n: number): NoteSignature {
  const where = `signature line ${n} ${preview(line)}`;
  if (!line.startsWith(SIG_PREFIX)) malformed(`${where} does not start with an em dash (U+2014) and a space`);
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) malformed(`${where} has no space between the key name and the signature`);
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) {
    malformed(`${where}: key name must be non-empty, without spaces or '+'`);
  }
  let decoded: Uint8Array;
  try {
    decoded = fromBase64(b64, 'note/malformed');
  } catch {
    return malformed(`${where}: signature is not canonical standard base64`);
  }
  if (decoded.length < 5) {
    malformed(`${where}: signature has ${decoded.length} bytes, expected a 4-byte key ID and a signature`);
  }
  return {
    name,
    keyHash: decoded.slice(0, 4),
    signature: decoded.slice(4),
    line: `${line}\n`,
  };
}
