import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesEqual } from '../../lib/bytes.ts';
import type { ScanTarget } from '../../lib/entries/entry-source.ts';
import { rekorV1EntrySource } from '../../lib/entries/rekor-v1/rekor-v1-source.ts';
import { isTlogError } from '../../lib/errors.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import { hashLeaf, MemoryHashSource } from '../../lib/merkle/index.ts';
import { realRekorV1Entries } from '../support/entries/real-entries.ts';
import { type RekorEntryLog, startRekorEntryLog } from '../support/entries/rekor-v1-entry-log.ts';
import { loopbackHttp, recordingClock, rootFrom } from './helpers.ts';

/** The verified view of the log, as the check hands it to the scan. */
async function targetOf(log: RekorEntryLog): Promise<ScanTarget> {
  const client = rekorV1Client({
    url: log.url,
    key: parsePemPublicKey(log.publicKeyPem),
    http: loopbackHttp(),
    signerName: log.keyName,
  });
  const view = await client.fetchView();
  return { head: view.head, indexOffset: BigInt(log.indexOffset) };
}

describe('rekor-v1 entry source', () => {
  let log: RekorEntryLog;
  before(async () => {
    log = await startRekorEntryLog({ initialSize: 57 });
  });
  after(() => log.close());

  it('fetches real bodies 10 per retrieve request, in order, with tree indices', async () => {
    const target = await targetOf(log);
    const source = rekorV1EntrySource({
      url: log.url,
      http: loopbackHttp(),
      clock: recordingClock(),
      concurrency: 3,
    });
    log.requests.length = 0;
    const got = await source.fetchEntries(target, 3n, 57n);
    assert.equal(got.length, 54);
    got.forEach((e, i) => {
      assert.equal(e.index, BigInt(3 + i));
      assert.ok(bytesEqual(e.leaf, log.body(3 + i)));
    });
    const posts = log.requests.filter((r) => r.startsWith('POST'));
    assert.equal(posts.length, 6);
    assert.ok(posts.every((p) => JSON.parse(p.split(' ')[2] as string).logIndexes.length <= 10));
    // The bodies are the real canonicalized entries from the vectors.
    const real = new Set(realRekorV1Entries().map((r) => Buffer.from(r.body).toString('base64')));
    assert.ok(got.every((e) => real.has(Buffer.from(e.leaf).toString('base64'))));
  });

  it('falls back to one GET per entry with a client that cannot POST', async () => {
    const target = await targetOf(log);
    const http = loopbackHttp();
    const source = rekorV1EntrySource({ url: log.url, http: { get: http.get }, clock: recordingClock() });
    log.requests.length = 0;
    const got = await source.fetchEntries(target, 0n, 4n);
    assert.deepEqual(
      got.map((e) => e.index),
      [0n, 1n, 2n, 3n],
    );
    assert.deepEqual(
      log.requests,
      [0, 1, 2, 3].map((i) => `GET /api/v1/log/entries?logIndex=${i}`),
    );
  });

  it('range before any index, from the inclusion proof, folds with the entries after it to the signed root', async () => {
    const target = await targetOf(log);
    const source = rekorV1EntrySource({ url: log.url, http: loopbackHttp(), clock: recordingClock() });
    for (const k of [0n, 1n, 2n, 31n, 32n, 33n, 56n, 57n]) {
      const range = await source.fetchRangeBefore(target, k);
      const rest = k < 57n ? (await source.fetchEntries(target, k, 57n)).map((e) => e.leaf) : [];
      assert.ok(bytesEqual(rootFrom(range, k, rest), target.head.rootHash), `range before ${k}`);
    }
  });
});

describe('rekor-v1 entry source with shards', () => {
  it('asks global logIndex = tree index + indexOffset and returns tree indices', async () => {
    const log = await startRekorEntryLog({ initialSize: 25 });
    try {
      log.rotateShard();
      log.append(13);
      const target = await targetOf(log);
      assert.equal(target.indexOffset, 25n);
      const source = rekorV1EntrySource({ url: log.url, http: loopbackHttp(), clock: recordingClock() });
      log.requests.length = 0;
      const got = await source.fetchEntries(target, 0n, 13n);
      assert.deepEqual(
        got.map((e) => e.index),
        Array.from({ length: 13 }, (_, i) => BigInt(i)),
      );
      for (const [i, e] of got.entries()) assert.ok(bytesEqual(e.leaf, log.body(i)));
      assert.deepEqual(
        JSON.parse(log.requests[0]?.split(' ')[2] as string).logIndexes,
        [25, 26, 27, 28, 29, 30, 31, 32, 33, 34],
      );
      const tree = new MemoryHashSource(got.map((e) => hashLeaf(e.leaf)));
      assert.ok(bytesEqual(tree.root(), target.head.rootHash));
      // Without the offset, the answer's proofs name other tree indices: a mismatch, not wrong entries.
      await assert.rejects(source.fetchEntries({ head: target.head }, 0n, 5n), (e) =>
        isTlogError(e, 'response/mismatch'),
      );
    } finally {
      await log.close();
    }
  });
});
