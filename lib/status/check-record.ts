/**
 * What the CLI remembers of each log's checks besides its head, for `tlog-monitor status`: the
 * last status and when, the last clean check, and the open conditions. A condition opens with the
 * first check that is not clean and stays open, counting checks, until a clean check closes every
 * condition of the log: the same rule by which the Lambda sends `new` and `resolved` alerts
 * (docs/contracts.md, "Alerts (SNS)"). The head itself is never taken from here.
 */
import { TlogError } from '../errors.ts';
import { CHECK_STATUSES, type CheckResult, type CheckStatus, isClean } from '../monitor/check-result.ts';

export interface OpenCondition {
  readonly status: CheckStatus;
  /** ISO 8601: the first check with this status since the last clean one. */
  readonly since: string;
  /** ISO 8601: the latest check with this status. */
  readonly lastSeen: string;
  /** How many checks have had this status since it opened. */
  readonly checks: number;
  readonly message?: string;
}

export interface CheckRecord {
  readonly lastStatus: CheckStatus;
  /** ISO 8601 */
  readonly lastCheckedAt: string;
  readonly lastMessage?: string;
  /** ISO 8601: the last check that was clean (initialized, verified, unchanged). */
  readonly lastCleanAt?: string;
  readonly open: readonly OpenCondition[];
}

/** The record after one more check, finished at `at` (ISO 8601). */
export function nextCheckRecord(prev: CheckRecord | undefined, result: CheckResult, at: string): CheckRecord {
  const message = result.message !== undefined ? { lastMessage: result.message } : {};
  if (isClean(result.status)) {
    return { lastStatus: result.status, lastCheckedAt: at, ...message, lastCleanAt: at, open: [] };
  }
  const open = [...(prev?.open ?? [])];
  const i = open.findIndex((c) => c.status === result.status);
  const seen = {
    status: result.status,
    since: i >= 0 ? (open[i] as OpenCondition).since : at,
    lastSeen: at,
    checks: i >= 0 ? (open[i] as OpenCondition).checks + 1 : 1,
    ...(result.message !== undefined ? { message: result.message } : {}),
  };
  if (i >= 0) open[i] = seen;
  else open.push(seen);
  return {
    lastStatus: result.status,
    lastCheckedAt: at,
    ...message,
    ...(prev?.lastCleanAt !== undefined ? { lastCleanAt: prev.lastCleanAt } : {}),
    open,
  };
}

const STATUSES: ReadonlySet<string> = new Set<string>(CHECK_STATUSES);

/** Checks a record read back from a file; `where` names it in the error. */
export function validateCheckRecord(v: unknown, where: string): CheckRecord {
  const bad = (why: string): never => {
    throw new TlogError('state/corrupt', `${where}: ${why}`);
  };
  if (typeof v !== 'object' || v === null) return bad('not a JSON object');
  const r = v as Record<string, unknown>;
  if (typeof r.lastStatus !== 'string' || !STATUSES.has(r.lastStatus))
    bad(`lastStatus must be a check status, got ${JSON.stringify(r.lastStatus)}`);
  if (typeof r.lastCheckedAt !== 'string') bad('lastCheckedAt must be a string');
  if (r.lastCleanAt !== undefined && typeof r.lastCleanAt !== 'string') bad('lastCleanAt must be a string');
  if (!Array.isArray(r.open)) return bad('open must be an array');
  for (const [i, c] of (r.open as unknown[]).entries()) {
    const o = c as Record<string, unknown> | null;
    if (typeof o?.status !== 'string' || !STATUSES.has(o.status))
      bad(`open[${i}].status is not a check status`);
    if (typeof o?.since !== 'string' || typeof o?.lastSeen !== 'string')
      bad(`open[${i}] needs since and lastSeen`);
    if (typeof o?.checks !== 'number' || !Number.isSafeInteger(o.checks) || o.checks < 1)
      bad(`open[${i}].checks must be a positive integer`);
  }
  return r as unknown as CheckRecord;
}
