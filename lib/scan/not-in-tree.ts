/**
 * Entries that do not fold to the signed root are not in the tree: misbehaviour (`inconsistent`,
 * docs/contracts.md "Identity monitoring"), with evidence: the entry, its index, the signed head.
 *
 * The first bad entry is pinpointed by binary search with consistency proofs at intermediate
 * sizes: a prefix [0, k) whose fold the log proves consistent with the signed head is in the
 * tree, so the first entry is found at the largest k the log can prove. That names the first
 * entry the log could not tie to its signed root; the misbehaviour itself rests on the whole fold
 * failing against the signed root, which needs no cooperation from the log.
 */
import { toBase64, toHex } from '../bytes.ts';
import type { ScanTarget } from '../entries/entry-source.ts';
import type { ReceivedEntry } from '../entries/received-entry.ts';
import { TlogError } from '../errors.ts';
import type { LogClient } from '../logs/log-client.ts';
import { type CompactRange, compactRangeRoot } from '../merkle/index.ts';
import type { Evidence } from '../monitor/check-result.ts';
import { type PrefixVerdict, provePrefix } from './prove-prefix.ts';

/** The compact range of [0, start) a range was folded on to, and whether it is proven already. */
export interface Prefix {
  readonly range: CompactRange;
  /** True for a scan cursor; false for a range served by the log (EntrySource.fetchRangeBefore). */
  readonly proven: boolean;
}

/** Entry bytes kept in evidence when the bad entry cannot be pinpointed (DynamoDB items hold 400 KB). */
const MAX_UNPINPOINTED_BYTES = 256 * 1024;

export async function notInTreeError(
  client: LogClient,
  target: ScanTarget,
  prefix: Prefix,
  entries: readonly ReceivedEntry[],
  leafHashes: readonly Uint8Array[],
  verdict: Exclude<PrefixVerdict, { proven: true }>,
): Promise<TlogError> {
  const start = prefix.range.end;
  const end = start + BigInt(entries.length);
  const head = target.head;
  const other: Record<string, string> = {
    range: `[${start}, ${end})`,
    foldedRoot: toBase64(verdict.root),
    ...(target.indexOffset !== undefined ? { indexOffset: String(target.indexOffset) } : {}),
    ...(verdict.proofs.length > 1 ? { firstProof: verdict.proofs[0] as string } : {}),
  };
  let where: string;
  try {
    const found = await firstUnproven(client, target, prefix, leafHashes);
    if (found === 'prefix') {
      other.rangeBefore = JSON.stringify(prefix.range.nodes().map(toBase64));
      where = `the compact range of [0, ${start}) the log served to start the scan is not a prefix of its signed tree`;
    } else {
      const entry = entries[Number(found.index - start)] as ReceivedEntry;
      other.entryIndex = String(found.index);
      other.entry = toBase64(entry.leaf);
      other.entryLeafHash = toHex(leafHashes[Number(found.index - start)] as Uint8Array);
      other.provenPrefix = JSON.stringify({ size: String(found.index), root: toBase64(found.root) });
      if (entry.unsigned !== undefined) other.entryUnsigned = toBase64(entry.unsigned);
      where = `the first entry the log cannot prove is index ${found.index} (leaf hash ${other.entryLeafHash})`;
    }
  } catch (e) {
    // Could not pinpoint (the log stopped answering): keep the entries themselves, as many as fit.
    const kept = keepEntries(entries);
    other.entries = JSON.stringify(kept.map((x) => ({ index: String(x.index), leaf: toBase64(x.leaf) })));
    where = `the bad entry could not be pinpointed (${e instanceof Error ? e.message : String(e)}); evidence keeps ${kept.length} of the ${entries.length} entries`;
  }
  const evidence: Evidence = {
    current: head.signed,
    ...(verdict.proofs.length > 0 ? { proof: verdict.proofs[verdict.proofs.length - 1] as string } : {}),
    other,
  };
  return new TlogError(
    'scan/not-in-tree',
    `inconsistent: entries [${start}, ${end}) as served are not in the tree of the signed head of size ${head.size}: ${verdict.message}; ${where}`,
    { evidence, cause: verdict.errorCode },
  );
}

type Found = 'prefix' | { readonly index: bigint; readonly root: Uint8Array };

async function firstUnproven(
  client: LogClient,
  target: ScanTarget,
  prefix: Prefix,
  leafHashes: readonly Uint8Array[],
): Promise<Found> {
  const start = prefix.range.end;
  const rangeAt = (k: bigint): CompactRange => {
    const r = prefix.range.clone();
    for (let i = start; i < k; i++) r.append(leafHashes[Number(i - start)] as Uint8Array);
    return r;
  };
  if (!prefix.proven && !(await provePrefix(client, target.head, prefix.range)).proven) return 'prefix';
  // Invariant: the prefix of size lo is proven; the one of size hi is not.
  let lo = start;
  let hi = start + BigInt(leafHashes.length);
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if ((await provePrefix(client, target.head, rangeAt(mid))).proven) lo = mid;
    else hi = mid;
  }
  return { index: lo, root: compactRangeRoot(rangeAt(lo)) };
}

function keepEntries(entries: readonly ReceivedEntry[]): ReceivedEntry[] {
  const kept: ReceivedEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    bytes += e.leaf.length;
    if (bytes > MAX_UNPINPOINTED_BYTES) break;
    kept.push(e);
  }
  return kept;
}
