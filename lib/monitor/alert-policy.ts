/**
 * When to alert (docs/contracts.md, "Alerts (SNS)"): one alert per new condition, a reminder while it persists
 * (every `reminderMs`, default 6 h), and a `resolved` notice per active condition when the log
 * checks clean again. Pure: the caller claims each notice, publishes it, then saves its new state
 * (see AlertStateStore), so a notice that cannot be published is never marked sent.
 *
 * Misbehaviour is notified at once. An operational condition (the log could not be checked:
 * `unreachable`, `invalid-response`, `monitor-error`) is notified only once it was seen in
 * `failuresBeforeAlert` checks with no clean check between them (a transient timeout emails
 * nobody; a head signed far in the future is signed evidence and is notified at once); until then its state counts the failures (`failures`), sends nothing and is not
 * active, so a clean check resets the count and sends no `resolved` notice for it: a resolved
 * notice only ever follows a notice that was sent.
 */

import { type Alert, type AlertState, NEVER_SENT, severityOf } from './alerts.ts';
import { type CheckResult, isClean, MISBEHAVIOUR } from './check-result.ts';

export const DEFAULT_REMINDER_MS = 6 * 3_600_000;
/** Checks in a row that must show an operational condition before it is notified (Lambda default). */
export const DEFAULT_FAILURES_BEFORE_ALERT = 3;

export interface AlertAction {
  readonly alert: Alert;
  /** The condition's state as read (undefined: none stored); a claim is conditional on it. */
  readonly read: AlertState | undefined;
  /** The condition's state once `alert` has been published. */
  readonly next: AlertState;
}

export interface AlertPolicyOptions {
  /** A forced re-check (`{"action":"check"}`): re-send every active alert now. */
  readonly force?: boolean;
  /**
   * The result is about a head seen elsewhere (verify-checkpoint): misbehaviour is a split-view
   * condition (`split-view-<status>`); any other result neither raises nor resolves anything.
   */
  readonly splitView?: boolean;
  /**
   * Checks in a row (no clean check between) that must show an operational condition before its
   * first notice. Default: 1, at once. Misbehaviour is always notified at once.
   */
  readonly failuresBeforeAlert?: number;
}

/** A state change that sends nothing: an operational failure counted, or a count reset. */
export interface AlertStateUpdate {
  readonly read: AlertState | undefined;
  readonly next: AlertState;
}

const SPLIT_VIEW = 'split-view-';

/**
 * What to send for `result`, given the log's alert states. Split-view conditions are permanent
 * findings: a clean check of the log does not resolve them (an operator deletes the item).
 * A condition whose next notice another invocation has claimed (pendingUntil in the future) is
 * left to that invocation.
 */
export function decideAlerts(
  result: CheckResult,
  states: readonly AlertState[],
  nowMs: number,
  reminderMs: number,
  options: AlertPolicyOptions = {},
): AlertAction[] {
  const now = new Date(nowMs).toISOString();
  const claimed = (s: AlertState) => s.pendingUntil !== undefined && Date.parse(s.pendingUntil) > nowMs;
  const active = states.filter((s) => s.active);
  const actions: AlertAction[] = [];
  const notice = (kind: Alert['kind'], s: Pick<AlertState, 'condition' | 'status' | 'since' | 'sentCount'>) =>
    ({
      kind,
      log: result.log,
      condition: s.condition,
      status: s.status,
      severity: severityOf(s.status),
      result,
      since: s.since,
      at: now,
      previousNotices: s.sentCount,
    }) satisfies Alert;

  const clean = isClean(result.status);
  let condition: string | undefined;
  if (options.splitView)
    condition = MISBEHAVIOUR.has(result.status) ? `${SPLIT_VIEW}${result.status}` : undefined;
  else if (!clean) condition = result.status;

  const stored = states.find((s) => s.condition === condition);
  if (condition !== undefined && !(stored && claimed(stored))) {
    const existing = stored?.active ? stored : undefined;
    const seen = existing ? 0 : failuresSoFar(result, stored, options) + 1;
    if (!existing && seen < failuresNeeded(result, options)) {
      // Not yet: updatesWithoutNotice counts this failure.
    } else if (!existing) {
      const since = stored?.failures ? stored.since : now;
      const fresh = { condition, status: result.status, since, sentCount: 0 };
      actions.push({
        alert: notice('new', fresh),
        read: stored,
        next: { ...fresh, active: true, lastSentAt: now, sentCount: 1 },
      });
    } else if (options.force || nowMs - Date.parse(existing.lastSentAt) >= reminderMs) {
      actions.push({ alert: notice('reminder', existing), read: existing, next: sent(existing, now) });
    }
  }

  for (const s of active) {
    if (s.condition === condition || claimed(s)) continue;
    if (clean && !options.splitView && !s.condition.startsWith(SPLIT_VIEW)) {
      const { resolvedAt: _old, pendingUntil: _claim, ...rest } = s;
      actions.push({
        alert: notice('resolved', s),
        read: s,
        next: { ...rest, active: false, lastSentAt: now, sentCount: s.sentCount + 1, resolvedAt: now },
      });
    } else if (options.force && !options.splitView) {
      actions.push({ alert: notice('reminder', s), read: s, next: sent(s, now) });
    }
  }
  return actions;
}

/**
 * The state changes of `result` that send nothing (the caller claims and saves each, as for a
 * notice, without publishing): an operational failure that is not yet notified is counted; a
 * clean check resets every count in progress.
 */
export function updatesWithoutNotice(
  result: CheckResult,
  states: readonly AlertState[],
  nowMs: number,
  options: AlertPolicyOptions = {},
): AlertStateUpdate[] {
  if (options.splitView) return [];
  const now = new Date(nowMs).toISOString();
  const claimed = (s: AlertState) => s.pendingUntil !== undefined && Date.parse(s.pendingUntil) > nowMs;
  if (isClean(result.status)) {
    return states
      .filter((s) => !s.active && (s.failures ?? 0) > 0 && !claimed(s))
      .map((s) => {
        const { failures: _count, pendingUntil: _claim, ...rest } = s;
        return { read: s, next: rest };
      });
  }
  const condition = result.status;
  const stored = states.find((s) => s.condition === condition);
  if (stored?.active || (stored && claimed(stored))) return [];
  const seen = failuresSoFar(result, stored, options) + 1;
  if (seen >= failuresNeeded(result, options)) return [];
  const {
    pendingUntil: _claim,
    resolvedAt: _old,
    ...rest
  } = stored ?? {
    condition,
    status: result.status,
    active: false,
    lastSentAt: NEVER_SENT,
    sentCount: 0,
  };
  return [
    {
      read: stored,
      next: {
        ...rest,
        status: result.status,
        since: seen === 1 ? now : (stored?.since ?? now),
        failures: seen,
      },
    },
  ];
}

/** How many checks in a row must show this result's condition before its first notice. */
function failuresNeeded(result: CheckResult, options: AlertPolicyOptions): number {
  if (MISBEHAVIOUR.has(result.status) || options.splitView) return 1;
  // A head the log signed far ahead of the clock is signed evidence (of the log or of this
  // monitor's clock), not a transient failure that the next check may not see again.
  if (result.errorCode === 'timestamp/future') return 1;
  return Math.max(1, options.failuresBeforeAlert ?? 1);
}

/** The failures of this condition already counted (none for misbehaviour or split views). */
function failuresSoFar(
  result: CheckResult,
  stored: AlertState | undefined,
  options: AlertPolicyOptions,
): number {
  if (MISBEHAVIOUR.has(result.status) || options.splitView) return 0;
  return stored && !stored.active ? (stored.failures ?? 0) : 0;
}

function sent(s: AlertState, now: string): AlertState {
  const { pendingUntil: _claim, ...rest } = s;
  return { ...rest, lastSentAt: now, sentCount: s.sentCount + 1 };
}
