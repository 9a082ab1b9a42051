/** The human rendering of `tlog-monitor status`: a block of lines per log. */

import type { LogStatus } from '../../status/status-report.ts';
import { printable } from '../printable.ts';

export function formatStatus(s: LogStatus): string {
  const lines = [`${s.log} (${s.type}, every ${s.interval}) ${printable(s.url)}`];
  if (s.head) {
    const shard = s.head.shard !== undefined ? `, shard ${s.head.shard}` : '';
    lines.push(`  head      size ${s.head.size}, root ${s.head.root}${shard}`);
    lines.push(
      `  verified  ${s.lastVerifiedAt ?? '?'}${s.lastVerifiedAgeSeconds !== undefined ? ` (${formatAge(s.lastVerifiedAgeSeconds)} ago)` : ''}; head stored ${s.headStoredAt ?? '?'}`,
    );
  } else if (!s.problems.some((p) => p.startsWith('stored head'))) {
    lines.push('  head      none stored yet (no check has succeeded)');
  }
  if (s.lastStatus !== undefined) {
    const message = s.lastMessage !== undefined ? `: ${printable(s.lastMessage)}` : '';
    lines.push(`  last      ${s.lastStatus} at ${s.lastCheckedAt}${message}`);
  } else lines.push('  last      no check recorded');
  if (s.openAlerts.length === 0) lines.push('  alerts    none open');
  for (const a of s.openAlerts) {
    const count = a.count !== undefined ? ` (${a.count}×)` : '';
    const message = a.message !== undefined ? `: ${printable(a.message)}` : '';
    lines.push(`  alert     ${a.condition} since ${a.since}${count}${message}`);
  }
  if (s.scan) lines.push(`  scan      next index ${s.scan.nextIndex}`);
  for (const p of s.problems) lines.push(`  PROBLEM   ${printable(p)}`);
  return lines.join('\n');
}

/** 3725 → "1h 2m 5s". */
export function formatAge(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', `${s}s`].filter(Boolean);
  return parts.slice(0, 3).join(' ');
}
