/** Signed notes (c2sp.org/signed-note), note verifiers and checkpoints (c2sp.org/tlog-checkpoint). */
export {
  type Checkpoint,
  checkOrigin,
  type OriginMatcher,
  parseCheckpoint,
  verifyCheckpoint,
} from './checkpoint.ts';
export { ecdsaNoteVerifier } from './ecdsa-verifier.ts';
export { ed25519NoteVerifier } from './ed25519-verifier.ts';
export {
  c2spKeyHash,
  keyLabel,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ECDSA,
  SIG_TYPE_ED25519,
  SIG_TYPE_RFC6962_STH,
} from './key-hash.ts';
export {
  assertNoteCharacters,
  decodeNote,
  isValidKeyName,
  MAX_NOTE_SIGNATURES,
  type NoteSignature,
  parseNote,
  type SignedNote,
} from './note.ts';
export type { NoteVerifier } from './verifier.ts';
export { type VerifiedNote, verifyNote } from './verify-note.ts';
export { parseVerifierKey } from './vkey.ts';
