/** The port every note signature algorithm implements (c2sp.org/signed-note, "Signatures"). */
export interface NoteVerifier {
  /** The key name that must appear on the signature line. */
  readonly name: string;
  /** The 4-byte key ID that must start the decoded signature. */
  readonly keyHash: Uint8Array;
  /**
   * Match signature lines by key ID alone, whatever their key name. Only for Rekor v1 with no
   * configured origin: a Rekor server signs with its host name, which is often not known in
   * advance (a pod name on Kubernetes), and Rekor's own client finds its line by key ID too.
   */
  readonly anyName?: boolean;
  /**
   * Verifies `signature` (the bytes after the key ID) over `message` (the UTF-8 note text).
   * Returns false for any invalid signature; never throws on one.
   */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}
