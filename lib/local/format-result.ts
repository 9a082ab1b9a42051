/** Human-readable one-line (plus message) rendering of a CheckResult for the terminal. */
import { type CheckResult, exitCodeFor } from '../monitor/check-result.ts';

/**
 * Control characters (C0, DEL, C1) and bidirectional overrides written as \uXXXX: messages and
 * names quote what a log sent, and it must not drive the terminal (ANSI escape sequences), fake
 * another output line (a newline) or reorder what is shown (bidi controls).
 */
export function escapeForTerminal(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    const bidi = c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    out += control || bidi ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

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
  const lines = [
    escapeForTerminal(`${mark} ${r.log}: ${r.status}${sizes}${rotation}${renamed} (${r.durationMs} ms)`),
  ];
  if (r.message) lines.push(`     ${escapeForTerminal(r.message)}`);
  if (r.evidence) lines.push('     evidence kept; rerun with --json to print it');
  return lines.join('\n');
}
