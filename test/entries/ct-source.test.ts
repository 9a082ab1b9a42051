import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesEqual } from '../../lib/bytes.ts';
import { ctEntrySource } from '../../lib/entries/ct/ct-source.ts';
import type { ScanTarget } from '../../lib/entries/entry-source.ts';
import { isTlogError } from '../../lib/errors.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { ctClient } from '../../lib/logs/ct.ts';
import { type CtEntryLog, startCtEntryLog } from '../support/entries/ct-entry-log.ts';
import { realCtEntry } from '../support/entries/real-entries.ts';
import { loopbackHttp, recordingClock, rootFrom } from './helpers.ts';

async function targetOf(log: CtEntryLog): Promise<ScanTarget> {
  const client = ctClient({ url: log.url, key: parsePemPublicKey(log.publicKeyPem), http: loopbackHttp() });
  return { head: (await client.fetchView()).head };
}

describe('ct entry source', () => {
  let log: CtEntryLog;
  before(async () => {
    log = await startCtEntryLog({ initialSize: 700, maxPageSize: 64 });
  });
  after(() => log.close());

  it('reads real-sized entries over capped pages, asks again where a short answer stopped, learns the cap', async () => {
    const target = await targetOf(log);
    const source = ctEntrySource({
      url: log.url,
      http: loopbackHttp(),
      clock: recordingClock(),
      pageSize: 100,
      concurrency: 2,
      pagesPerCall: 3,
    });
    log.requests.length = 0;
    const got = await source.fetchEntries(target, 5n, 700n);
    assert.equal(got.length, 300);
    got.forEach((e, i) => {
      assert.equal(e.index, BigInt(5 + i));
      assert.ok(bytesEqual(e.leaf, log.entry(5 + i).leafInput));
      assert.ok(bytesEqual(e.unsigned as Uint8Array, realCtEntry().extraData));
    });
    // Pages of 100 answered 64 then 36: two requests each.
    assert.equal(log.requests.length, 6);
    assert.equal(source.pageSize, 64);
    const next = await source.fetchEntries(target, 305n, 700n);
    assert.equal(next.length, 64 * 3);
    assert.equal(next[0]?.index, 305n);
  });

  it('handles answers shorter than the cap anywhere, with nothing lost or repeated', async () => {
    const target = await targetOf(log);
    const source = ctEntrySource({
      url: log.url,
      http: loopbackHttp(),
      clock: recordingClock(),
      pageSize: 50,
      pagesPerCall: 4,
    });
    log.shortPages(7, { times: 5 });
    try {
      const got = await source.fetchEntries(target, 600n, 700n);
      assert.deepEqual(
        got.map((e) => e.index),
        Array.from({ length: 100 }, (_, i) => BigInt(600 + i)),
      );
    } finally {
      log.reset();
    }
  });

  it('range before any index, from the audit path, folds with the entries after it to the signed root', async () => {
    const target = await targetOf(log);
    const source = ctEntrySource({ url: log.url, http: loopbackHttp(), clock: recordingClock() });
    for (const k of [0n, 1n, 255n, 256n, 257n, 699n, 700n]) {
      const range = await source.fetchRangeBefore(target, k);
      const rest: Uint8Array[] = [];
      for (let s = k; s < 700n; ) {
        const page = await source.fetchEntries(target, s, 700n);
        for (const e of page) rest.push(e.leaf);
        s += BigInt(page.length);
      }
      assert.ok(bytesEqual(rootFrom(range, k, rest), target.head.rootHash), `range before ${k}`);
    }
  });

  it('refuses an answer with more entries than asked, naming the index', async () => {
    const target = await targetOf(log);
    const source = ctEntrySource({
      url: log.url,
      http: loopbackHttp(),
      clock: recordingClock(),
      pageSize: 10,
      pagesPerCall: 1,
    });
    log.respondWith('mismatch', { times: 1 });
    await assert.rejects(source.fetchEntries(target, 20n, 30n), (e) => {
      assert.ok(isTlogError(e, 'response/mismatch'));
      assert.equal(e.details?.index, '20');
      return true;
    });
  });
});

describe('ct entry source, pages over the byte cap', () => {
  it('asks again in halves down to what fits, reading every entry once', async () => {
    const log = await startCtEntryLog({ initialSize: 40 });
    try {
      const target = await targetOf(log);
      // ~4.5 KB per entry: a cap of 40 KB holds 8 entries, not 10.
      const source = ctEntrySource({
        url: log.url,
        http: loopbackHttp(),
        clock: recordingClock(),
        pageSize: 10,
        pagesPerCall: 4,
        maxPageBytes: 40_000,
      });
      const got = await source.fetchEntries(target, 0n, 40n);
      assert.equal(got[0]?.index, 0n);
      for (const [i, e] of got.entries()) assert.equal(e.index, BigInt(i));
      assert.ok(
        got.length >= 20 && source.pageSize === 5,
        `${got.length} entries, page size ${source.pageSize}`,
      );
      // One entry bigger than the cap cannot be split: the error says so.
      const tiny = ctEntrySource({
        url: log.url,
        http: loopbackHttp(),
        clock: recordingClock(),
        maxPageBytes: 1000,
      });
      await assert.rejects(tiny.fetchEntries(target, 0n, 2n), (e) => isTlogError(e, 'http/too-large'));
    } finally {
      await log.close();
    }
  });
});
