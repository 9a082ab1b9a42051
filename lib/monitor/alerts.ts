/**
 * Alerts (docs/contracts.md, "Alerts (SNS)"): the alert and alert-state ports, and the text of an alert.
 *
 * Subject `[tlog-monitor] <log>: <status>`; body: a human summary, then the CheckResult JSON with
 * its evidence. Severity `critical` for misbehaviour, `warning` for operational conditions. The
 * policy deciding what to send is in alert-policy.ts; adapters (SNS, console) only deliver.
 */
import { type CheckResult, type CheckStatus, MISBEHAVIOUR } from './check-result.ts';

export type Severity = 'critical' | 'warning';
/** A first notice of a condition, a reminder while it persists, or the notice that it is over. */
export type AlertKind = 'new' | 'reminder' | 'resolved';

export interface Alert {
  readonly kind: AlertKind;
  readonly log: string;
  /** The condition's key: its status, or `split-view-<status>` for a foreign head that contradicts ours. */
  readonly condition: string;
  /** The status the condition is about (for `resolved`: the status that is over). */
  readonly status: CheckStatus;
  readonly severity: Severity;
  /** The check that triggered this alert (for `resolved`: the clean check). */
  readonly result: CheckResult;
  /** When the condition was first seen (ISO 8601). */
  readonly since: string;
  /** When this alert was decided (ISO 8601). */
  readonly at: string;
  /** How many notices this condition has had before this one. */
  readonly previousNotices: number;
  /** Where the full evidence of this check is kept, when it was stored. */
  readonly evidenceRef?: string;
  /** Set when the evidence was not stored: why. */
  readonly evidenceNotStored?: string;
}

export interface AlertSink {
  /** Delivers one alert. Throws if it cannot: the caller must not mark it sent. */
  publish(alert: Alert): Promise<void>;
}

/** The alert state of one condition of one log (an `ALERT#<condition>` item). */
export interface AlertState {
  readonly condition: string;
  readonly status: CheckStatus;
  readonly active: boolean;
  /** ISO 8601 */
  readonly since: string;
  /** ISO 8601: the last notice sent (new, reminder or resolved). */
  readonly lastSentAt: string;
  readonly sentCount: number;
  readonly resolvedAt?: string;
  /**
   * ISO 8601: another invocation has claimed this condition's next notice and is sending it until
   * then. Once past, the claim has lapsed (its sender failed or died) and the notice is due again.
   */
  readonly pendingUntil?: string;
  /**
   * An operational condition not yet notified: how many checks in a row (no clean check between)
   * have shown it. Its first notice goes out when this reaches the configured threshold.
   */
  readonly failures?: number;
}

/** `lastSentAt` of a condition that has never had a notice. */
export const NEVER_SENT = new Date(0).toISOString();

/**
 * Alert states with a claim step, so that concurrent invocations that see the same condition send
 * one notice between them, and a notice is marked sent only after it was published:
 *
 *   claimAlert (conditional on the state read) → publish → saveAlert (conditional on the claim)
 *                                                   ↳ on failure: releaseAlert, and fail
 */
export interface AlertStateStore {
  /** Every alert state of the log, active or not; read strongly consistently. */
  loadAlerts(log: string): Promise<AlertState[]>;
  /**
   * Claims the notice that would move the condition from `read` to `next`, until `leaseUntil`, if
   * the stored state is still `read`
   * (undefined: no state stored) and no unexpired claim is held. Returns false, changing nothing,
   * if another invocation got there first.
   */
  claimAlert(
    log: string,
    read: AlertState | undefined,
    next: AlertState,
    claim: { readonly token: string; readonly leaseUntil: string; readonly now: string },
  ): Promise<boolean>;
  /** Stores the state after a published notice, clearing the claim `token`; false if the claim was lost. */
  saveAlert(log: string, state: AlertState, token: string): Promise<boolean>;
  /** Drops the claim `token` after a failed publish, so the notice is due again at once. */
  releaseAlert(log: string, condition: string, token: string): Promise<void>;
}

export function severityOf(status: CheckStatus): Severity {
  return MISBEHAVIOUR.has(status) ? 'critical' : 'warning';
}

/**
 * SNS Publish API reference, `Subject`: ASCII text beginning with a letter, number or punctuation
 * mark, no line breaks or control characters, and "less than 100 characters long": at most 99.
 */
export const MAX_SUBJECT_CHARS = 99;

/** `[tlog-monitor] <log>: <status>`, with ` (reminder)` or `resolved (<status>)`; ASCII, < 100 chars. */
export function alertSubject(alert: Alert): string {
  const what =
    alert.kind === 'resolved'
      ? `resolved (${alert.status})`
      : `${alert.condition}${alert.kind === 'reminder' ? ' (reminder)' : ''}`;
  const log = asciiLine(alert.log);
  const fixed = `[tlog-monitor] : ${asciiLine(what)}`;
  const room = MAX_SUBJECT_CHARS - fixed.length;
  const name = log.length <= room ? log : `${log.slice(0, Math.max(0, room - 3))}...`;
  return `[tlog-monitor] ${name}: ${asciiLine(what)}`.slice(0, MAX_SUBJECT_CHARS);
}

function asciiLine(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

/** The human summary that starts the body. */
export function alertSummary(alert: Alert): string {
  const r = alert.result;
  const lines: string[] = [];
  const splitView = alert.condition.startsWith('split-view-');
  const what = splitView
    ? `a signed head seen elsewhere contradicts the monitor's verified head (split view: ${alert.status})`
    : MISBEHAVIOUR.has(alert.status)
      ? `the log misbehaved: ${alert.status}`
      : alert.status === 'monitor-error'
        ? `the monitor could not read or write its state or configuration: ${alert.status}`
        : `the log could not be checked: ${alert.status}`;
  switch (alert.kind) {
    case 'new':
      lines.push(`[${alert.severity}] Log "${alert.log}": ${what}.`);
      break;
    case 'reminder':
      lines.push(
        `[${alert.severity}] Reminder: log "${alert.log}": ${what}. First seen ${alert.since}; ` +
          `notice ${alert.previousNotices + 1}.`,
      );
      break;
    case 'resolved':
      lines.push(
        `[resolved] Log "${alert.log}" checks clean again (status ${r.status}): the condition ` +
          `"${alert.condition}" first seen ${alert.since} is over.`,
      );
      break;
  }
  if (alert.kind !== 'resolved' && r.status !== alert.status) {
    lines.push(`This check's status is ${r.status}; the condition "${alert.condition}" is still active.`);
  }
  if (r.message) lines.push(`Detail: ${r.message}`);
  if (r.previous)
    lines.push(`Verified head: size ${r.previous.size}, root ${r.previous.root}${shard(r.previous)}`);
  if (r.current)
    lines.push(`Head from the log: size ${r.current.size}, root ${r.current.root}${shard(r.current)}`);
  lines.push(`Checked at ${alert.at} (took ${r.durationMs} ms).`);
  if (r.evidence) {
    if (alert.evidenceRef) lines.push(`Evidence stored at ${alert.evidenceRef}.`);
    if (alert.evidenceNotStored) lines.push(`Evidence was NOT stored: ${alert.evidenceNotStored}.`);
    lines.push(
      'The evidence below is exactly as received: anyone with the pinned public key can re-verify it offline.',
    );
  }
  return lines.join('\n');
}

function shard(h: { readonly shard?: string }): string {
  return h.shard !== undefined ? `, shard ${h.shard}` : '';
}

const JSON_HEADER = '\n\n--- CheckResult (JSON) ---\n';

/**
 * Summary, then the CheckResult JSON, in at most `maxBytes` UTF-8 bytes. When the evidence does
 * not fit, each evidence string is cut (marked `...[truncated: N chars]`) and the summary says
 * so and where the full evidence is.
 */
export function alertBody(alert: Alert, maxBytes: number): string {
  const full = alertSummary(alert) + JSON_HEADER + JSON.stringify(alert.result, null, 2);
  if (byteLength(full) <= maxBytes) return full;
  const evidence = alert.result.evidence;
  const where = alert.evidenceRef
    ? `the full evidence is at ${alert.evidenceRef}`
    : `the full evidence could not be stored${alert.evidenceNotStored ? ` (${alert.evidenceNotStored})` : ''}`;
  const note = `\nThe evidence was truncated to fit the ${maxBytes}-byte message limit; ${where}.`;
  for (let keep = Math.floor(maxBytes / 8); keep >= 16; keep = Math.floor(keep / 2)) {
    const result = {
      ...alert.result,
      ...(alert.result.message ? { message: cut(alert.result.message, keep) } : {}),
      ...(evidence ? { evidence: cutEvidence(evidence, keep) } : {}),
    };
    const text = alertSummary({ ...alert, result }) + note + JSON_HEADER + JSON.stringify(result, null, 2);
    if (byteLength(text) <= maxBytes) return text;
  }
  return cutBytes(alertSummary(alert) + note, maxBytes);
}

function cutEvidence(e: NonNullable<CheckResult['evidence']>, keep: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'string') out[k] = cut(v, keep);
    else if (v && typeof v === 'object') {
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, string>).map(([n, s]) => [n, cut(s, keep)]),
      );
    }
  }
  return out;
}

function cut(s: string, keep: number): string {
  return s.length <= keep ? s : `${s.slice(0, keep)}...[truncated: ${s.length} chars]`;
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

function cutBytes(s: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= maxBytes) return s;
  // fatal: false drops a split trailing character's bytes as U+FFFD; trim it off.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.slice(0, maxBytes)).replace(/\uFFFD+$/, '');
}
