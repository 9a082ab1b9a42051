/**
 * The identity of one match: a match is stored and delivered once per log, shard, entry index,
 * matcher and rule (docs/contracts.md, "Identity monitoring": each match is reported exactly once).
 */
import type { IdentityMatch } from '../identity/identity-match.ts';

export function matchKey(log: string, m: IdentityMatch): string {
  return JSON.stringify([log, m.shard ?? '', m.index, m.matcher, m.rule]);
}
