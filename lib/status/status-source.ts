/**
 * Where `tlog-monitor status` reads a log's state from: the CLI's state files, or the Lambda
 * deployment's DynamoDB table (lib/aws/dynamodb-status-source.ts). Read only.
 */
import type { StoredState } from '../monitor/state-store.ts';
import type { CheckRecord } from './check-record.ts';

/** A condition that is alerting (Lambda) or would alert (CLI) until the log checks clean again. */
export interface OpenAlert {
  readonly status: string;
  /** The condition key when it differs from the status (e.g. `split-view-fork`). */
  readonly condition: string;
  /** ISO 8601: when the condition was first seen. */
  readonly since: string;
  /** ISO 8601: the latest check (CLI) or notice (Lambda) of this condition. */
  readonly lastSeen?: string;
  /** Checks (CLI) or notices sent (Lambda) for this condition so far. */
  readonly count?: number;
  readonly message?: string;
}

/**
 * Identity monitoring's scan position (docs/contracts.md, "Identity monitoring"): the next entry index
 * to scan. Shown by `status` once a state store keeps it.
 */
export interface ScanCursor {
  readonly nextIndex: string;
  /** ISO 8601, when known. */
  readonly updatedAt?: string;
}

export interface StatusSource {
  /** Names the source in the output (a state directory, a table). */
  readonly description: string;
  /** The stored head, exactly as stored (the caller re-verifies it). */
  loadHead(log: string): Promise<StoredState | undefined>;
  /** The last check and open conditions, where the source records them. */
  checkRecord(log: string): Promise<CheckRecord | undefined>;
  /** Open alert conditions. */
  openAlerts(log: string): Promise<readonly OpenAlert[]>;
  /**
   * HOOK for identity monitoring: the scan cursor, when the store keeps one. The file state has
   * no scan record yet (it returns undefined); the DynamoDB source reads the `SCAN` item.
   */
  scanCursor(log: string): Promise<ScanCursor | undefined>;
}
