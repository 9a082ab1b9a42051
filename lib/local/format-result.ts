/**
 * Human-readable rendering of a CheckResult for the terminal: one line, starting with the time
 * of the check, plus an indented line for the reason and one naming the evidence file.
 */
import { type CheckResult, exitCodeFor } from '../monitor/check-result.ts';
import { printable } from './printable.ts';

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
  const time = r.checkedAt !== undefined ? `${r.checkedAt.replace(/\.[0-9]+Z$/, 'Z')} ` : '';
  const lines = [`${time}${mark} ${r.log}: ${r.status}${sizes}${rotation} (${r.durationMs} ms)`];
  if (r.message) lines.push(`     ${printable(r.message)}`);
  if (r.evidenceRef) lines.push(`     evidence kept in ${printable(r.evidenceRef)}`);
  else if (r.evidence) lines.push('     evidence NOT stored (see the message); --json prints it');
  return lines.join('\n');
}
