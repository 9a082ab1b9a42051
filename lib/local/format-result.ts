/** Human-readable one-line (plus message) rendering of a CheckResult for the terminal. */
import { type CheckResult, exitCodeFor } from '../monitor/check-result.ts';

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
  const lines = [`${mark} ${r.log}: ${r.status}${sizes}${rotation} (${r.durationMs} ms)`];
  if (r.message) lines.push(`     ${r.message}`);
  if (r.evidence) lines.push('     evidence kept; rerun with --json to print it');
  return lines.join('\n');
}
