/**
 * The identity-match notice (docs/contracts.md, "Identity monitoring"): one message per check listing the
 * new matches. Subject `[tlog-monitor] <log>: identity-match`; body: a human summary (one line per
 * match), then the matches as JSON. A match is not a failure: severity `notice`. Values come from
 * log entries, so every one is shown escaped (JSON string syntax) in the summary.
 */
import type { IdentityMatch } from './identity-match.ts';

export const MATCH_STATUS = 'identity-match';
export const MATCH_SEVERITY = 'notice';

const MAX_SUBJECT_CHARS = 99;

export function matchNoticeSubject(log: string, count: number): string {
  const what = `${MATCH_STATUS} (${count})`;
  const room = MAX_SUBJECT_CHARS - `[tlog-monitor] : ${what}`.length;
  const ascii = log.replace(/[^\x20-\x7e]/g, '?');
  const name = ascii.length <= room ? ascii : `${ascii.slice(0, Math.max(0, room - 3))}...`;
  return `[tlog-monitor] ${name}: ${what}`;
}

function summaryLine(m: IdentityMatch): string {
  const where = m.shard !== undefined ? `entry ${m.index} of shard ${m.shard}` : `entry ${m.index}`;
  const values = m.values.map((v) => JSON.stringify(v)).join(', ');
  return `- ${where} (${m.entryType}): ${m.matcher} ${JSON.stringify(m.rule)} matched ${values}`;
}

/**
 * Splits the matches into message bodies of at most `maxBytes` (UTF-8) each, in index order, so
 * that no match is ever dropped to fit a size limit: a check with many matches sends several.
 */
export function matchNoticeBodies(
  log: string,
  matches: readonly IdentityMatch[],
  maxBytes: number,
): { readonly body: string; readonly matches: readonly IdentityMatch[] }[] {
  const bodies: { body: string; matches: IdentityMatch[] }[] = [];
  let batch: IdentityMatch[] = [];
  const render = (part: readonly IdentityMatch[]): string =>
    [
      `[notice] Log "${log}": ${part.length} entr${part.length === 1 ? 'y names' : 'ies name'} a monitored identity.`,
      'Each entry was proven to be in the log tree the monitor verified. An entry your team did not make',
      'means a stolen identity or a mis-issued certificate.',
      '',
      ...part.map(summaryLine),
      '',
      JSON.stringify({ log, status: MATCH_STATUS, matches: part }, null, 2),
    ].join('\n');
  for (const m of matches) {
    const next = [...batch, m];
    if (batch.length > 0 && Buffer.byteLength(render(next)) > maxBytes) {
      bodies.push({ body: render(batch), matches: batch });
      batch = [m];
    } else {
      batch = next;
    }
  }
  if (batch.length > 0) bodies.push({ body: render(batch), matches: batch });
  return bodies;
}
