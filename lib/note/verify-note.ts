/**
 * Signed-note verification against pinned keys (c2sp.org/signed-note, "Signatures"):
 * - a signature is from a known key only if its key name AND key ID both match a verifier (or,
 *   for a verifier marked `anyName`, its key ID alone);
 * - signatures from unknown keys are ignored (witness cosignatures, rotated keys, other names);
 * - a signature from a known key that fails to verify rejects the whole note;
 * - a note with no verified signature from a known key is rejected.
 */
import { bytesEqual, utf8 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { keyLabel } from './key-hash.ts';
import { type NoteSignature, parseNote } from './note.ts';
import type { NoteVerifier } from './verifier.ts';

export interface VerifiedNote {
  /** The whole note as received. */
  readonly text: string;
  /** The signed message (note text without the blank line and signatures). */
  readonly body: string;
  /** The known keys whose signatures verified, in signature order, each once. */
  readonly verifiedBy: readonly { readonly name: string; readonly keyHash: Uint8Array }[];
  /** Every signature line, verified or not (e.g. witness cosignatures to check separately). */
  readonly signatures: readonly NoteSignature[];
  /** The lines whose signatures verified with a known key, in note order. */
  readonly verifiedSignatures: readonly NoteSignature[];
}

/** True if `sig` claims `v`'s key: key ID equal (constant time) and the name equal unless `anyName`. */
export function claimsKey(v: NoteVerifier, sig: NoteSignature): boolean {
  // Name compared literally (never as a pattern); key ID compared in constant time.
  if (!v.anyName && v.name !== sig.name) return false;
  return bytesEqual(v.keyHash, sig.keyHash);
}

/**
 * The note re-assembled from its signed text and the given signature lines only (for storage:
 * unsigned or unknown lines a log added are dropped, and the result still verifies the same way).
 */
export function noteWithLines(body: string, lines: readonly NoteSignature[]): string {
  return `${body}\n${lines.map((s) => s.line).join('')}`;
}

/**
 * Verifies every signature whose key name AND key ID match one of `verifiers` (c2sp.org/signed-note:
 * "If the key name and ID match a known key, verifiers MUST verify the signature"); signatures
 * from unknown keys are skipped. Returns the verifiers that verified, one entry per matching line.
 * Throws 'note/bad-signature' on the first one that fails; `what` names the signature in the
 * message (e.g. "signature by known key", "cosignature by configured witness").
 */
export function verifyKnownSignatures(
  message: Uint8Array,
  signatures: readonly NoteSignature[],
  verifiers: readonly NoteVerifier[],
  what: string,
): NoteVerifier[] {
  const verified: NoteVerifier[] = [];
  for (const sig of signatures) {
    for (const v of verifiers) {
      if (!claimsKey(v, sig)) continue;
      if (!v.verify(message, sig.signature)) {
        throw new TlogError(
          'note/bad-signature',
          `${what} ${keyLabel(sig.name, sig.keyHash)} does not verify over the note text`,
          { signer: sig.name, keyHash: keyLabel(sig.name, sig.keyHash), line: sig.line },
        );
      }
      verified.push(v);
    }
  }
  return verified;
}

/**
 * Parses and verifies a signed note. Throws TlogError 'note/malformed',
 * 'note/too-many-signatures', 'note/bad-signature' or 'note/no-verified-signature'.
 */
export function verifyNote(text: string | Uint8Array, verifiers: readonly NoteVerifier[]): VerifiedNote {
  const note = parseNote(text);
  const verified = verifyKnownSignatures(
    utf8(note.body),
    note.signatures,
    verifiers,
    'signature by known key',
  );
  const verifiedBy: { name: string; keyHash: Uint8Array }[] = [];
  for (const v of verified) {
    if (!verifiedBy.some((k) => k.name === v.name && bytesEqual(k.keyHash, v.keyHash))) {
      verifiedBy.push({ name: v.name, keyHash: v.keyHash.slice() });
    }
  }

  if (verifiedBy.length === 0) {
    const present = note.signatures.map((s) => keyLabel(clip(s.name), s.keyHash));
    const expected = verifiers.map((v) => keyLabel(v.anyName ? '(any name)' : v.name, v.keyHash));
    throw new TlogError(
      'note/no-verified-signature',
      `no signature from a known key: note is signed by [${present.join(', ')}], expected one of [${expected.join(', ')}]`,
      { present, expected },
    );
  }
  const verifiedSignatures = note.signatures.filter((sig) => verifiers.some((v) => claimsKey(v, sig)));
  return { text: note.text, body: note.body, verifiedBy, signatures: note.signatures, verifiedSignatures };
}

/** Names come from untrusted input: keep messages bounded. */
function clip(name: string): string {
  return name.length > 80 ? `${name.slice(0, 80)}…` : name;
}
