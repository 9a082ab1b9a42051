import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesEqual } from '../../lib/bytes.ts';
import type { ScanTarget } from '../../lib/entries/entry-source.ts';
import { tileEntrySource } from '../../lib/entries/tiles/tile-entry-source.ts';
import { isTlogError } from '../../lib/errors.ts';
import { tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import { hashLeaf } from '../../lib/merkle/index.ts';
import { realCtEntry, realRekorV2Entries } from '../support/entries/real-entries.ts';
import { startTileEntryLog, type TileEntryLog } from '../support/entries/tile-entry-log.ts';
import { loopbackHttp, recordingClock, rootFrom } from './helpers.ts';

async function targetOf(log: TileEntryLog): Promise<ScanTarget> {
  const client = tileLogClient({
    type: log.type,
    url: log.url,
    origin: log.origin,
    verifiers: [tileLogVerifier(log.type, log.publicKey, log.origin)],
    http: loopbackHttp(),
  });
  return { head: (await client.fetchView()).head };
}

async function readAll(source: ReturnType<typeof tileEntrySource>, target: ScanTarget, from: bigint) {
  const out = [];
  for (let s = from; s < target.head.size; ) {
    const got = await source.fetchEntries(target, s, target.head.size);
    out.push(...got);
    s += BigInt(got.length);
  }
  return out;
}

for (const type of ['tiles', 'static-ct'] as const) {
  describe(`${type} entry source`, () => {
    let log: TileEntryLog;
    before(async () => {
      log = await startTileEntryLog({ type, initialSize: 600 });
    });
    after(() => log.close());

    it('reads full and partial bundles (widths from the verified size) and rebuilds the signed root', async () => {
      const target = await targetOf(log);
      const source = tileEntrySource({
        type,
        url: log.url,
        http: loopbackHttp(),
        clock: recordingClock(),
        concurrency: 2,
      });
      log.requests.length = 0;
      const got = await readAll(source, target, 0n);
      assert.equal(got.length, 600);
      got.forEach((e, i) => {
        assert.equal(e.index, BigInt(i));
        assert.ok(bytesEqual(e.leaf, log.leaf(i)));
      });
      const kind = type === 'tiles' ? 'entries' : 'data';
      assert.deepEqual(log.requests, [`/tile/${kind}/000`, `/tile/${kind}/001`, `/tile/${kind}/002.p/88`]);
      assert.ok(
        bytesEqual(
          rootFrom(
            [],
            0n,
            got.map((e) => e.leaf),
          ),
          target.head.rootHash,
        ),
      );
    });

    it('cuts bundles to the range asked, starting mid-bundle', async () => {
      const target = await targetOf(log);
      const source = tileEntrySource({ type, url: log.url, http: loopbackHttp(), clock: recordingClock() });
      const got = await source.fetchEntries(target, 250n, 260n);
      assert.deepEqual(
        got.map((e) => e.index),
        Array.from({ length: 10 }, (_, i) => BigInt(250 + i)),
      );
    });

    it('reads a partial bundle that is gone from the full one once the log has grown', async () => {
      const target = await targetOf(log);
      const grown = await startTileEntryLog({ type, initialSize: 0 });
      try {
        grown.appendEntries(Array.from({ length: 600 }, (_, i) => log.leaf(i)));
        grown.append(200);
        grown.dropPartialBundles();
        // The verified head is still the 600-entry one: bundle 2 has width 88 there.
        const source = tileEntrySource({
          type,
          url: grown.url,
          http: loopbackHttp(),
          clock: recordingClock(),
        });
        const got = await source.fetchEntries(target, 512n, 600n);
        assert.equal(got.length, 88);
        assert.ok(bytesEqual(got[87]?.leaf as Uint8Array, log.leaf(599)));
        const kind = type === 'tiles' ? 'entries' : 'data';
        assert.deepEqual(grown.requests, [`/tile/${kind}/002.p/88`, `/tile/${kind}/002`]);
      } finally {
        await grown.close();
      }
    });

    it('range before any index from the hash tiles folds with the entries after it to the signed root', async () => {
      const target = await targetOf(log);
      const source = tileEntrySource({ type, url: log.url, http: loopbackHttp(), clock: recordingClock() });
      for (const k of [0n, 1n, 255n, 256n, 257n, 513n, 599n, 600n]) {
        const range = await source.fetchRangeBefore(target, k);
        const rest = k < 600n ? (await readAll(source, target, k)).map((e) => e.leaf) : [];
        assert.ok(bytesEqual(rootFrom(range, k, rest), target.head.rootHash), `range before ${k}`);
      }
    });

    it('refuses bundles with trailing bytes or an overrunning entry, naming the first index', async () => {
      const target = await targetOf(log);
      const source = tileEntrySource({ type, url: log.url, http: loopbackHttp(), clock: recordingClock() });
      for (const kind of ['mismatch', 'bad-base64', 'garbage'] as const) {
        log.respondWith(kind, { times: 1 });
        await assert.rejects(source.fetchEntries(target, 256n, 300n), (e) => {
          assert.ok(isTlogError(e, 'response/malformed'), `${kind}: ${e}`);
          assert.equal(e.details?.index, '256');
          return true;
        });
      }
    });
  });
}

describe('entry content from the vectors', () => {
  it('tiles serves real Rekor v2 bodies; static-ct rebuilds the real Icarus MerkleTreeLeaf exactly', async () => {
    const tiles = await startTileEntryLog({ type: 'tiles', initialSize: 3 });
    const ct = await startTileEntryLog({ type: 'static-ct', initialSize: 0 });
    try {
      const real = realCtEntry();
      ct.appendEntries([real.leafInput]);
      const v2 = realRekorV2Entries();
      const a = await tileEntrySource({
        type: 'tiles',
        url: tiles.url,
        http: loopbackHttp(),
        clock: recordingClock(),
      }).fetchEntries(await targetOf(tiles), 0n, 3n);
      assert.ok(a.every((e, i) => bytesEqual(e.leaf, v2[i]?.body as Uint8Array)));
      const [first] = await tileEntrySource({
        type: 'static-ct',
        url: ct.url,
        http: loopbackHttp(),
        clock: recordingClock(),
      }).fetchEntries(await targetOf(ct), 0n, 1n);
      assert.ok(first !== undefined);
      const b = first;
      assert.ok(bytesEqual(b.leaf, real.leafInput));
      // Icarus leaf 120000000's hash, as recorded in the vectors.
      assert.equal(
        Buffer.from(hashLeaf(b.leaf)).toString('hex'),
        'adc858cba52654ee52ddebc996eb49654c7fcad7457c7c4a7682785c0c31dfdc',
      );
      assert.equal((b.unsigned as Uint8Array).length % 32, 0);
    } finally {
      await tiles.close();
      await ct.close();
    }
  });
});
