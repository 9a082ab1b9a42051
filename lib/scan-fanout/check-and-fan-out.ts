/**
 * A check followed by the identity scan, fanned out when the backlog is large (docs/contracts.md,
 * "Identity monitoring"; issue 11 §5). The same steps as lib/scan/check-and-scan.ts, plus:
 *  1. commit, strictly in index order, the range results the scan workers stored (RANGE#),
 *     each proven again against the verified head before its matches are committed
 *     (commitRangeResults);
 *  2. a backlog that fits one invocation (no ranges outstanding, at most `rangeEntries` behind)
 *     is scanned here, within the time left (scanLog);
 *  3. a larger one is cut into ranges (splitBacklog) and the ranges not yet enqueued go on the
 *     queue, after the enqueued mark has been moved by compare-and-set (so concurrent checks
 *     never enqueue a range twice);
 *  4. the pending matches are delivered (one notice per check).
 * Matches never change the status. A range that cannot be proven fails with `inconsistent` and
 * its evidence, like the sequential scan.
 */
import { TlogError } from '../errors.ts';
import type { SkippedEntry } from '../identity/identity-match.ts';
import type { VerifiedHead } from '../logs/log-client.ts';
import { type CheckDeps, checkLog, loadVerified } from '../monitor/check.ts';
import { type CheckResult, isClean, type ScanSummary } from '../monitor/check-result.ts';
import { type ScanWiring, scanFailed, summary, withDelivered } from '../scan/check-and-scan.ts';
import { commitRangeResults, splitBacklog } from '../scan/fan-out.ts';
import { portableLeafHasher } from '../scan/leaf-hasher.ts';
import { scanLog } from '../scan/scan-log.ts';
import { targetResolver } from '../scan/scan-target.ts';
import type { EnqueuedMarks, RangeQueue, RangeRefusals, RefusedRange } from './ports.ts';

export interface FanOutWiring {
  readonly queue: RangeQueue;
  readonly marks: EnqueuedMarks;
  readonly refusals: RangeRefusals;
  /** The log's config entry as the function received it: what a worker builds its reader from. */
  readonly logConfig: unknown;
  /** Entries per range, and the most one invocation scans itself: a larger backlog fans out. */
  readonly rangeEntries: bigint;
  /** Most ranges enqueued by one check (bounds its SQS sends; the next check enqueues more). */
  readonly maxRanges: number;
}

export interface FanOutScanWiring extends ScanWiring {
  /** Absent: never fan out (every backlog is scanned here, check after check). */
  readonly fanOut?: FanOutWiring;
  /** Clock time (ms) by which this invocation's own scan must stop; it overrides a later options.maxMillis. */
  readonly deadline?: number;
}

export async function checkAndFanOut(
  logName: string,
  deps: CheckDeps,
  scan: FanOutScanWiring,
): Promise<CheckResult> {
  const started = deps.clock.now();
  const checked = await checkLog(logName, deps);
  if (!isClean(checked.status)) return checked;
  let result: CheckResult = checked;
  try {
    const state = await loadVerified(logName, deps);
    if (!state)
      throw new TlogError('state/conflict', `no verified head stored for "${logName}" after its check`);
    const step = await scanStep(logName, state.verified, deps, scan);
    result = { ...result, skipped: step.skipped, scan: step.summary };
    if (step.refused) result = stillRefused(result, step.refused);
  } catch (e) {
    result = await scanFailed(logName, deps, result, e);
  }
  result = await withDelivered(logName, scan, result);
  return { ...result, durationMs: Math.max(0, deps.clock.now() - started) };
}

interface Step {
  readonly skipped: readonly SkippedEntry[];
  readonly summary: ScanSummary;
  /** The range at the cursor, refused by a worker and not proven since. */
  readonly refused?: RefusedRange;
}

/** The worker's verdict, reported by every check until the range is proven; its evidence is stored once, by the worker. */
function stillRefused(result: CheckResult, refused: RefusedRange): CheckResult {
  return {
    ...result,
    status: 'inconsistent',
    errorCode: 'scan/not-in-tree',
    message: `${refused.message} (found by the scan worker; the scan waits at entry ${refused.start} until the range is proven)`,
    evidence: refused.evidence,
    ...(refused.evidenceRef !== undefined ? { evidenceRef: refused.evidenceRef } : {}),
  };
}

async function scanStep(
  log: string,
  head: VerifiedHead,
  deps: CheckDeps,
  scan: FanOutScanWiring,
): Promise<Step> {
  const stored = await scan.store.loadScan(log);
  const fanOut = scan.fanOut;
  // No cursor yet (its first chunk proves the range before startIndex), a retired Rekor shard
  // being finished, or no queue: scanned here.
  if (!fanOut || !stored || (stored.cursor.shard ?? '') !== (head.shard ?? '')) {
    return sequential(log, head, deps, scan, { skipped: [], entries: 0n });
  }
  const committed = await commitRangeResults(log, { client: deps.client, store: scan.store }, head);
  const next = committed.next;
  const mark = await fanOut.marks.load(log);
  const markValid = mark !== undefined && (mark.shard ?? '') === (head.shard ?? '') && mark.to > next;
  const enqueuedTo = markValid ? mark.to : next;
  if (enqueuedTo === next && head.size - next <= fanOut.rangeEntries) {
    return sequential(log, head, deps, scan, {
      skipped: committed.skipped,
      entries: next - stored.cursor.next,
    });
  }
  const refused = enqueuedTo > next ? await fanOut.refusals.load(log, next) : undefined;
  const ranges = splitBacklog(enqueuedTo, head.size, fanOut.rangeEntries).slice(0, fanOut.maxRanges);
  const last = ranges[ranges.length - 1];
  if (last !== undefined) {
    const moved = { to: last.end, ...(head.shard !== undefined ? { shard: head.shard } : {}) };
    // Claimed first: a concurrent check that lost the claim enqueues nothing.
    if (await fanOut.marks.move(log, mark?.to, moved)) {
      const target = await targetResolver(deps.client, head).targetFor({ head, retired: false });
      try {
        await fanOut.queue.send(
          ranges.map((r) => ({
            log: fanOut.logConfig,
            head: head.signed,
            start: r.start,
            end: r.end,
            ...(target.indexOffset !== undefined ? { indexOffset: target.indexOffset } : {}),
          })),
        );
      } catch (e) {
        // Not enqueued: give the claim back so the next check enqueues these ranges.
        await fanOut.marks.move(log, moved.to, { ...moved, to: mark?.to ?? next }).catch(() => false);
        throw e;
      }
    }
  }
  return {
    skipped: committed.skipped,
    ...(refused !== undefined ? { refused } : {}),
    summary: {
      next: String(next),
      size: String(head.size),
      ...(head.shard !== undefined ? { shard: head.shard } : {}),
      scanned: String(next - stored.cursor.next),
      complete: next >= head.size,
    },
  };
}

async function sequential(
  log: string,
  head: VerifiedHead,
  deps: CheckDeps,
  scan: FanOutScanWiring,
  /** What this check already committed from the workers' ranges. */
  committed: { readonly skipped: readonly SkippedEntry[]; readonly entries: bigint },
): Promise<Step> {
  const left = scan.deadline === undefined ? undefined : Math.max(0, scan.deadline - deps.clock.now());
  const maxMillis =
    left === undefined ? scan.options.maxMillis : Math.min(left, scan.options.maxMillis ?? left);
  const options = { ...scan.options, ...(maxMillis !== undefined ? { maxMillis } : {}) };
  const outcome = await scanLog(log, head, {
    client: deps.client,
    source: scan.source,
    matcher: scan.matcher,
    hashLeaf: scan.hashLeaf ?? portableLeafHasher,
    ...(scan.hashNode !== undefined ? { hashNode: scan.hashNode } : {}),
    store: scan.store,
    clock: deps.clock,
    options,
  });
  const scanned = summary(outcome, options);
  return {
    skipped: [...committed.skipped, ...outcome.skipped],
    summary: { ...scanned, scanned: String(BigInt(scanned.scanned) + committed.entries) },
  };
}
