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
  /**
   * Timestamp in the signed data (ms since the epoch), when there is one: the CT STH timestamp,
   * a static-ct checkpoint's RFC6962NoteSignature timestamp, Rekor v1's `Timestamp:` line.
   */
  readonly timestamp?: bigint;
  /**
   * What to store instead of `signed` when that carries more than verifies it (a note padded
   * with unknown signature lines): the signed text with only the verified signature lines.
   * It re-verifies to the same head. Evidence always keeps `signed`, exactly as received.
   */
  readonly storable?: string;
  /** Tile logs with configured witnesses: the witnesses whose cosignatures verified. */
  readonly witnesses?: readonly string[];
}

/**
 * A retired shard as the log lists it (Rekor v1 `inactiveShards`): tree ID, size and root as
 * listed (unsigned), and its final signed head, verified only when a check needs that shard.
 */
export interface RetiredShard {
  readonly shard: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /**
   * Verifies the listed final head with the pinned key and cross-checks the listed fields
   * (memoized). Throws TlogError: Rekor allows a key per shard, so a shard retired before a key
   * rotation does not verify, and that counts only for a check that needs the shard.
   */
  verify(): VerifiedHead;
}

/** What the log says now: its current head, and for Rekor v1 its retired shards. */
export interface LogView {
  readonly head: VerifiedHead;
  /** Rekor v1 inactive shards, in the order listed. */
  readonly retiredShards?: readonly RetiredShard[];
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
