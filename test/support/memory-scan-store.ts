/** An in-memory ScanStore with the same compare-and-set semantics as the real ones, for unit tests. */
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { matchKey } from '../../lib/scan/match-key.ts';
import type { RangeResult, ScanCursor, ScanStore, StoredScan } from '../../lib/scan/scan-store.ts';

export class MemoryScanStore implements ScanStore {
  readonly scans = new Map<string, StoredScan>();
  readonly pending = new Map<string, IdentityMatch[]>();
  readonly ranges = new Map<string, RangeResult>();
  /** Every cursor committed, in order (to assert the cursor never passed an unproven entry). */
  readonly commits: { log: string; cursor: ScanCursor; matches: readonly IdentityMatch[] }[] = [];
  /** Runs before each commitScan: lets a test make another writer win the race. */
  beforeCommit?: (log: string) => void | Promise<void>;

  async loadScan(log: string): Promise<StoredScan | undefined> {
    return this.scans.get(log);
  }

  async commitScan(
    log: string,
    expectedVersion: number,
    cursor: ScanCursor,
    matches: readonly IdentityMatch[],
  ): Promise<boolean> {
    await this.beforeCommit?.(log);
    if ((this.scans.get(log)?.version ?? 0) !== expectedVersion) return false;
    this.scans.set(log, { version: expectedVersion + 1, cursor });
    const list = this.pending.get(log) ?? [];
    const known = new Set(list.map((m) => matchKey(log, m)));
    for (const m of matches) if (!known.has(matchKey(log, m))) list.push(m);
    this.pending.set(log, list);
    this.commits.push({ log, cursor, matches });
    return true;
  }

  async pendingMatches(log: string): Promise<readonly IdentityMatch[]> {
    return [...(this.pending.get(log) ?? [])];
  }

  async markDelivered(log: string, matches: readonly IdentityMatch[]): Promise<void> {
    const done = new Set(matches.map((m) => matchKey(log, m)));
    this.pending.set(
      log,
      (this.pending.get(log) ?? []).filter((m) => !done.has(matchKey(log, m))),
    );
  }

  async putRangeResult(log: string, result: RangeResult): Promise<void> {
    this.ranges.set(`${log}/${result.start}`, result);
  }

  async loadRangeResult(log: string, start: bigint): Promise<RangeResult | undefined> {
    return this.ranges.get(`${log}/${start}`);
  }

  async deleteRangeResult(log: string, start: bigint): Promise<void> {
    this.ranges.delete(`${log}/${start}`);
  }
}
