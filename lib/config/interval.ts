/** Check intervals: `<n>s`, `<n>m` or `<n>h` (e.g. `30s`, `1m`, `5m`, `1h`), between 10s and 24h. */

export const MIN_INTERVAL_MS = 10_000;
export const MAX_INTERVAL_MS = 24 * 3_600_000;
/** The interval a log gets when its entry names none, and the interval of every preset. */
export const DEFAULT_INTERVAL = '5m';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Parses an interval; returns milliseconds, or a message saying what is wrong. */
export function parseInterval(value: unknown): { ms: number } | { error: string } {
  const syntax = 'must be a duration like "30s", "5m" or "1h" (a whole number then s, m or h)';
  if (typeof value !== 'string') return { error: syntax };
  const m = /^([1-9][0-9]{0,5})([smh])$/.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined) return { error: syntax };
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms < MIN_INTERVAL_MS) return { error: 'must be at least 10s (the minimum check interval)' };
  if (ms > MAX_INTERVAL_MS) return { error: 'must be at most 24h' };
  return { ms };
}
