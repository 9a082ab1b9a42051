/**
 * Every entry source against broken and hostile answers: each is a TlogError naming the entries
 * (never a crash, never entries that were not asked for), and 429 answers are waited out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ctEntrySource } from '../../lib/entries/ct/ct-source.ts';
import type { ScanTarget } from '../../lib/entries/entry-source.ts';
import { rekorV1EntrySource } from '../../lib/entries/rekor-v1/rekor-v1-source.ts';
import { parseTileLeaves } from '../../lib/entries/static-ct/tile-leaf.ts';
import { parseEntryBundle } from '../../lib/entries/tiles/entry-bundle.ts';
import { isTlogError, TlogError } from '../../lib/errors.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { ctClient } from '../../lib/logs/ct.ts';
import { rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import { type CtEntryLog, startCtEntryLog } from '../support/entries/ct-entry-log.ts';
import { type RekorEntryLog, startRekorEntryLog } from '../support/entries/rekor-v1-entry-log.ts';
import { loopbackHttp, recordingClock } from './helpers.ts';

const named = (code: string, index: string) => (e: unknown) => {
  assert.ok(isTlogError(e, code), `expected ${code}, got ${e}`);
  assert.equal(e.details?.index, index, `error names index ${index}: ${e.message}`);
  return true;
};

describe('rekor-v1 entry source, hostile answers', () => {
  let log: RekorEntryLog;
  let target: ScanTarget;
  before(async () => {
    log = await startRekorEntryLog({ initialSize: 40 });
    const client = rekorV1Client({
      url: log.url,
      key: parsePemPublicKey(log.publicKeyPem),
      http: loopbackHttp(),
      signerName: log.keyName,
    });
    target = { head: (await client.fetchView()).head, indexOffset: 0n };
  });
  after(() => log.close());
  const source = () =>
    rekorV1EntrySource({
      url: log.url,
      http: loopbackHttp(),
      clock: recordingClock(),
      concurrency: 1,
      requestsPerCall: 1,
    });

  for (const [kind, code] of [
    ['garbage', 'response/malformed'],
    ['bad-base64', 'response/malformed'],
    ['mismatch', 'response/mismatch'],
  ] as const) {
    it(`${kind} → ${code}, naming the first index asked`, async () => {
      log.respondWith(kind, { times: 1 });
      await assert.rejects(
        source().fetchEntries(target, 10n, 20n),
        named(code, kind === 'mismatch' ? '20' : '10'),
      );
    });
  }

  it('an answer that leaves out an index asked for → response/mismatch naming it', async () => {
    log.dropFromRetrieve({ times: 1 });
    await assert.rejects(source().fetchEntries(target, 10n, 20n), named('response/mismatch', '19'));
  });

  it('an answer over the size cap → http/too-large', async () => {
    log.respondWith('huge', { times: 1 });
    await assert.rejects(source().fetchEntries(target, 0n, 10n), (e) => isTlogError(e, 'http/too-large'));
  });

  it('waits out 429 Retry-After, halves the requests in flight, then reads everything', async () => {
    const clock = recordingClock();
    const s = rekorV1EntrySource({ url: log.url, http: loopbackHttp(clock), clock, concurrency: 4 });
    log.respondWith('status429', { times: 2, retryAfter: '3' });
    const got = await s.fetchEntries(target, 0n, 40n);
    assert.equal(got.length, 40);
    assert.equal(s.pool.stats.tooManyRequests, 2);
    assert.ok(clock.slept.length > 0 && clock.slept.every((ms) => ms <= 3000));
    assert.ok(
      clock.slept.some((ms) => ms >= 2000),
      `waited ${clock.slept}`,
    );
  });

  it('gives up with http/status 429 after too many', async () => {
    log.respondWith('status429', { retryAfter: '1' });
    try {
      await assert.rejects(
        source().fetchEntries(target, 0n, 10n),
        (e) => isTlogError(e, 'http/status') && e.details?.status === 429,
      );
    } finally {
      log.reset();
    }
  });
});

describe('ct entry source, hostile answers', () => {
  let log: CtEntryLog;
  let target: ScanTarget;
  before(async () => {
    log = await startCtEntryLog({ initialSize: 100 });
    const client = ctClient({ url: log.url, key: parsePemPublicKey(log.publicKeyPem), http: loopbackHttp() });
    target = { head: (await client.fetchView()).head };
  });
  after(() => log.close());
  const source = () =>
    ctEntrySource({
      url: log.url,
      http: loopbackHttp(),
      clock: recordingClock(),
      pageSize: 20,
      pagesPerCall: 1,
    });

  for (const [kind, code] of [
    ['garbage', 'response/malformed'],
    ['bad-base64', 'response/malformed'],
    ['status500', 'http/status'],
  ] as const) {
    it(`${kind} → ${code}`, async () => {
      log.respondWith(kind, { times: 1 });
      await assert.rejects(source().fetchEntries(target, 40n, 60n), (e) => {
        assert.ok(isTlogError(e, code), `${e}`);
        if (code.startsWith('response/')) assert.equal((e as TlogError).details?.index, '40');
        return true;
      });
    });
  }

  it('429 on get-entries is waited out', async () => {
    const clock = recordingClock();
    log.respondWith('status429', { times: 3, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    const got = await ctEntrySource({
      url: log.url,
      http: loopbackHttp(clock),
      clock,
      pageSize: 20,
    }).fetchEntries(target, 0n, 100n);
    assert.equal(got.length, 100);
  });
});

describe('bundle decoders never throw anything but a TlogError', () => {
  it('tlog-tiles entry bundles and static-ct data tiles, on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 256 }), (bytes, count) => {
        for (const parse of [parseEntryBundle, parseTileLeaves]) {
          try {
            const got = parse(bytes, count, 512n, 'tile/x');
            assert.equal(got.length, count);
          } catch (e) {
            assert.ok(
              e instanceof TlogError && e.code === 'response/malformed' && e.details?.index === '512',
              String(e),
            );
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
