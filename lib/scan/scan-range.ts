/**
 * Scans one range [start, end) of a verified tree: fetch the entries, leaf-hash each, fold them
 * into a compact range, prove the fold against the signed head (prove-prefix.ts), and only then
 * hand the entries to the matcher. Transport-free: the sequential scan calls it with its cursor,
 * a fan-out worker (fan-out.ts) with a range the log serves, which the same proof covers.
 */
import type { EntrySource, ScanTarget } from '../entries/entry-source.ts';
import type { ReceivedEntry } from '../entries/received-entry.ts';
import type { EntryMatcher, IdentityMatch, SkippedEntry } from '../identity/identity-match.ts';
import type { LogClient } from '../logs/log-client.ts';
import { CompactRange, type NodeHasher } from '../merkle/index.ts';
import { fetchEntryRange } from './fetch-entries.ts';
import type { LeafHasher } from './leaf-hasher.ts';
import { notInTreeError, type Prefix } from './not-in-tree.ts';
import { provePrefix } from './prove-prefix.ts';
import type { RangeResult } from './scan-store.ts';

export interface RangeScanDeps {
  readonly client: LogClient;
  readonly source: EntrySource;
  readonly matcher: EntryMatcher;
  readonly hashLeaf: LeafHasher;
  /** The fold's node hash; default lib/merkle's portable one. */
  readonly hashNode?: NodeHasher;
}

export interface ScannedRange {
  readonly result: RangeResult;
  /** The compact range of [0, end), proven against the target's signed head. */
  readonly range: CompactRange;
}

/**
 * `cursor` is the proven compact range of [0, start); without it the range before `start` is
 * fetched from the log and proven together with the entries. A fold that does not prove is
 * fetched again once before the verdict. Throws TlogError 'scan/not-in-tree' (with evidence)
 * when the entries are not in the signed tree, http/* or response/* when the log cannot be read.
 */
export async function scanRange(
  deps: RangeScanDeps,
  target: ScanTarget,
  start: bigint,
  end: bigint,
  cursor?: CompactRange,
): Promise<ScannedRange> {
  let attempt = await foldRange(deps, target, start, end, cursor);
  let verdict = await provePrefix(deps.client, target.head, attempt.range);
  if (!verdict.proven) {
    // Ask once more before judging, as a failing proof is fetched again: a lie must be repeated.
    attempt = await foldRange(deps, target, start, end, cursor);
    verdict = await provePrefix(deps.client, target.head, attempt.range);
  }
  const { prefix, entries, leafHashes, part, range } = attempt;
  if (!verdict.proven) {
    throw await notInTreeError(deps.client, target, prefix, entries, leafHashes, verdict);
  }
  // Proven: only now are the entries read.
  const shard = target.head.shard;
  const matches: IdentityMatch[] = [];
  const skipped: SkippedEntry[] = [];
  for (const e of entries) {
    const index = e.index.toString();
    const where = { index, ...(shard !== undefined ? { shard } : {}) };
    const verdict = matchSafely(deps, e);
    if ('skipped' in verdict) skipped.push({ ...where, reason: verdict.skipped });
    else for (const m of verdict.matches) matches.push({ ...where, ...m });
  }
  return {
    result: { start, end, nodes: part.nodes(), matches, skipped, ...(shard !== undefined ? { shard } : {}) },
    range,
  };
}

interface Folded {
  readonly prefix: Prefix;
  readonly entries: readonly ReceivedEntry[];
  readonly leafHashes: readonly Uint8Array[];
  /** The compact range of [start, end). */
  readonly part: CompactRange;
  /** The compact range of [0, end). */
  readonly range: CompactRange;
}

/** Fetches the entries (and without a cursor the range before them), hashes and folds them. */
async function foldRange(
  deps: RangeScanDeps,
  target: ScanTarget,
  start: bigint,
  end: bigint,
  cursor: CompactRange | undefined,
): Promise<Folded> {
  const prefix: Prefix = cursor
    ? { range: cursor, proven: true }
    : {
        range: CompactRange.fromNodes(
          0n,
          start,
          start === 0n ? [] : await deps.source.fetchRangeBefore(target, start),
        ),
        proven: false,
      };
  const entries = await fetchEntryRange(deps.source, target, start, end);
  const part = CompactRange.empty(start, deps.hashNode);
  const leafHashes: Uint8Array[] = new Array(entries.length);
  entries.forEach((e, i) => {
    const h = deps.hashLeaf(e.leaf);
    leafHashes[i] = h;
    part.append(h);
  });
  return { prefix, entries, leafHashes, part, range: prefix.range.merge(part) };
}

/** The matcher throws nothing by contract; should it ever, the entry is skipped with the reason, and the scan goes on. */
function matchSafely(deps: RangeScanDeps, e: ReceivedEntry): ReturnType<EntryMatcher['match']> {
  try {
    return deps.matcher.match(deps.source.format, e);
  } catch (err) {
    return { skipped: `matcher failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
