/**
 * The state-store port. Implementations: lib/local/file-state-store.ts (CLI) and the DynamoDB
 * store (Lambda). Both give the same compare-and-set semantics: the head moves only if the
 * version read at the start of the check is still the stored one.
 */
import type { CheckResult } from './check-result.ts';

/** The last verified head of one log, as stored. */
export interface StoredHead {
  /** The signed head exactly as received from the log; re-verified whenever it is read back. */
  readonly signed: string;
  readonly size: string; // decimal
  readonly root: string; // base64
  readonly origin: string;
  readonly shard?: string;
  readonly verifiedAt: string; // ISO 8601
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
