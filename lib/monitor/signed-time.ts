/**
 * Signed timestamps (docs/contracts.md, "Check outcomes"; RFC 6962 §3.5: "Each subsequent timestamp MUST
 * be more recent than the timestamp of the previous update"; static-ct checkpoints and Rekor v1's
 * `Timestamp:` line likewise): a head signed further ahead of the monitor's clock than
 * MAX_CLOCK_SKEW_MS is refused and never stored, and a newer head signed earlier than the
 * verified one is misbehaviour. Heads without a signed timestamp (tlog-tiles) are not compared.
 */
import { TlogError } from '../errors.ts';
import type { VerifiedHead } from '../logs/log-client.ts';

/** How far ahead of the monitor's clock a log may sign: five minutes of clock skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Throws TlogError 'timestamp/future' (invalid-response) for a head signed too far ahead. */
export function refuseFutureHead(head: VerifiedHead, nowMs: number): void {
  if (head.timestamp === undefined) return;
  const limit = BigInt(Math.floor(nowMs)) + BigInt(MAX_CLOCK_SKEW_MS);
  if (head.timestamp > limit) {
    throw new TlogError(
      'timestamp/future',
      `head of size ${head.size} is signed at ${isoTime(head.timestamp)}, more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the monitor's clock (${isoTime(BigInt(Math.floor(nowMs)))}); refused, not stored`,
      { received: head.signed },
    );
  }
}

/**
 * For a head `to` that is to replace `from`: a message if `to` is signed earlier than `from`
 * (both with signed timestamps), else undefined.
 */
export function signedEarlier(from: VerifiedHead, to: VerifiedHead): string | undefined {
  if (from.timestamp === undefined || to.timestamp === undefined || to.timestamp >= from.timestamp) {
    return undefined;
  }
  return `the head of size ${to.size} is signed at ${isoTime(to.timestamp)}, earlier than the verified head of size ${from.size} signed at ${isoTime(from.timestamp)} (RFC 6962 §3.5: each new tree head is signed later than the one before)`;
}

/** True if `a` is signed later than `b` (both with signed timestamps). */
export function signedLater(a: VerifiedHead, b: VerifiedHead): boolean {
  return a.timestamp !== undefined && b.timestamp !== undefined && a.timestamp > b.timestamp;
}

/** A signed timestamp (ms since the epoch, u64) as ISO 8601, or in ms when outside Date's range. */
export function isoTime(ms: bigint): string {
  return ms <= 8_640_000_000_000_000n ? new Date(Number(ms)).toISOString() : `${ms} ms after the epoch`;
}
