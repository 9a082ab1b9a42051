/**
 * Human-readable rendering of a CheckResult for the terminal: one line, starting with the time
 * of the check, plus an indented line for the reason and one naming the evidence file, then the
 * identity scan's matches, skipped entries and progress.
 */
import { type CheckResult, exitCodeFor } from '../monitor/check-result.ts';
import { printable } from './printable.ts';

/** Most matches and skipped entries listed one per line; --json has them all. */
const MAX_LISTED = 20;

export function formatResult(r: CheckResult): string {
  const mark = ['ok  ', 'LIE ', 'FAIL'][exitCodeFor(r.status)];
  const sizes =
    r.previous && r.current && r.previous.size !== r.current.size
      ? ` ${r.previous.size} → ${r.current.size}`
      : r.current
        ? ` size ${r.current.size}`
        : '';
  const rotation = r.shardRotation
    ? ` (shard rotated ${r.shardRotation.from} → ${r.shardRotation.to}; old shard proven up to its final size ${r.shardRotation.finalSize})`
    : '';
  const renamed = r.originChanged
    ? ` (signer renamed ${JSON.stringify(r.originChanged.from)} → ${JSON.stringify(r.originChanged.to)})`
    : '';
  const time = r.checkedAt !== undefined ? `${r.checkedAt.replace(/\.[0-9]+Z$/, 'Z')} ` : '';
  const lines = [
    printable(`${time}${mark} ${r.log}: ${r.status}${sizes}${rotation}${renamed} (${r.durationMs} ms)`),
  ];
  if (r.message) lines.push(`     ${printable(r.message)}`);
  if (r.evidenceRef) lines.push(`     evidence kept in ${printable(r.evidenceRef)}`);
  else if (r.evidence) lines.push('     evidence NOT stored (see the message); --json prints it');
  lines.push(...scanLines(r));
  return lines.join('\n');
}

/** The identity scan: matches and skipped entries (their text comes from the log: shown escaped), progress. */
function scanLines(r: CheckResult): string[] {
  const lines: string[] = [];
  const at = (x: { index: string; shard?: string }) =>
    `entry ${printable(x.index)}${x.shard ? ` (shard ${printable(x.shard)})` : ''}`;
  for (const m of (r.matches ?? []).slice(0, MAX_LISTED)) {
    const values = m.values.map(quoted).join(', ');
    lines.push(
      `     MATCH ${at(m)} ${printable(m.entryType)}: ${m.matcher} ${quoted(m.rule)} matched ${values}`,
    );
  }
  for (const k of (r.skipped ?? []).slice(0, MAX_LISTED)) {
    lines.push(`     skipped ${at(k)}: ${quoted(k.reason)}`);
  }
  const more =
    Math.max(0, (r.matches?.length ?? 0) - MAX_LISTED) + Math.max(0, (r.skipped?.length ?? 0) - MAX_LISTED);
  if (more > 0) lines.push(`     … ${more} more; rerun with --json to list them all`);
  const s = r.scan;
  if (s?.waitingFor !== undefined)
    lines.push(`     identity scan waits for entry ${s.waitingFor} (tree size ${s.size})`);
  else if (s && !s.complete) {
    lines.push(
      `     identity scan at entry ${s.next} of ${s.size} (${s.scanned} scanned this run; continues next check)`,
    );
  }
  return lines;
}

/** Text from a log, escaped and quoted; cut at 200 characters (--json has it whole). */
function quoted(s: string): string {
  return `"${printable(s.length > 200 ? `${s.slice(0, 200)}…` : s)}"`;
}
