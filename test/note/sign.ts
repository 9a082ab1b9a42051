/** Test-only signing of notes with throwaway Ed25519 keys (fixed seeds, so tests are deterministic). */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, toBase64, utf8 } from '../../lib/bytes.ts';
import { ed25519NoteVerifier } from '../../lib/note/ed25519-verifier.ts';
import type { NoteVerifier } from '../../lib/note/verifier.ts';

export interface TestSigner {
  readonly name: string;
  readonly verifier: NoteVerifier;
  /** The signature line `— <name> base64(keyHash ‖ sig)\n` over `body`. */
  sigLine(body: string): string;
}

export function testSigner(name: string, seedByte: number): TestSigner {
  const secret = new Uint8Array(32).fill(seedByte);
  const verifier = ed25519NoteVerifier(name, ed25519.getPublicKey(secret));
  return {
    name,
    verifier,
    sigLine: (body) =>
      `\u2014 ${name} ${toBase64(concatBytes(verifier.keyHash, ed25519.sign(utf8(body), secret)))}\n`,
  };
}

/** A signed note: body, blank line, then one line per signer. */
export function signNote(body: string, ...signers: TestSigner[]): string {
  return `${body}\n${signers.map((s) => s.sigLine(body)).join('')}`;
}
