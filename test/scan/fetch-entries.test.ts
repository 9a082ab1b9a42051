/**
 * A source that answers out of order, empty or past the end is a malformed answer (exit 2),
 * never taken for entries that are not in the tree (exit 1); short answers are asked again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../lib/bytes.ts';
import type { EntrySource, ScanTarget } from '../../lib/entries/entry-source.ts';
import type { ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { TlogError } from '../../lib/errors.ts';
import { fetchEntryRange } from '../../lib/scan/fetch-entries.ts';

const target = { head: { size: 100n, rootHash: new Uint8Array(32), signed: '', origin: 'x' } } as ScanTarget;
const entry = (index: bigint): ReceivedEntry => ({ index, leaf: utf8(`e${index}`) });

function source(
  answer: (start: bigint, end: bigint) => ReceivedEntry[],
): EntrySource & { asked: bigint[][] } {
  const asked: bigint[][] = [];
  return {
    asked,
    format: 'ct',
    fetchEntries: async (_t, start, end) => {
      asked.push([start, end]);
      return answer(start, end);
    },
    fetchRangeBefore: async () => [],
  };
}

const malformed = (code: string) => (e: unknown) => e instanceof TlogError && e.code === code;

describe('fetchEntryRange', () => {
  it('asks again from where a short answer stopped', async () => {
    const s = source((start, end) => {
      const out: ReceivedEntry[] = [];
      for (let i = start; i < end && i < start + 3n; i++) out.push(entry(i));
      return out;
    });
    const got = await fetchEntryRange(s, target, 10n, 18n);
    assert.deepEqual(
      got.map((e) => e.index),
      [10n, 11n, 12n, 13n, 14n, 15n, 16n, 17n],
    );
    assert.deepEqual(s.asked, [
      [10n, 18n],
      [13n, 18n],
      [16n, 18n],
    ]);
  });

  it('refuses an empty answer, a gap, a repeat and an entry past the end', async () => {
    await assert.rejects(
      fetchEntryRange(
        source(() => []),
        target,
        0n,
        5n,
      ),
      malformed('response/malformed'),
    );
    await assert.rejects(
      fetchEntryRange(
        source((s) => [entry(s), entry(s + 2n)]),
        target,
        0n,
        5n,
      ),
      malformed('response/mismatch'),
    );
    await assert.rejects(
      fetchEntryRange(
        source((s) => [entry(s), entry(s)]),
        target,
        0n,
        5n,
      ),
      malformed('response/mismatch'),
    );
    await assert.rejects(
      fetchEntryRange(
        source((s, e) => [entry(s), entry(e)]),
        target,
        4n,
        5n,
      ),
      malformed('response/mismatch'),
    );
  });
});
