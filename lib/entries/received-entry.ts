/**
 * A log entry as received, before it is proven (docs/contracts.md, "Identity monitoring").
 *
 * Entry sources (one per log type, lib/entries/) produce these; the scan (lib/scan/) proves that
 * each `leaf` is in the verified tree before anything reads it; the matchers (lib/identity/) see
 * only proven entries.
 */

/** How an entry's leaf is encoded: one per log type (Rekor v2 is a `tiles` log). */
export type EntryFormat = 'rekor-v1' | 'rekor-v2' | 'ct' | 'static-ct';

export interface ReceivedEntry {
  /** Index of the leaf in the tree the verified head signs (for Rekor v1: in its shard's tree). */
  readonly index: bigint;
  /**
   * The exact bytes whose RFC 6962 leaf hash, SHA-256(0x00 ‖ leaf) (RFC 9162 §2.1.1), is in the tree:
   * - rekor-v1: the canonicalized entry body (the base64-decoded `body`);
   * - rekor-v2: the entry as stored in the entry bundle (c2sp.org/tlog-tiles);
   * - ct: the MerkleTreeLeaf (`leaf_input`, RFC 6962 §3.4);
   * - static-ct: the MerkleTreeLeaf rebuilt from the TileLeaf (c2sp.org/static-ct-api).
   */
  readonly leaf: Uint8Array;
  /**
   * What the log serves beside the leaf that the tree does not sign: CT `extra_data` (the chain),
   * static-ct's chain fingerprints. Usable only where its own signatures prove it (a chain to
   * `caRoots`); never a match by itself.
   */
  readonly unsigned?: Uint8Array;
}
