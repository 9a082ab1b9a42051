/**
 * Stand-ins for the entry sources (lib/entries/) and the matchers (lib/identity/) in scan unit
 * and CLI tests: a source that serves the leaves of an in-memory tree (pages of a chosen size,
 * forged entries on demand) and a matcher over the leaf text.
 */
import type { EntrySource, ScanTarget } from '../../lib/entries/entry-source.ts';
import type { EntryFormat, ReceivedEntry } from '../../lib/entries/received-entry.ts';
import type { EntryMatcher, EntryVerdict } from '../../lib/identity/identity-match.ts';
import { CompactRange } from '../../lib/merkle/index.ts';

/** The leaves of one tree: their data by index, and their leaf hashes (for the range before an index). */
export interface LeafTree {
  leafData(index: bigint): Uint8Array;
  leafHash(index: bigint): Uint8Array;
}

export interface FakeSourceOptions {
  /** Most entries per answer (CT pages answer short). Default 100. */
  readonly pageSize?: number;
  readonly format?: EntryFormat;
}

export class FakeEntrySource implements EntrySource {
  readonly format: EntryFormat;
  /** Entries served with other bytes than the tree has (a lie), by shard ('' for none) and index. */
  readonly forged = new Map<string, Uint8Array>();
  /** Every fetchEntries call: [shard, start, end, indexOffset]. */
  readonly calls: [string, bigint, bigint, bigint | undefined][] = [];
  readonly #trees: (shard: string) => LeafTree;
  readonly #pageSize: bigint;

  constructor(trees: (shard: string) => LeafTree, options: FakeSourceOptions = {}) {
    this.#trees = trees;
    this.#pageSize = BigInt(options.pageSize ?? 100);
    this.format = options.format ?? 'rekor-v1';
  }

  /** Answers for this many fetches of the forged entries, then honestly again (default: until cleared). */
  forgedAnswers = Number.POSITIVE_INFINITY;

  forge(index: bigint, data: string, shard = ''): void {
    this.forged.set(`${shard}/${index}`, new TextEncoder().encode(data));
  }

  async fetchEntries(target: ScanTarget, start: bigint, end: bigint): Promise<readonly ReceivedEntry[]> {
    const shard = target.head.shard ?? '';
    this.calls.push([shard, start, end, target.indexOffset]);
    const tree = this.#trees(shard);
    const stop = end < start + this.#pageSize ? end : start + this.#pageSize;
    const out: ReceivedEntry[] = [];
    let forgedServed = false;
    for (let i = start; i < stop; i++) {
      const forged = this.forgedAnswers > 0 ? this.forged.get(`${shard}/${i}`) : undefined;
      forgedServed ||= forged !== undefined;
      out.push({ index: i, leaf: forged ?? tree.leafData(i) });
    }
    if (forgedServed) this.forgedAnswers--;
    return out;
  }

  async fetchRangeBefore(target: ScanTarget, index: bigint): Promise<readonly Uint8Array[]> {
    const tree = this.#trees(target.head.shard ?? '');
    const r = CompactRange.empty(0n);
    for (let i = 0n; i < index; i++) r.append(tree.leafHash(i));
    return r.nodes();
  }
}

/**
 * Matches an entry whose leaf text fully matches `pattern` (rule = the pattern's source, value =
 * the text); an entry whose text fully matches `unreadable` is skipped.
 */
export function textMatcher(
  pattern: RegExp,
  unreadable = /.*unreadable.*/,
): EntryMatcher & { seen: bigint[] } {
  const seen: bigint[] = [];
  return {
    seen,
    match(_format: EntryFormat, entry: ReceivedEntry): EntryVerdict {
      seen.push(entry.index);
      const text = new TextDecoder().decode(entry.leaf);
      if (whole(unreadable).test(text)) return { skipped: `unreadable test entry ${JSON.stringify(text)}` };
      if (!whole(pattern).test(text)) return { matches: [] };
      return {
        matches: [{ matcher: 'certIdentities', rule: pattern.source, values: [text], entryType: 'test' }],
      };
    },
  };
}

const whole = (re: RegExp) => new RegExp(`^(?:${re.source})$`);
