/**
 * `tlog-monitor status`: for each configured log, its verified head (re-verified with the pinned
 * key, never shown as stored), when it was last verified and how long ago, the last status, the
 * open alerts and, once identity monitoring keeps one, the scan cursor. Reads state only: no
 * request goes to any log.
 */
import type { LogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import type { Clock, HttpClient } from '../http/ports.ts';
import { createLogClient } from '../logs/create-client.ts';
import { loadVerified } from '../monitor/check.ts';
import type { StateStore } from '../monitor/state-store.ts';
import type { OpenAlert, ScanCursor, StatusSource } from './status-source.ts';

export interface LogStatus {
  readonly log: string;
  readonly type: string;
  readonly url: string;
  readonly interval: string;
  /** The stored head, after its signature verified with the pinned key. */
  readonly head?: { readonly size: string; readonly root: string; readonly shard?: string };
  /** ISO 8601: when the stored head was first verified and stored. */
  readonly headStoredAt?: string;
  /** ISO 8601: the last clean check (the head re-proven against the log), else headStoredAt. */
  readonly lastVerifiedAt?: string;
  /** Whole seconds from lastVerifiedAt to now. */
  readonly lastVerifiedAgeSeconds?: number;
  readonly lastStatus?: string;
  readonly lastCheckedAt?: string;
  readonly lastMessage?: string;
  readonly openAlerts: readonly OpenAlert[];
  readonly scan?: ScanCursor;
  /** What could not be read or verified, each naming why. */
  readonly problems: readonly string[];
}

/** No request goes out from `status`: a client built on this fails any that is tried. */
const NO_NETWORK: HttpClient = {
  get: async (url) => {
    throw new TlogError('http/network', `status reads state only; it does not fetch ${url}`);
  },
};

const readOnly = (source: StatusSource): StateStore => ({
  load: (log) => source.loadHead(log),
  compareAndSet: async () => {
    throw new TlogError('state/io', 'status does not write state');
  },
  recordEvidence: async () => {
    throw new TlogError('state/io', 'status does not write state');
  },
});

export async function logStatus(log: LogConfig, source: StatusSource, clock: Clock): Promise<LogStatus> {
  const problems: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (e) {
      problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
  const state = await attempt('stored head', async () =>
    loadVerified(log.name, { client: createLogClient(log, NO_NETWORK), store: readOnly(source) }),
  );
  const record = await attempt('last check', () => source.checkRecord(log.name));
  const alerts = (await attempt('open alerts', () => source.openAlerts(log.name))) ?? [];
  const scan = await attempt('scan cursor', () => source.scanCursor(log.name));

  const lastVerifiedAt = state ? (record?.lastCleanAt ?? state.head.verifiedAt) : undefined;
  const age = lastVerifiedAt !== undefined ? (clock.now() - Date.parse(lastVerifiedAt)) / 1000 : undefined;
  return {
    log: log.name,
    type: log.type,
    url: log.url,
    interval: log.interval,
    ...(state
      ? {
          head: {
            size: state.head.size,
            root: state.head.root,
            ...(state.head.shard !== undefined ? { shard: state.head.shard } : {}),
          },
          headStoredAt: state.head.verifiedAt,
        }
      : {}),
    ...(lastVerifiedAt !== undefined ? { lastVerifiedAt } : {}),
    ...(age !== undefined && Number.isFinite(age)
      ? { lastVerifiedAgeSeconds: Math.max(0, Math.floor(age)) }
      : {}),
    ...(record
      ? {
          lastStatus: record.lastStatus,
          lastCheckedAt: record.lastCheckedAt,
          ...(record.lastMessage !== undefined ? { lastMessage: record.lastMessage } : {}),
        }
      : {}),
    openAlerts: alerts,
    ...(scan ? { scan } : {}),
    problems,
  };
}

/** Every log's status, in config order. */
export function statusOf(
  logs: readonly LogConfig[],
  source: StatusSource,
  clock: Clock,
): Promise<LogStatus[]> {
  return Promise.all(logs.map((log) => logStatus(log, source, clock)));
}
