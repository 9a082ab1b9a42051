/**
 * Exactly-once delivery of proven matches (docs/contracts.md, "Identity monitoring"). Matches wait in the
 * ScanStore as pending from the moment their range is committed; a sink (the CLI's matches file,
 * the Lambda's notice) takes them, and only then are they marked delivered. A process that dies
 * between the two leaves them pending, and the sink, which remembers what it has, takes each once.
 */
import type { IdentityMatch } from '../identity/identity-match.ts';
import type { ScanStore } from './scan-store.ts';

export interface MatchSink {
  /**
   * Delivers the matches it does not have yet and returns those, in order. Idempotent (a match it
   * has is not delivered again) and serialised against concurrent calls for the same log.
   */
  deliver(log: string, matches: readonly IdentityMatch[]): Promise<readonly IdentityMatch[]>;
}

/** Delivers the log's pending matches; returns the ones this call delivered. */
export async function deliverPending(
  log: string,
  store: ScanStore,
  sink: MatchSink,
): Promise<readonly IdentityMatch[]> {
  const pending = await store.pendingMatches(log);
  if (pending.length === 0) return [];
  const delivered = await sink.deliver(log, pending);
  await store.markDelivered(log, pending);
  return delivered;
}
