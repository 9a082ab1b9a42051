/**
 * Transparency log checkpoints (c2sp.org/tlog-checkpoint, "Note text"): a signed note whose text is
 *
 *     <origin>\n<tree size, decimal>\n<base64 root hash>\n[<extension line>\n]*
 */
import { fromBase64, preview } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { MAX_TREE_SIZE } from '../merkle/bits.ts';
import { assertNoteCharacters } from './note.ts';
import type { NoteVerifier } from './verifier.ts';
import { type VerifiedNote, verifyNote } from './verify-note.ts';

export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  /** The RFC 6962 Merkle tree root hash at `size` (32 bytes). */
  readonly rootHash: Uint8Array;
  /** Opaque extension lines (e.g. Rekor v1 "Timestamp: <ns>"), each non-empty. */
  readonly extensions: readonly string[];
}

/** A matcher for the origin line: exact string, or a predicate (e.g. Rekor v1 "<host> - <tree ID>"). */
export type OriginMatcher = string | ((origin: string) => boolean);

const SIZE_RE = /^(?:0|[1-9][0-9]*)$/;

function malformed(message: string): never {
  throw new TlogError('checkpoint/malformed', `malformed checkpoint: ${message}`);
}

/** Parses checkpoint note text (the signed body, ending in a newline). Throws 'checkpoint/malformed'. */
export function parseCheckpoint(body: string): Checkpoint {
  assertNoteCharacters(body, 'checkpoint/malformed', 'checkpoint');
  if (!body.endsWith('\n')) malformed('text does not end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) {
    malformed(
      `expected origin, tree size and root hash lines, got ${lines.length} line(s): ${preview(body)}`,
    );
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];

  if (origin.length === 0) malformed('origin line 1 is empty');

  // "ASCII decimal ... with no leading zeroes (unless the tree is empty ...)"
  if (!SIZE_RE.test(sizeLine) || sizeLine.length > 20) {
    malformed(`tree size line 2 ${preview(sizeLine)} is not a decimal number without sign or leading zeros`);
  }
  const size = BigInt(sizeLine);
  if (size > MAX_TREE_SIZE) malformed(`tree size ${sizeLine} exceeds 2^64-1`);

  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootLine, 'checkpoint/malformed');
  } catch {
    return malformed(`root hash line 3 ${preview(rootLine)} is not canonical standard base64`);
  }
  if (rootHash.length !== 32) {
    malformed(`root hash line 3 ${preview(rootLine)} decodes to ${rootHash.length} bytes, expected 32`);
  }

  extensions.forEach((line, i) => {
    if (line.length === 0) malformed(`extension line ${i + 4} is empty`);
  });
  return { origin, size, rootHash, extensions };
}

/** Checks the origin against the configured matcher. Throws 'checkpoint/origin-mismatch'. */
export function checkOrigin(origin: string, expected: OriginMatcher): void {
  if (typeof expected === 'string') {
    if (origin !== expected) {
      throw new TlogError(
        'checkpoint/origin-mismatch',
        `checkpoint origin ${preview(origin, 120)} does not match the expected origin ${preview(expected, 120)}`,
        { expected, actual: origin },
      );
    }
  } else if (!expected(origin)) {
    throw new TlogError(
      'checkpoint/origin-mismatch',
      `checkpoint origin ${preview(origin, 120)} is not accepted by the configured origin rule`,
      { actual: origin },
    );
  }
}

/**
 * Verifies a signed checkpoint: the note signature first (against pinned keys only), then the
 * body's format, then the origin if one is expected.
 */
export function verifyCheckpoint(
  text: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  expectedOrigin?: OriginMatcher,
): { note: VerifiedNote; checkpoint: Checkpoint } {
  const note = verifyNote(text, verifiers);
  const checkpoint = parseCheckpoint(note.body);
  if (expectedOrigin !== undefined) checkOrigin(checkpoint.origin, expectedOrigin);
  return { note, checkpoint };
}
