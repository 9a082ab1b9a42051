/**
 * The state-store port. Implementations: lib/local/file-state-store.ts (CLI) and the DynamoDB
 * store (Lambda). Both give the same compare-and-set semantics: the head moves only if the
 * version read at the start of the check is still the stored one.
 */
import type { CheckResult } from './check-result.ts';

/** The last verified head of one log, as stored. */
export interface StoredHead {
  /** The signed head as received (a note keeps only its verified signature lines); re-verified whenever it is read back. */
  readonly signed: string;
  readonly size: string; // decimal
  readonly root: string; // base64
  readonly origin: string;
  readonly shard?: string;
  readonly verifiedAt: string; // ISO 8601
  /**
   * Rekor v1 shard memory: the last verified head of every other shard this log was seen on
   * (a shard that comes back, or is listed again, must be consistent with it). Each `signed` is
   * re-verified with the pinned key before a check relies on it.
   */
  readonly retiredShards?: readonly RememberedShard[];
}

/** The last verified head of a shard the log is no longer on. */
export interface RememberedShard {
  readonly shard: string;
  readonly signed: string;
  readonly size: string; // decimal
  readonly root: string; // base64
}

export interface StoredState {
  readonly head: StoredHead;
  /** Increases by one with every write; 0 means "no head stored". */
  readonly version: number;
}

export interface StateStore {
  load(log: string): Promise<StoredState | undefined>;
  /**
   * Stores `head` as version `expectedVersion + 1` if and only if the stored version is still
   * `expectedVersion` (0: nothing stored). Returns false, writing nothing, if another writer won.
   */
  compareAndSet(log: string, expectedVersion: number, head: StoredHead): Promise<boolean>;
  /**
   * Keeps misbehaviour evidence; it never expires and never replaces the head. Returns where it
   * was kept (a file path, an item key) when the store can name it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a store that cannot name the place returns nothing
  recordEvidence(log: string, result: CheckResult): Promise<string | void>;
}

/**
 * Checks the shape of stored shard memory (JSON read back from a store); throws Error naming
 * the first bad field. The heads themselves are re-verified by the check (shard-memory.ts).
 */
export function parseRememberedShards(v: unknown): RememberedShard[] {
  if (!Array.isArray(v)) throw new Error('not an array');
  return v.map((r, i) => {
    const o = r as Record<string, unknown> | null;
    for (const f of ['shard', 'signed', 'size', 'root'] as const) {
      if (typeof o?.[f] !== 'string') throw new Error(`[${i}].${f} must be a string`);
    }
    const { shard, signed, size, root } = o as Record<string, string>;
    return { shard, signed, size, root } as RememberedShard;
  });
}
