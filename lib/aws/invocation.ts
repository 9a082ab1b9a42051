/**
 * One Lambda invocation for one log, composed from ports only (no SDK here, so it is testable
 * with fakes): check (or verify a foreign head) → metrics → alerts.
 *
 * Failure rules (docs/contracts.md, "Lambda", "Alerts"):
 *   - a `monitor-error` (state unreadable, unwritable or corrupt) fails the invocation, so Lambda
 *     retries; the stored head was not moved (check.ts moves it only by compare-and-set);
 *   - metrics that cannot be published fail the invocation (after alerts were attempted);
 *   - each notice is claimed, published, then its state saved (AlertStateStore): a notice that
 *     cannot be published fails the invocation and is not marked sent, so the retry (or the next
 *     run) sends it; concurrent invocations that see the same condition send it once;
 *   - an operational condition is notified only after `failuresBeforeAlert` checks in a row show
 *     it (alert-policy.ts); the failures before are counted in its alert state, nothing sent;
 *   - misbehaviour evidence that could not be stored is still in the alert, and fails the
 *     invocation so the retry stores it.
 */
import { randomUUID } from 'node:crypto';
import { isTlogError, TlogError } from '../errors.ts';
import type { Clock } from '../http/ports.ts';
import type { LogClient } from '../logs/log-client.ts';
import { decideAlerts, updatesWithoutNotice } from '../monitor/alert-policy.ts';
import type { AlertSink, AlertStateStore } from '../monitor/alerts.ts';
import { type CheckDeps, checkLog } from '../monitor/check.ts';
import type { CheckResult } from '../monitor/check-result.ts';
import type { MetricExtras, MetricsSink } from '../monitor/metrics.ts';
import type { StateStore, StoredState } from '../monitor/state-store.ts';
import { verifyForeignCheckpoint } from '../monitor/verify-foreign-checkpoint.ts';
import type { MonitorEvent } from './events.ts';

/**
 * How long a claimed notice is left to the invocation that claimed it. Longer than a publish can
 * take (the SNS client's bounded retries); after it a notice whose sender died is due again.
 */
export const ALERT_LEASE_MS = 120_000;

/** The part of the Lambda context the monitor uses. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Kept after the check for state, metrics and alerts: a quarter of the remaining time, at least this. */
export const MIN_DEADLINE_MARGIN_MS = 5_000;

/**
 * The deadline of the check (Clock milliseconds) in an invocation with `remainingMs` left: every
 * request of the check ends by then (lib/http/deadline.ts), so a slow log yields `unreachable`
 * instead of the function timing out, and the invocation keeps time to store, publish and alert.
 */
export function checkDeadline(now: number, remainingMs: number): number {
  const margin = Math.max(MIN_DEADLINE_MARGIN_MS, remainingMs / 4);
  return now + Math.max(0, Math.floor(remainingMs - margin));
}

/** A state store that can say where it put a piece of evidence. */
export interface EvidenceStore extends StateStore, AlertStateStore {
  putEvidence(log: string, result: CheckResult): Promise<string>;
}

export interface InvocationDeps {
  readonly logName: string;
  /**
   * The log client, or how to build it for this invocation (keys followed through TUF). A
   * factory that throws makes the result `monitor-error` with its message, alerted like any other.
   */
  readonly client: LogClient | (() => Promise<LogClient>);
  readonly store: EvidenceStore;
  readonly metrics: MetricsSink;
  readonly alerts: AlertSink;
  readonly clock: Clock;
  readonly reminderMs: number;
  /** Checks in a row that must show an operational condition before its first notice (alert-policy.ts). */
  readonly failuresBeforeAlert?: number;
  /** The log's configured trusted head, proven against on the very first check. */
  readonly trustedHead?: string;
  /** Where an evidence item is, in words an operator can act on. */
  readonly evidenceRef: (key: string) => string;
  /**
   * The check a scheduled or forced event runs (default: checkLog). With identities configured,
   * the check followed by the identity scan (lib/scan-fanout/check-and-fan-out.ts).
   */
  readonly check?: (deps: CheckDeps) => Promise<CheckResult>;
}

/** Milliseconds spent in each dependency during one invocation. */
export interface Timings {
  log: number;
  state: number;
  metrics: number;
  alerts: number;
  total: number;
}

export interface InvocationReport {
  readonly result: CheckResult;
  readonly timings: Timings;
  readonly alertsSent: number;
  readonly evidenceNotStored: boolean;
  /** The state table failed: HEAD, evidence or alert state could not be read or written. */
  readonly stateFailed: boolean;
  /** Why the invocation fails, if it does. */
  readonly failures: readonly string[];
}

/** Runs one invocation; returns its report, or throws when the invocation must fail (see above). */
export async function runInvocation(event: MonitorEvent, deps: InvocationDeps): Promise<InvocationReport> {
  const report = await invoke(event, deps);
  throwIfFailed(report, deps.logName);
  return report;
}

/** Throws TlogError when the report says the invocation must fail, so that Lambda retries it. */
export function throwIfFailed(report: InvocationReport, logName: string): void {
  if (report.failures.length === 0) return;
  throw new TlogError(
    report.stateFailed ? 'state/io' : 'sink/unavailable',
    `monitor invocation for "${logName}" failed (${report.result.status}): ${report.failures.join('; ')}`,
    { result: report.result, failures: report.failures },
  );
}

/** Like runInvocation, but returns the failures in the report instead of throwing. */
export async function invoke(event: MonitorEvent, deps: InvocationDeps): Promise<InvocationReport> {
  const { clock, logName } = deps;
  const timings: Timings = { log: 0, state: 0, metrics: 0, alerts: 0, total: 0 };
  const begin = clock.now();
  const timed = async <T>(key: keyof Timings, fn: () => Promise<T>): Promise<T> => {
    const t0 = clock.now();
    try {
      return await fn();
    } finally {
      timings[key] += clock.now() - t0;
    }
  };
  let base: LogClient | undefined;
  let notBuilt: unknown;
  try {
    base = typeof deps.client === 'function' ? await timed('log', deps.client) : deps.client;
  } catch (e) {
    notBuilt = e;
  }
  const built = base as LogClient;
  const client: LogClient = {
    type: built?.type,
    fetchView: () => timed('log', () => built.fetchView()),
    fetchConsistencyProof: (a, b) => timed('log', () => built.fetchConsistencyProof(a, b)),
    verifyStoredHead: (s) => built.verifyStoredHead(s),
  };
  let loaded: StoredState | undefined;
  let firstLoad = true;
  let evidenceKey: string | undefined;
  let evidenceError: string | undefined;
  const store: StateStore = {
    load: (log) =>
      timed('state', async () => {
        const s = await deps.store.load(log);
        if (firstLoad) loaded = s;
        firstLoad = false;
        return s;
      }),
    compareAndSet: (log, v, head) => timed('state', () => deps.store.compareAndSet(log, v, head)),
    recordEvidence: (log, result) =>
      timed('state', async () => {
        try {
          evidenceKey = await deps.store.putEvidence(log, result);
        } catch (e) {
          evidenceError = e instanceof Error ? e.message : String(e);
          throw e;
        }
      }),
  };

  const failures: string[] = [];
  const splitView = event.kind === 'verify-checkpoint';
  const result: CheckResult =
    notBuilt !== undefined
      ? {
          log: logName,
          status: 'monitor-error',
          durationMs: Math.max(0, clock.now() - begin),
          message: notBuilt instanceof Error ? notBuilt.message : String(notBuilt),
          errorCode: notBuilt instanceof TlogError ? notBuilt.code : 'internal',
        }
      : event.kind === 'verify-checkpoint'
        ? await verifyForeignCheckpoint(logName, event.checkpoint, { client, store, clock })
        : await (deps.check ?? ((d: CheckDeps) => checkLog(logName, d)))({
            client,
            store,
            clock,
            ...(deps.trustedHead !== undefined ? { trustedHead: deps.trustedHead } : {}),
          });
  if (result.status === 'monitor-error') failures.push(result.message ?? 'monitor error');

  let metricsError: string | undefined;
  if (!splitView) {
    try {
      await timed('metrics', () => deps.metrics.publish(result, metricExtras(result, loaded, clock.now())));
    } catch (e) {
      metricsError = e instanceof Error ? e.message : String(e);
    }
  }

  let alertsSent = 0;
  let alertStateFailed = false;
  try {
    await timed('alerts', async () => {
      const states = await deps.store.loadAlerts(logName);
      const now = clock.now();
      const policy = {
        force: event.kind === 'check',
        splitView,
        ...(deps.failuresBeforeAlert === undefined ? {} : { failuresBeforeAlert: deps.failuresBeforeAlert }),
      };
      const actions = decideAlerts(result, states, now, deps.reminderMs, policy);
      for (const { alert, read, next } of actions) {
        const token = randomUUID();
        const claim = {
          token,
          now: new Date(now).toISOString(),
          leaseUntil: new Date(now + ALERT_LEASE_MS).toISOString(),
        };
        // Another invocation claimed this notice first: it sends it.
        if (!(await deps.store.claimAlert(logName, read, next, claim))) continue;
        const withEvidence = alert.result.evidence !== undefined && alert.kind !== 'resolved';
        try {
          await deps.alerts.publish({
            ...alert,
            ...(withEvidence && evidenceKey !== undefined
              ? { evidenceRef: deps.evidenceRef(evidenceKey) }
              : {}),
            ...(withEvidence && evidenceError !== undefined ? { evidenceNotStored: evidenceError } : {}),
          });
        } catch (e) {
          // Not sent: drop the claim so the retry sends it at once (if this fails too, the claim lapses).
          await deps.store.releaseAlert(logName, next.condition, token).catch(() => {});
          throw e;
        }
        alertsSent++;
        await deps.store.saveAlert(logName, next, token);
      }
      // Failures counted before their first notice, and counts reset by a clean check: the same
      // claim and save, nothing published. A lost claim means another invocation counted it.
      for (const { read, next } of updatesWithoutNotice(result, states, now, policy)) {
        const token = randomUUID();
        const claim = {
          token,
          now: new Date(now).toISOString(),
          leaseUntil: new Date(now + ALERT_LEASE_MS).toISOString(),
        };
        if (await deps.store.claimAlert(logName, read, next, claim)) {
          await deps.store.saveAlert(logName, next, token);
        }
      }
    });
  } catch (e) {
    alertStateFailed = isTlogError(e, 'state/');
    failures.push(e instanceof Error ? e.message : String(e));
  }
  if (metricsError !== undefined) failures.push(metricsError);
  if (evidenceError !== undefined) failures.push(`misbehaviour evidence was not stored: ${evidenceError}`);
  timings.total = clock.now() - begin;
  const evidenceNotStored = evidenceError !== undefined;
  const stateFailed = result.status === 'monitor-error' || evidenceNotStored || alertStateFailed;
  return { result, timings, alertsSent, evidenceNotStored, stateFailed, failures };
}

/**
 * SecondsSinceGrowth: 0 when this check saw growth or stored the first head, else the age of the
 * head stored at the start.
 */
function metricExtras(result: CheckResult, loaded: StoredState | undefined, nowMs: number): MetricExtras {
  if (result.status === 'verified' || result.status === 'initialized') return { secondsSinceGrowth: 0 };
  if (!loaded) return {};
  const at = Date.parse(loaded.head.verifiedAt);
  return Number.isFinite(at) ? { secondsSinceGrowth: Math.max(0, (nowMs - at) / 1000) } : {};
}
