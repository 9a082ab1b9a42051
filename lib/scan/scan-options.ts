/**
 * What a scan of one log may do per run (docs/contracts.md, "Identity monitoring"). `startIndex` comes
 * from the log's `identities` config; the budget bounds one check, and a scan that stops early
 * continues from its cursor at the next check.
 */
export interface ScanOptions {
  /** First entry to scan; by default the size of the first verified head (new entries only). */
  readonly startIndex?: bigint;
  /** Most entries one run scans. */
  readonly maxEntries?: bigint;
  /** Most time one run scans, in ms (checked between chunks). */
  readonly maxMillis?: number;
  /** Entries fetched, proven and committed at a time (their bytes are held in memory until matched). */
  readonly chunkEntries?: number;
}

export const DEFAULT_MAX_ENTRIES = 200_000n;
export const DEFAULT_MAX_MILLIS = 50_000;
export const DEFAULT_CHUNK_ENTRIES = 4096;

export interface ScanBudget {
  readonly maxEntries: bigint;
  readonly maxMillis: number;
  readonly chunkEntries: bigint;
}

export function scanBudget(options: ScanOptions): ScanBudget {
  return {
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxMillis: options.maxMillis ?? DEFAULT_MAX_MILLIS,
    chunkEntries: BigInt(options.chunkEntries ?? DEFAULT_CHUNK_ENTRIES),
  };
}
