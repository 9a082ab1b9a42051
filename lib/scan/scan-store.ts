/**
 * The scan state port (docs/contracts.md, "DynamoDB state": SCAN and MATCH# items). Implementations: the file
 * store (CLI) and the DynamoDB store (Lambda). The cursor moves only by compare-and-set, and the
 * matches of the entries it passes are stored in the same step, so a match is neither lost (the
 * cursor never passes an entry whose matches are not stored) nor stored twice (a match is keyed
 * by its index, matcher and rule).
 */
import type { IdentityMatch, SkippedEntry } from '../identity/identity-match.ts';

/** How far the scan of one log has got, proven: every entry below `next` is in the verified tree. */
export interface ScanCursor {
  /** The next entry index to scan. */
  readonly next: bigint;
  /**
   * The compact range of [0, next) (RFC 9162 §2.1 decomposition into perfect subtrees, left to
   * right, largest first): folding the entries from `next` on into it rebuilds a signed root.
   */
  readonly range: readonly Uint8Array[];
  /** Rekor v1 tree ID the indices belong to, when the log has shards. */
  readonly shard?: string;
}

export interface StoredScan {
  readonly cursor: ScanCursor;
  /** Increases by one with every write; 0 means nothing stored. */
  readonly version: number;
}

/** The proven result of scanning [start, end): computed in any order, committed in index order. */
export interface RangeResult {
  readonly start: bigint;
  readonly end: bigint;
  /** The compact range of the leaves [start, end) (RFC 9162 §2.1 subtrees), left to right. */
  readonly nodes: readonly Uint8Array[];
  readonly matches: readonly IdentityMatch[];
  readonly skipped: readonly SkippedEntry[];
  readonly shard?: string;
}

export interface ScanStore {
  loadScan(log: string): Promise<StoredScan | undefined>;
  /**
   * Moves the cursor to `cursor` if and only if the stored version is still `expectedVersion`, and
   * stores `matches` as pending delivery (each once). Returns false, writing no cursor, if another
   * writer won.
   */
  commitScan(
    log: string,
    expectedVersion: number,
    cursor: ScanCursor,
    matches: readonly IdentityMatch[],
  ): Promise<boolean>;
  /** Matches stored by commitScan and not yet marked delivered, in index order. */
  pendingMatches(log: string): Promise<readonly IdentityMatch[]>;
  /** Marks matches delivered (after the alert or the matches file has them). */
  markDelivered(log: string, matches: readonly IdentityMatch[]): Promise<void>;
  /** Fan-out: a range scanned ahead of the cursor, kept until it is committed in index order. */
  putRangeResult(log: string, result: RangeResult): Promise<void>;
  loadRangeResult(log: string, start: bigint): Promise<RangeResult | undefined>;
  deleteRangeResult(log: string, start: bigint): Promise<void>;
}
