/**
 * Which verified tree a scan cursor reads, and how its indices map to the log's API. Rekor v1
 * (docs/contracts.md, "Log types"): a cursor belongs to a shard; when the active shard is another one, the
 * cursor's shard must be among the inactive shards, whose verified final head it is scanned up to.
 * Rekor's entry API takes a global `logIndex`: the tree index plus the final sizes of the shards
 * retired before (ScanTarget.indexOffset), known only from their verified final heads.
 */
import type { ScanTarget } from '../entries/entry-source.ts';
import { TlogError } from '../errors.ts';
import type { LogClient, LogView, RetiredShard, VerifiedHead } from '../logs/log-client.ts';

/** The verified tree of one shard: the verified head's, or a retired shard's final head. */
export interface ShardTree {
  readonly head: VerifiedHead;
  readonly retired: boolean;
}

export interface TargetResolver {
  /** The tree of `shard` (the verified head's when it is the head's shard). */
  treeFor(shard: string | undefined): Promise<ShardTree>;
  /** What an entry source reads: the tree, with Rekor's global index offset. */
  targetFor(tree: ShardTree): Promise<ScanTarget>;
  /**
   * Where a configured startIndex lies: for Rekor v1 a global `logIndex` (as Rekor's API and
   * rekor-monitor count), mapped to its shard and tree index; for other logs the tree index itself.
   */
  locate(index: bigint): Promise<{ readonly shard: string | undefined; readonly index: bigint }>;
  /** The shard after a retired `shard`: the next retired one, or the verified head's. */
  nextShard(shard: string | undefined): Promise<string | undefined>;
}

/**
 * Resolves trees against the verified `head`. Asks the log for its shards (once) only when needed:
 * for a retired shard, and for Rekor's index offset when entries are to be read.
 */
export function targetResolver(client: LogClient, head: VerifiedHead): TargetResolver {
  let view: Promise<LogView> | undefined;
  const shards = () => {
    view ??= client.fetchView();
    return view;
  };
  return {
    async treeFor(shard) {
      if ((shard ?? '') === (head.shard ?? '')) return { head, retired: false };
      const v = client.type === 'rekor-v1' ? await shards() : undefined;
      const retired = v?.retiredShards?.find((s) => s.shard === shard);
      if (!retired) throw shardMissing(shard, head, v);
      // The cursor's shard: its final head must verify with the pinned key (a TlogError if not).
      return { head: retired.verify(), retired: true };
    },
    async targetFor(tree) {
      if (client.type !== 'rekor-v1') return { head: tree.head };
      return { head: tree.head, indexOffset: indexOffset(await shards(), tree.head) };
    },
    async locate(index) {
      if (client.type !== 'rekor-v1') return { shard: head.shard, index };
      let offset = 0n;
      for (const s of await shardsUpToHead(await shards(), head)) {
        if (s.shard === head.shard || index < offset + s.size)
          return { shard: s.shard, index: index - offset };
        offset += s.size;
      }
      return { shard: head.shard, index: index - offset };
    },
    async nextShard(shard) {
      if (client.type !== 'rekor-v1') return head.shard;
      const order = await shardsUpToHead(await shards(), head);
      const i = order.findIndex((s) => s.shard === shard);
      return i >= 0 && i + 1 < order.length ? order[i + 1]?.shard : head.shard;
    },
  };
}

/**
 * The retired shards, oldest first, up to and including the verified head's shard (the log may
 * have rotated again since the check: its newer shards are for the next check).
 */
async function shardsUpToHead(view: LogView, head: VerifiedHead): Promise<VerifiedHead[]> {
  const order: VerifiedHead[] = [];
  for (const s of view.retiredShards ?? []) {
    if (s.shard === head.shard) break;
    order.push(signedFinalHead(s, head));
  }
  order.push(head);
  return order;
}

/**
 * Sum of the signed final sizes of the shards retired before `target`'s shard (listed oldest
 * first). A listed size is not signed: an offset built on one would misplace every entry.
 */
function indexOffset(view: LogView, target: VerifiedHead): bigint {
  let offset = 0n;
  for (const s of view.retiredShards ?? []) {
    if (s.shard === target.shard) return offset;
    offset += signedFinalHead(s, target).size;
  }
  if ((view.head.shard ?? '') === (target.shard ?? '')) return offset;
  throw shardMissing(target.shard, view.head, view);
}

/** A retired shard's verified final head; 'response/shard-missing' (could not scan) if it does not verify. */
function signedFinalHead(s: RetiredShard, target: VerifiedHead): VerifiedHead {
  try {
    return s.verify();
  } catch (e) {
    throw new TlogError(
      'response/shard-missing',
      `cannot map shard ${target.shard ?? '(none)'}'s tree indices to global log indices: the final head of retired shard ${s.shard} does not verify with the pinned key, so its size is unknown (${(e as Error).message})`,
    );
  }
}

function shardMissing(shard: string | undefined, head: VerifiedHead, view: LogView | undefined): TlogError {
  const listed = (view?.retiredShards ?? []).map((s) => s.shard).join(', ') || 'none';
  return new TlogError(
    'response/shard-missing',
    `the scan cursor is on shard ${shard ?? '(none)'}, the verified head on shard ${head.shard ?? '(none)'}, and the cursor's shard is not among the log's inactive shards (listed: ${listed})`,
  );
}
