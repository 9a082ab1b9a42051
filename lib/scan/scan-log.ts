/**
 * The scan use case (docs/contracts.md, "Identity monitoring"): after a check verified the log, scan the
 * entries from the cursor towards the verified size, chunk by chunk. Each chunk is proven
 * (scan-range.ts) before its entries are matched, and its matches are stored together with the
 * cursor by one compare-and-set, so no match is lost or stored twice and the cursor never passes
 * an unproven entry. A run stops at its budget (entries, time); the next run continues.
 *
 * The stored cursor is re-proven against the verified head before use: state read back is never
 * trusted as-is, and a cursor the log cannot prove is reported as corrupt state, not as a lie.
 */
import { TlogError } from '../errors.ts';
import type { Clock } from '../http/ports.ts';
import type { IdentityMatch, SkippedEntry } from '../identity/identity-match.ts';
import type { VerifiedHead } from '../logs/log-client.ts';
import { CompactRange } from '../merkle/index.ts';
import { provePrefix } from './prove-prefix.ts';
import { type ScanOptions, scanBudget } from './scan-options.ts';
import { type RangeScanDeps, scanRange } from './scan-range.ts';
import type { ScanCursor, ScanStore } from './scan-store.ts';
import { targetResolver } from './scan-target.ts';

export interface ScanDeps extends RangeScanDeps {
  readonly store: ScanStore;
  readonly clock: Clock;
  readonly options: ScanOptions;
}

export interface ScanOutcome {
  /** Matches this run proved and committed, in index order. */
  readonly matches: readonly IdentityMatch[];
  /** Entries this run proved but could not read. */
  readonly skipped: readonly SkippedEntry[];
  /** Entries proven by this run. */
  readonly scanned: bigint;
  /** The cursor after this run (absent while a configured startIndex lies beyond the verified size). */
  readonly cursor?: { readonly next: bigint; readonly shard?: string };
  /** The size of the tree the cursor is being scanned towards. */
  readonly size: bigint;
  /** Whether the cursor reached the verified head. */
  readonly complete: boolean;
}

/** How many lost compare-and-set races in a row before giving up. */
const MAX_LOST_RACES = 10;

interface Position {
  readonly version: number;
  readonly cursor: CompactRange;
  readonly shard: string | undefined;
  /** Another run scanned past the head this run verified (it verified a newer one): nothing to do. */
  readonly ahead?: true;
}

export async function scanLog(log: string, head: VerifiedHead, deps: ScanDeps): Promise<ScanOutcome> {
  const budget = scanBudget(deps.options);
  const deadline = deps.clock.now() + budget.maxMillis;
  const targets = targetResolver(deps.client, head);
  const matches: IdentityMatch[] = [];
  const skipped: SkippedEntry[] = [];
  let scanned = 0n;
  let lost = 0;

  let at = await loadPosition(log, deps, targets);
  for (;;) {
    if (at === undefined) {
      // No cursor yet: start at startIndex (default: the verified size, i.e. new entries only).
      const { shard, index: start } =
        deps.options.startIndex === undefined
          ? { shard: head.shard, index: head.size }
          : await targets.locate(deps.options.startIndex);
      const tree = await targets.treeFor(shard);
      const size = tree.head.size;
      if (start > size) return { matches, skipped, scanned, size, complete: false };
      // The range before `start` is the log's word until the first chunk's fold proves it.
      const end = minBig(size, start + budget.chunkEntries, start + budget.maxEntries);
      const first = await scanRange(deps, await targets.targetFor(tree), start, end);
      const cursor = cursorOf(first.range, shard);
      if (await deps.store.commitScan(log, 0, cursor, first.result.matches)) {
        matches.push(...first.result.matches);
        skipped.push(...first.result.skipped);
        scanned += first.result.end - first.result.start;
        lost = 0;
        at = { version: 1, cursor: first.range, shard };
      } else {
        at = await lostRace(++lost, log, deps, targets);
      }
      continue;
    }

    const tree = await targets.treeFor(at.shard);
    const next = at.cursor.end;
    const size = tree.head.size;
    const outcome = (complete: boolean): ScanOutcome => ({
      matches,
      skipped,
      scanned,
      cursor: { next, ...(at?.shard !== undefined ? { shard: at.shard } : {}) },
      size,
      complete,
    });
    if (at.ahead) return outcome(true);
    if (next >= size) {
      // A retired shard scanned to its final size: continue on the next shard from its start.
      if (!tree.retired) return outcome(true);
      const shard = await targets.nextShard(at.shard);
      const cursor = { next: 0n, range: [], ...(shard !== undefined ? { shard } : {}) };
      at = (await deps.store.commitScan(log, at.version, cursor, []))
        ? { version: at.version + 1, cursor: CompactRange.empty(0n), shard }
        : await lostRace(++lost, log, deps, targets);
      continue;
    }
    const remaining = budget.maxEntries - scanned;
    if (remaining <= 0n || deps.clock.now() >= deadline) return outcome(false);
    const end = minBig(size, next + budget.chunkEntries, next + remaining);
    const chunk = await scanRange(deps, await targets.targetFor(tree), next, end, at.cursor);
    if (await deps.store.commitScan(log, at.version, cursorOf(chunk.range, at.shard), chunk.result.matches)) {
      matches.push(...chunk.result.matches);
      skipped.push(...chunk.result.skipped);
      scanned += end - next;
      lost = 0;
      at = { version: at.version + 1, cursor: chunk.range, shard: at.shard };
    } else {
      at = await lostRace(++lost, log, deps, targets);
    }
  }
}

/** Another run moved the cursor first: continue from theirs (its entries and matches are committed). */
async function lostRace(
  lost: number,
  log: string,
  deps: ScanDeps,
  targets: ReturnType<typeof targetResolver>,
): Promise<Position | undefined> {
  if (lost > MAX_LOST_RACES) {
    throw new TlogError(
      'state/conflict',
      `lost the scan cursor's compare-and-set race ${lost} times in a row`,
    );
  }
  return loadPosition(log, deps, targets);
}

/** Loads the stored cursor and proves it against the tree it belongs to. */
async function loadPosition(
  log: string,
  deps: ScanDeps,
  targets: ReturnType<typeof targetResolver>,
): Promise<Position | undefined> {
  const stored = await deps.store.loadScan(log);
  if (!stored) return undefined;
  const { cursor: c, version } = stored;
  let cursor: CompactRange;
  try {
    cursor = CompactRange.fromNodes(0n, c.next, c.range);
  } catch (e) {
    throw new TlogError('state/corrupt', `stored scan cursor of "${log}": ${(e as Error).message}`);
  }
  const tree = await targets.treeFor(c.shard);
  // Proven by the run that stored it against a newer head than ours; ours cannot prove it.
  if (cursor.end > tree.head.size) return { version, cursor, shard: c.shard, ahead: true };
  const verdict = await provePrefix(deps.client, tree.head, cursor);
  if (!verdict.proven) {
    throw new TlogError(
      'state/corrupt',
      `stored scan cursor of "${log}" (entry ${cursor.end}) is not a prefix of the verified tree: the state was changed, or the log's proof is wrong: ${verdict.message}`,
    );
  }
  return { version, cursor, shard: c.shard };
}

function cursorOf(range: CompactRange, shard: string | undefined): ScanCursor {
  return { next: range.end, range: range.nodes(), ...(shard !== undefined ? { shard } : {}) };
}

function minBig(first: bigint, ...rest: bigint[]): bigint {
  let min = first;
  for (const x of rest) if (x < min) min = x;
  return min;
}
