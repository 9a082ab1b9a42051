/**
 * When to alert (DESIGN.md, "Alerts"): one alert per new condition, a reminder while it persists
 * (every `reminderMs`, default 6 h), and a `resolved` notice per active condition when the log
 * checks clean again. Pure: the caller claims each notice, publishes it, then saves its new state
 * (see AlertStateStore), so a notice that cannot be published is never marked sent.
 */

import { type Alert, type AlertState, severityOf } from './alerts.ts';
import { type CheckResult, MISBEHAVIOUR } from './check-result.ts';
import { isClean } from './metrics.ts';

export const DEFAULT_REMINDER_MS = 6 * 3_600_000;

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
    if (!existing) {
      const fresh = { condition, status: result.status, since: now, sentCount: 0 };
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

function sent(s: AlertState, now: string): AlertState {
  const { pendingUntil: _claim, ...rest } = s;
  return { ...rest, lastSentAt: now, sentCount: s.sentCount + 1 };
}
