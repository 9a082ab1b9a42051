/**
 * Reads the entries [start, end) through an EntrySource, which may answer short (CT pages,
 * partial tiles): asks again from where the last answer stopped. Every answer must continue
 * exactly where it was asked to, in index order, and stay below `end`.
 */

import type { EntrySource, ScanTarget } from '../entries/entry-source.ts';
import type { ReceivedEntry } from '../entries/received-entry.ts';
import { TlogError } from '../errors.ts';

export async function fetchEntryRange(
  source: EntrySource,
  target: ScanTarget,
  start: bigint,
  end: bigint,
): Promise<ReceivedEntry[]> {
  const entries: ReceivedEntry[] = [];
  let next = start;
  while (next < end) {
    const got = await source.fetchEntries(target, next, end);
    if (got.length === 0) {
      throw new TlogError('response/malformed', `asked for entries [${next}, ${end}), got none`, {
        expected: String(next),
      });
    }
    for (const e of got) {
      if (e.index !== next || next >= end) {
        throw new TlogError(
          'response/mismatch',
          `asked for entries [${next}, ${end}) in order, got entry index ${e.index} where ${next < end ? `index ${next}` : 'none'} was expected`,
          { expected: String(next), actual: String(e.index) },
        );
      }
      entries.push(e);
      next++;
    }
  }
  return entries;
}
