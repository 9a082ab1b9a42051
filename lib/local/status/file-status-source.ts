/** `tlog-monitor status` from the CLI's state files (FileStateStore). */

import type { CheckRecord } from '../../status/check-record.ts';
import type { OpenAlert, ScanCursor, StatusSource } from '../../status/status-source.ts';
import type { FileStateStore } from '../file-state-store.ts';

export class FileStatusSource implements StatusSource {
  readonly description: string;
  readonly #store: FileStateStore;

  constructor(store: FileStateStore, description: string) {
    this.#store = store;
    this.description = description;
  }

  loadHead(log: string) {
    return this.#store.load(log);
  }

  checkRecord(log: string): Promise<CheckRecord | undefined> {
    return this.#store.loadCheckRecord(log);
  }

  async openAlerts(log: string): Promise<readonly OpenAlert[]> {
    const record = await this.#store.loadCheckRecord(log);
    return (record?.open ?? []).map((c) => ({
      status: c.status,
      condition: c.status,
      since: c.since,
      lastSeen: c.lastSeen,
      count: c.checks,
      ...(c.message !== undefined ? { message: c.message } : {}),
    }));
  }

  /** The file layout keeps no scan cursor yet: identity monitoring will add it here. */
  async scanCursor(_log: string): Promise<ScanCursor | undefined> {
    return undefined;
  }
}
