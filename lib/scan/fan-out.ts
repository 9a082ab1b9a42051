/**
 * Fan-out of a scan backlog (docs/contracts.md, "Identity monitoring"; issue 11 §5), transport-free:
 *  - splitBacklog cuts [cursor, size) into ranges;
 *  - scanRangeAhead (a worker, any order, any process) scans and proves one range and keeps its
 *    RangeResult (compact-range nodes of [a, b), matches, skipped) in the ScanStore;
 *  - commitRangeResults (one committer) folds the stored results into the cursor strictly in
 *    index order, proving each fold against the verified head again, and commits each range's
 *    matches with the cursor by compare-and-set.
 * A queue (SQS) or a Distributed Map only carries { start, end } and calls these.
 */

import { toBase64 } from '../bytes.ts';
import type { ScanTarget } from '../entries/entry-source.ts';
import { TlogError } from '../errors.ts';
import type { IdentityMatch, SkippedEntry } from '../identity/identity-match.ts';
import type { VerifiedHead } from '../logs/log-client.ts';
import { CompactRange } from '../merkle/index.ts';
import { type PrefixVerdict, provePrefix } from './prove-prefix.ts';
import { type RangeScanDeps, scanRange } from './scan-range.ts';
import type { RangeResult, ScanStore } from './scan-store.ts';

export interface WorkRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** [from, to) in ranges of `rangeSize` entries (the last one shorter), in index order. */
export function splitBacklog(from: bigint, to: bigint, rangeSize: bigint): WorkRange[] {
  if (rangeSize <= 0n) throw new TlogError('config/invalid', `range size must be positive, got ${rangeSize}`);
  const out: WorkRange[] = [];
  for (let start = from; start < to; start += rangeSize) {
    out.push({ start, end: start + rangeSize < to ? start + rangeSize : to });
  }
  return out;
}

/** Worker: scans and proves [start, end) of the target's tree, and stores the result for the committer. */
export async function scanRangeAhead(
  log: string,
  deps: RangeScanDeps & { readonly store: ScanStore },
  target: ScanTarget,
  range: WorkRange,
): Promise<RangeResult> {
  const { result } = await scanRange(deps, target, range.start, range.end);
  await deps.store.putRangeResult(log, result);
  return result;
}

export interface CommitOutcome {
  readonly matches: readonly IdentityMatch[];
  readonly skipped: readonly SkippedEntry[];
  /** The cursor after committing; ranges beyond it wait for the range that fills the gap. */
  readonly next: bigint;
}

/**
 * Committer: while a stored RangeResult starts at the cursor, merges its nodes into the cursor,
 * proves the merged range against `head` (the verified head the cursor belongs to) and commits
 * it. Throws 'scan/not-in-tree' if a merged range does not prove (nothing of it is committed),
 * 'state/conflict' if another committer moved the cursor meanwhile (run it again).
 */
export async function commitRangeResults(
  log: string,
  deps: Pick<RangeScanDeps, 'client'> & { readonly store: ScanStore },
  head: VerifiedHead,
): Promise<CommitOutcome> {
  const stored = await deps.store.loadScan(log);
  if (!stored)
    throw new TlogError('state/conflict', `no scan cursor stored for "${log}" to commit ranges onto`);
  let version = stored.version;
  let cursor = storedRange(log, 'scan cursor', 0n, stored.cursor.next, stored.cursor.range);
  const shard = stored.cursor.shard;
  const matches: IdentityMatch[] = [];
  const skipped: SkippedEntry[] = [];
  for (;;) {
    const result = await deps.store.loadRangeResult(log, cursor.end);
    if (!result || cursor.end >= head.size) break;
    if ((result.shard ?? '') !== (shard ?? '') || result.end > head.size) {
      throw new TlogError(
        'state/conflict',
        `range [${result.start}, ${result.end}) of shard ${result.shard ?? '(none)'} does not belong to the cursor's tree (shard ${shard ?? '(none)'}, verified size ${head.size})`,
      );
    }
    const merged = cursor.merge(storedRange(log, 'range result', result.start, result.end, result.nodes));
    const verdict = await provePrefix(deps.client, head, merged);
    if (!verdict.proven) {
      await deps.store.deleteRangeResult(log, result.start);
      throw rangeNotInTree(head, result, verdict);
    }
    const next = { next: merged.end, range: merged.nodes(), ...(shard !== undefined ? { shard } : {}) };
    if (!(await deps.store.commitScan(log, version, next, result.matches))) {
      throw new TlogError('state/conflict', `another committer moved the scan cursor of "${log}"`);
    }
    version++;
    cursor = merged;
    matches.push(...result.matches);
    skipped.push(...result.skipped);
    await deps.store.deleteRangeResult(log, result.start);
  }
  return { matches, skipped, next: cursor.end };
}

function storedRange(
  log: string,
  what: string,
  begin: bigint,
  end: bigint,
  nodes: readonly Uint8Array[],
): CompactRange {
  try {
    return CompactRange.fromNodes(begin, end, nodes);
  } catch (e) {
    throw new TlogError('state/corrupt', `stored ${what} of "${log}": ${(e as Error).message}`);
  }
}

/**
 * A stored range whose nodes, merged into the proven cursor, do not prove: its worker proved it
 * against a verified head, so the log answered two provers differently. Its entries are not at
 * hand; the evidence keeps the range's nodes, and scanning the range again sequentially pinpoints
 * the entry.
 */
function rangeNotInTree(
  head: VerifiedHead,
  result: RangeResult,
  verdict: Exclude<PrefixVerdict, { proven: true }>,
): TlogError {
  return new TlogError(
    'scan/not-in-tree',
    `inconsistent: entries [${result.start}, ${result.end}) folded on to the scan cursor are not in the tree of the signed head of size ${head.size}: ${verdict.message}`,
    {
      evidence: {
        current: head.signed,
        ...(verdict.proofs.length > 0 ? { proof: verdict.proofs[verdict.proofs.length - 1] as string } : {}),
        other: {
          range: `[${result.start}, ${result.end})`,
          rangeNodes: JSON.stringify(result.nodes.map(toBase64)),
          foldedRoot: toBase64(verdict.root),
        },
      },
    },
  );
}
