/**
 * The LogClient port: one implementation per log type (rekor-v1, ct; tiles and static-ct later).
 * A client fetches over the HttpClient port it is given, verifies every signed head against the
 * pinned key before parsing anything else out of it, and returns heads with exactly the bytes it
 * received, so they can be stored and shown as evidence.
 */

export type LogType = 'rekor-v1' | 'ct' | 'tiles' | 'static-ct';

/** A signed tree head whose signature has been verified against the pinned key. */
export interface VerifiedHead {
  /** Tree size, from the signed data. */
  readonly size: bigint;
  /** 32-byte root hash, from the signed data. */
  readonly rootHash: Uint8Array;
  /**
   * The signed artifact exactly as received: the signed-note text for checkpoints, the
   * get-sth JSON text for CT. Anyone with the key can re-verify it offline.
   */
  readonly signed: string;
  /** Checkpoint origin line, or for CT the log URL. */
  readonly origin: string;
  /** Rekor v1 tree ID (the shard), when the log has shards. */
  readonly shard?: string;
  /** Timestamp in the signed data (ms since the epoch), when there is one. */
  readonly timestamp?: bigint;
  /** Tile logs with configured witnesses: the witnesses whose cosignatures verified. */
  readonly witnesses?: readonly string[];
}

/** What the log says now: its current head, and for Rekor the final heads of its retired shards. */
export interface LogView {
  readonly head: VerifiedHead;
  /** Verified final heads of inactive shards (Rekor v1 `inactiveShards`), oldest first. */
  readonly inactiveShards?: readonly VerifiedHead[];
  /**
   * Inactive shards whose final head does not verify with the pinned key, by the tree ID the
   * answer gives them, with the error. Rekor allows a key per shard, so a shard retired before
   * a key rotation is expected here; the error counts only if the stored head is on that shard.
   */
  readonly unverifiedShards?: ReadonlyMap<string, Error>;
}

/** A consistency proof as received, with its parsed hashes. */
export interface ReceivedProof {
  readonly hashes: readonly Uint8Array[];
  /** The response body exactly as received, for evidence. */
  readonly raw: string;
}

export interface LogClient {
  readonly type: LogType;
  /** Fetches and verifies the current head. Throws TlogError. */
  fetchView(): Promise<LogView>;
  /**
   * Fetches the proof that `second` extends `first` (first.size < second.size, same shard).
   * Only fetches and parses; the caller verifies it.
   */
  fetchConsistencyProof(first: VerifiedHead, second: VerifiedHead): Promise<ReceivedProof>;
  /** Re-verifies a stored signed head (state read back is never trusted unverified). Throws TlogError. */
  verifyStoredHead(signed: string): VerifiedHead;
}
