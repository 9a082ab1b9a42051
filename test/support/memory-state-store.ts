/** An in-memory StateStore with the same compare-and-set semantics as the real ones, for unit tests. */
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import type { StateStore, StoredHead, StoredState } from '../../lib/monitor/state-store.ts';

export class MemoryStateStore implements StateStore {
  readonly heads = new Map<string, StoredState>();
  readonly evidence: CheckResult[] = [];
  /** Runs before each compare-and-set: lets a test make another writer win the race. */
  beforeCompareAndSet?: (log: string) => void | Promise<void>;
  failEvidence = false;

  async load(log: string): Promise<StoredState | undefined> {
    return this.heads.get(log);
  }

  async compareAndSet(log: string, expectedVersion: number, head: StoredHead): Promise<boolean> {
    await this.beforeCompareAndSet?.(log);
    const current = this.heads.get(log)?.version ?? 0;
    if (current !== expectedVersion) return false;
    this.heads.set(log, { version: expectedVersion + 1, head });
    return true;
  }

  async recordEvidence(_log: string, result: CheckResult): Promise<void> {
    if (this.failEvidence) throw new Error('evidence store unavailable');
    this.evidence.push(result);
  }
}
