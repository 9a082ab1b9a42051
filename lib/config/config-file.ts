/**
 * The monitor config file (`tlog-monitor.config.json`):
 *
 *   { "logs": [ <log entry> | { "preset": "<name>", ...overrides }
 *               | { "trustedRoot": "<file>" | "tuf": {...}, ... } (lib/config/trust-source.ts) ],
 *     "alerts"?: { "emails"?: [string], "reminderHours"?: number, "afterFailures"?: number },
 *     "stateDir"?: string }
 *
 * Validation and preset resolution only; the caller reads the file.
 */
import { TlogError } from '../errors.ts';
import { ConfigIssues, describe, isPlainObject, issuesOf, unknownFieldMessage } from './issues.ts';
import { parseJsonText } from './json-text.ts';
import { LOG_NAME_PATTERN, type LogConfig, parseLogConfig } from './log-config.ts';
import { getPreset, PRESET_NAMES, PRESET_OVERRIDABLE_FIELDS } from './presets.ts';
import { isTrustSourceEntry, parseTrustSource, type TrustSource } from './trust-source.ts';

export interface AlertsConfig {
  /** Addresses to subscribe to the alert topic. */
  readonly emails?: readonly string[];
  /** Hours between reminders while a condition persists. */
  readonly reminderHours?: number;
  /**
   * Checks in a row that must fail (the log could not be checked) before the first alert about it;
   * misbehaviour is alerted at once. The Lambda's default: 3.
   */
  readonly afterFailures?: number;
}

export interface MonitorConfig {
  /** The logs written out (and presets); a trust source's logs join them once lib/trust/ expands it. */
  readonly logs: readonly LogConfig[];
  /** Trusted roots and TUF repositories, not yet expanded (lib/trust/resolve.ts does that). */
  readonly trust?: readonly TrustSource[];
  readonly alerts?: AlertsConfig;
  /** Where the local CLI keeps state; relative paths are the CLI's to resolve. */
  readonly stateDir?: string;
}

const TOP_FIELDS = ['logs', 'alerts', 'stateDir'] as const;
const ALERT_FIELDS = ['emails', 'reminderHours', 'afterFailures'] as const;
export const MAX_REMINDER_HOURS = 24 * 30;
export const MAX_AFTER_FAILURES = 100;

/** Parses config file text. Throws TlogError `config/invalid` with every problem, each prefixed by `source`. */
export function parseConfigFile(text: string, source: string): MonitorConfig {
  return parseMonitorConfig(parseJsonText(text, source), source);
}

/** Validates an already-parsed config value (e.g. the CDK app's), resolving presets. */
export function parseMonitorConfig(raw: unknown, source: string): MonitorConfig {
  const issues = new ConfigIssues();
  if (!isPlainObject(raw)) {
    issues.add(source, `the config must be a JSON object with a "logs" array, got ${describe(raw)}`);
    issues.throwIfAny();
  }
  const top = raw as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!(TOP_FIELDS as readonly string[]).includes(key)) {
      issues.add(`${source}: ${key}`, unknownFieldMessage(key, TOP_FIELDS));
    }
  }

  const trust: TrustSource[] = [];
  const logs = parseLogs(top.logs, source, issues, trust);
  const alerts = parseAlerts(top.alerts, `${source}: alerts`, issues);

  let stateDir: string | undefined;
  if (top.stateDir !== undefined) {
    const d = top.stateDir;
    if (typeof d !== 'string' || d.trim() === '' || d.includes('\0')) {
      issues.add(`${source}: stateDir`, `must be a non-empty directory path, got ${describe(d)}`);
    } else stateDir = d;
  }

  issues.throwIfAny();
  return Object.freeze({
    logs: Object.freeze(logs),
    ...(trust.length === 0 ? {} : { trust: Object.freeze(trust) }),
    ...(alerts === undefined ? {} : { alerts }),
    ...(stateDir === undefined ? {} : { stateDir }),
  });
}

function parseLogs(value: unknown, source: string, issues: ConfigIssues, trust: TrustSource[]): LogConfig[] {
  const path = `${source}: logs`;
  if (value === undefined) {
    issues.add(path, 'is required: a list of log entries or presets, e.g. [{ "preset": "sigstore-rekor" }]');
    return [];
  }
  if (!Array.isArray(value)) {
    issues.add(path, `must be an array of log entries, got ${describe(value)}`);
    return [];
  }
  if (value.length === 0) {
    issues.add(path, `must list at least one log (presets: ${PRESET_NAMES.join(', ')})`);
    return [];
  }
  const logs: LogConfig[] = [];
  // Names key state files, DynamoDB items, metrics and Lambda names; compare them case-blind so two
  // logs cannot share state on a case-insensitive file system. Entries with other problems still
  // claim their name, so a duplicate is reported in the same run.
  const byName = new Map<string, { index: number; name: string }>();
  value.forEach((entry: unknown, i) => {
    const where = `${source}: logs[${i}]`;
    if (isTrustSourceEntry(entry)) {
      const t = parseTrustSource(entry as Record<string, unknown>, where, issues);
      if (t) trust.push(t);
      return;
    }
    const resolved = resolveEntry(entry, where, issues);
    if (resolved === undefined) return;
    const name = isPlainObject(resolved) ? resolved.name : undefined;
    let duplicate = false;
    if (typeof name === 'string' && LOG_NAME_PATTERN.test(name)) {
      const first = byName.get(name.toLowerCase());
      if (first !== undefined) {
        duplicate = true;
        issues.add(
          `${where} (${JSON.stringify(name)}).name`,
          `duplicate log name: logs[${first.index}] is already named ${JSON.stringify(first.name)} ` +
            '(names must be unique, ignoring case)',
        );
      } else byName.set(name.toLowerCase(), { index: i, name });
    }
    try {
      const log = parseLogConfig(resolved, where);
      if (!duplicate) logs.push(log);
    } catch (e) {
      if (!(e instanceof TlogError && e.code === 'config/invalid')) throw e;
      issues.addAll(issuesOf(e));
    }
  });
  return logs;
}

/** Expands `{ "preset": name, ...overrides }` to a full log entry; other entries pass through. */
function resolveEntry(entry: unknown, where: string, issues: ConfigIssues): unknown {
  if (!isPlainObject(entry) || !Object.hasOwn(entry, 'preset')) return entry;
  const { preset: presetName, ...overrides } = entry;
  const preset = typeof presetName === 'string' ? getPreset(presetName) : undefined;
  if (preset === undefined) {
    issues.add(`${where}.preset`, `must be one of ${PRESET_NAMES.join(', ')}, got ${describe(presetName)}`);
    return undefined;
  }
  const at = `${where} (preset ${JSON.stringify(presetName)})`;
  let ok = true;
  for (const key of Object.keys(overrides)) {
    if ((PRESET_OVERRIDABLE_FIELDS as readonly string[]).includes(key)) continue;
    ok = false;
    const pinned = ['type', 'url', 'publicKey', 'origin', 'witnesses', 'minWitnesses'].includes(key);
    issues.add(
      `${at}.${key}`,
      pinned
        ? `a preset's ${key} cannot be overridden (the preset pins it); write a full log entry instead`
        : `${unknownFieldMessage(key, ['preset', ...PRESET_OVERRIDABLE_FIELDS])}`,
    );
  }
  if (!ok) return undefined;
  const { description: _description, ...logEntry } = preset;
  return { ...logEntry, ...overrides };
}

function parseAlerts(value: unknown, path: string, issues: ConfigIssues): AlertsConfig | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    issues.add(
      path,
      `must be an object { "emails"?, "reminderHours"?, "afterFailures"? }, got ${describe(value)}`,
    );
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!(ALERT_FIELDS as readonly string[]).includes(key)) {
      issues.add(`${path}.${key}`, unknownFieldMessage(key, ALERT_FIELDS));
    }
  }
  const out: { emails?: readonly string[]; reminderHours?: number; afterFailures?: number } = {};
  const emails = value.emails;
  if (emails !== undefined) {
    if (!Array.isArray(emails))
      issues.add(`${path}.emails`, `must be an array of email addresses, got ${describe(emails)}`);
    else {
      let ok = true;
      emails.forEach((e: unknown, i) => {
        // A plausibility check (one @, a dot in the domain, no spaces), not RFC 5322.
        if (typeof e !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(e)) {
          issues.add(`${path}.emails[${i}]`, `must be an email address, got ${describe(e)}`);
          ok = false;
        }
      });
      if (ok) out.emails = Object.freeze([...(emails as string[])]);
    }
  }
  const hours = value.reminderHours;
  if (hours !== undefined) {
    if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > MAX_REMINDER_HOURS) {
      issues.add(
        `${path}.reminderHours`,
        `must be a whole number of hours from 1 to ${MAX_REMINDER_HOURS}, got ${describe(hours)}`,
      );
    } else out.reminderHours = hours;
  }
  const after = value.afterFailures;
  if (after !== undefined) {
    if (typeof after !== 'number' || !Number.isInteger(after) || after < 1 || after > MAX_AFTER_FAILURES) {
      issues.add(
        `${path}.afterFailures`,
        `must be a whole number of checks from 1 to ${MAX_AFTER_FAILURES}, got ${describe(after)}`,
      );
    } else out.afterFailures = after;
  }
  return Object.freeze(out);
}
