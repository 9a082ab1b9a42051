/** The port every note signature algorithm implements (c2sp.org/signed-note, "Signatures"). */
export interface NoteVerifier {
  /** The key name that must appear on the signature line. */
  readonly name: string;
  /** The 4-byte key ID that must start the decoded signature. */
  readonly keyHash: Uint8Array;
  /**
   * Verifies `signature` (the bytes after the key ID) over `message` (the UTF-8 note text).
   * Returns false for any invalid signature; never throws on one.
   */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}
