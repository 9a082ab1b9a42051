/**
 * The tile log client against the in-repo tile log server over real HTTP on loopback
 * (tlog-tiles with Ed25519 and ECDSA keys, static-ct-api with RFC6962NoteSignature): heads,
 * proofs from level-0/1/2 and partial tiles, partial-tile fallback, cache and re-fetch, bounded
 * concurrency, broken tiles, and a forked tile kept as evidence.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { bytesEqual, fromBase64 } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import type { HttpClient } from '../../lib/http/ports.ts';
import type { VerifiedHead } from '../../lib/logs/log-client.ts';
import { type TileLogClient, tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import { verifyConsistency } from '../../lib/merkle/index.ts';
import { statusForError } from '../../lib/monitor/classify-error.ts';
import { tileProofEvidence } from '../../lib/tiles/proof-evidence.ts';
import { startTileLog, type TileLog } from '../support/tile-log-server.ts';
import { loopbackHttp } from './helpers.ts';

const BIG = 2 ** 17 + 1000;

function clientFor(
  log: TileLog,
  options: { http?: HttpClient; concurrency?: number; min?: number } = {},
): TileLogClient {
  return tileLogClient({
    type: log.type,
    url: log.url,
    origin: log.origin,
    verifiers: [tileLogVerifier(log.type, log.publicKey, log.origin)],
    http: options.http ?? loopbackHttp(),
    ...(log.witnessKeys.length > 0 ? { witnesses: log.witnessKeys, minWitnesses: options.min ?? 0 } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
}

async function proveAndVerify(c: TileLogClient, a: VerifiedHead, b: VerifiedHead) {
  const proof = await c.fetchConsistencyProof(a, b);
  verifyConsistency(a.size, b.size, a.rootHash, b.rootHash, proof.hashes);
  return proof;
}

describe('tile client vs the tile log server (tiles, Ed25519, 2^17 + 1000 leaves)', () => {
  let log: TileLog;
  before(async () => {
    log = await startTileLog({ type: 'tiles', initialSize: BIG, witnesses: 2 });
  });
  after(() => log.close());

  it('verifies the checkpoint and reports the witnesses that cosigned', async () => {
    log.reset();
    const { head } = await clientFor(log, { min: 2 }).fetchView();
    assert.equal(head.size, BigInt(BIG));
    assert.ok(bytesEqual(head.rootHash, log.rootHash()));
    assert.deepEqual(head.witnesses, ['witness-0.test.local', 'witness-1.test.local']);
    assert.equal(log.requests.at(-1), '/checkpoint');
  });

  it('proves growth across level-0, -1 and -2 tiles, full and partial', async () => {
    log.reset();
    const c = clientFor(log);
    const old = c.verifyStoredHead(log.checkpoint());
    log.append(70_000);
    const { head } = await c.fetchView();
    log.clearStats();
    await proveAndVerify(c, old, head);
    const tiles = log.requests.filter((p) => p.startsWith('/tile/'));
    assert.deepEqual([...new Set(tiles.map((p) => p.split('/')[2]))].sort(), ['0', '1', '2']);
    assert.ok(tiles.some((p) => p.includes('.p/')));
    assert.equal(c.tiles.stats.requests, tiles.length);
    // Nothing but hash tiles is read for the proof: no key, no entries, no other endpoint.
    assert.deepEqual(log.requests, tiles);
  });

  it('falls back to the full tile when a partial tile is gone', async () => {
    log.reset();
    const c = clientFor(log);
    const old = c.verifyStoredHead(log.checkpoint());
    log.append(300);
    const mid = c.verifyStoredHead(log.checkpoint());
    log.append(700, { publish: false }); // tiles ahead of the checkpoint fill the level-0 partial tiles
    log.dropPartialTiles({ level: 0 });
    await proveAndVerify(c, old, mid);
    assert.ok(c.tiles.stats.fallbacks > 0);
    log.publish();
  });

  it('a partial tile that is gone with no full tile yet is unreachable', async () => {
    log.reset();
    const c = clientFor(log);
    const old = c.verifyStoredHead(log.checkpoint());
    log.append(3);
    const next = c.verifyStoredHead(log.checkpoint());
    log.dropPartialTiles();
    await assert.rejects(c.fetchConsistencyProof(old, next), (e) => statusForError(e) === 'unreachable');
    log.reset();
  });

  it('caches tiles within a check and re-fetches when the same proof is asked again', async () => {
    log.reset();
    const c = clientFor(log);
    const a = c.verifyStoredHead(log.checkpoint());
    log.append(1000);
    const b = c.verifyStoredHead(log.checkpoint());
    await proveAndVerify(c, a, b);
    const first = c.tiles.stats.requests;
    assert.ok(first > 0);
    const mid = { ...b, size: a.size + 1n, rootHash: log.rootHash(Number(a.size) + 1) };
    await proveAndVerify(c, mid, b);
    assert.ok(c.tiles.stats.cacheHits > 0);
    assert.ok(c.tiles.stats.requests < 2 * first, 'the second, different proof reuses cached tiles');
    const before = c.tiles.stats.requests;
    const again = await proveAndVerify(c, a, b); // asked again: a re-fetch, with a diagnosis
    assert.ok(c.tiles.stats.requests - before >= first, 'the cache is bypassed');
    const { diagnosis } = JSON.parse(again.raw);
    assert.deepEqual([diagnosis.tilesMatchFirst, diagnosis.tilesMatchSecond], [true, true]);
  });

  it('keeps at most `concurrency` tile requests in flight', async () => {
    log.reset();
    const inner = loopbackHttp();
    let inFlight = 0;
    let peak = 0;
    const http: HttpClient = {
      async get(url, o) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return await inner.get(url, o);
        } finally {
          inFlight--;
        }
      },
    };
    const c = clientFor(log, { http, concurrency: 2 });
    const a = c.verifyStoredHead(log.checkpoint());
    log.append(50_000);
    const b = c.verifyStoredHead(log.checkpoint());
    await proveAndVerify(c, a, b);
    assert.ok(c.tiles.stats.requests > 2);
    assert.equal(peak, 2);
  });

  it('a forked tile makes the proof fail; the served tile is in the evidence', async () => {
    log.reset();
    const c = clientFor(log);
    const a = c.verifyStoredHead(log.checkpoint());
    log.append(5000);
    const b = c.verifyStoredHead(log.checkpoint());
    log.forkTiles({ level: 0 });
    const proof = await c.fetchConsistencyProof(a, b);
    assert.throws(
      () => verifyConsistency(a.size, b.size, a.rootHash, b.rootHash, proof.hashes),
      (e) => isTlogError(e, 'merkle/'),
    );
    const raw = JSON.parse(proof.raw);
    assert.equal(raw.computedFrom, 'tiles');
    assert.equal(raw.first, a.size.toString());
    const level0 = Object.entries(raw.tiles as Record<string, string>).filter(([p]) =>
      p.startsWith('tile/0/'),
    );
    assert.ok(level0.length > 0);
    // The evidence holds the altered bytes exactly as served: each hash's first byte flipped.
    log.reset();
    const honest = await loopbackHttp().get(`${log.url}/${level0[0]?.[0]}`);
    const served = fromBase64(level0[0]?.[1] as string);
    assert.equal(served.length, honest.body.length);
    assert.equal((served[0] as number) ^ (honest.body[0] as number), 0xff);
  });

  it('short, oversized and missing tiles are invalid-response or unreachable', async () => {
    const cases: [Parameters<TileLog['respondWith']>[0], string][] = [
      ['short', 'invalid-response'],
      ['huge', 'invalid-response'],
      ['status500', 'unreachable'],
    ];
    for (const [kind, status] of cases) {
      log.reset();
      const c = clientFor(log);
      const a = c.verifyStoredHead(log.checkpoint());
      log.append(10);
      const b = c.verifyStoredHead(log.checkpoint());
      log.respondWith(kind, 'tile');
      await assert.rejects(c.fetchConsistencyProof(a, b), (e) => statusForError(e) === status, kind);
    }
    log.reset();
  });

  it('a tile longer than the width the verified checkpoint implies is invalid-response', async () => {
    // Widths come only from the verified tree size (c2sp.org/tlog-tiles): a tile answer with one
    // hash more than that width is not trimmed and used, it is refused.
    log.reset();
    const inner = loopbackHttp();
    const http: HttpClient = {
      async get(url, o) {
        const r = await inner.get(url, o);
        if (!url.includes('/tile/')) return r;
        const body = new Uint8Array(r.body.length + 32);
        body.set(r.body);
        return { ...r, body };
      },
    };
    const c = clientFor(log, { http });
    const a = c.verifyStoredHead(log.checkpoint());
    log.append(10);
    const b = c.verifyStoredHead(log.checkpoint());
    await assert.rejects(
      c.fetchConsistencyProof(a, b),
      (e) => statusForError(e) === 'invalid-response' && /expected \d+ bytes/.test(String(e)),
    );
    log.reset();
  });

  it('bad checkpoint signatures, wrong origin, too few witnesses and a bad cosignature are bad-signature', async () => {
    const cases: [string, () => void][] = [
      ['pinned key ID, other key', () => log.badSignature()],
      ['other key ID', () => log.badSignature({ keyHint: 'signer' })],
      ['wrong origin', () => log.wrongOrigin()],
      ['one witness of two', () => log.cosignBy(1)],
      ['bad cosignature', () => log.badCosignature(1)],
    ];
    for (const [what, lie] of cases) {
      log.reset();
      lie();
      await assert.rejects(
        clientFor(log, { min: 2 }).fetchView(),
        (e) => statusForError(e) === 'bad-signature',
        what,
      );
    }
    log.reset();
  });
});

describe('tile client: ECDSA tiles log and static-ct-api log', () => {
  for (const options of [{ type: 'tiles', keyKind: 'p256' }, { type: 'static-ct' }] as const) {
    it(`${options.type}${'keyKind' in options ? ' (ECDSA)' : ''}: verifies heads and proves growth`, async () => {
      const log = await startTileLog({ ...options, initialSize: 600 });
      try {
        const c = clientFor(log);
        const a = (await c.fetchView()).head;
        if (log.type === 'static-ct') assert.ok(a.timestamp !== undefined && a.timestamp > 0n);
        log.append(66_000);
        const b = (await c.fetchView()).head;
        await proveAndVerify(c, a, b);
        log.badSignature();
        await assert.rejects(c.fetchView(), (e) => statusForError(e) === 'bad-signature');
      } finally {
        await log.close();
      }
    });
  }
});

describe('tile proof evidence', () => {
  it('keeps tiles in full up to the budget, then by SHA-256 only', () => {
    const tiles = Array.from({ length: 14 }, (_, i) => ({
      path: `tile/0/${i}`,
      bytes: new Uint8Array(8192).fill(i),
    }));
    const raw = JSON.parse(tileProofEvidence(1n, 2n, [new Uint8Array(32)], tiles));
    assert.equal(Object.keys(raw.tiles).length, 12);
    assert.equal(Object.keys(raw.tileDigests).length, 2);
    assert.match(raw.tileDigests['tile/0/13'], /^sha256:[0-9a-f]{64}$/);
    assert.equal(raw.hashes.length, 1);
  });
});

describe('tile client: witness configuration', () => {
  it('refuses a witness named as the log itself: a log cannot witness itself', async () => {
    const log = await startTileLog({ type: 'tiles', initialSize: 3 });
    try {
      // The log's own Ed25519 key configured as a "witness": its log signature would count.
      assert.throws(
        () =>
          tileLogClient({
            type: 'tiles',
            url: log.url,
            origin: log.origin,
            verifiers: [tileLogVerifier('tiles', log.publicKey, log.origin)],
            http: loopbackHttp(),
            witnesses: [log.publicKey],
            minWitnesses: 1,
          }),
        (e: unknown) => isTlogError(e, 'config/') && /cannot witness itself/.test(String(e)),
      );
    } finally {
      await log.close();
    }
  });

  it("refuses the log's own key under another name as a witness (by key material, not name)", async () => {
    const log = await startTileLog({ type: 'tiles', initialSize: 3 });
    try {
      // The log's Ed25519 key (vkey type 0x01) re-published as the cosignature/v1 (0x04) and the
      // plain Ed25519 (0x01) key of "witness.example": the log could cosign its own heads.
      const raw = fromBase64(log.publicKey.split('+').slice(2).join('+')).subarray(1);
      for (const type of [0x01, 0x04]) {
        const name = 'witness.example';
        const id = createHash('sha256')
          .update(name)
          .update(Uint8Array.of(0x0a, type))
          .update(raw)
          .digest()
          .subarray(0, 4)
          .toString('hex');
        const disguised = `${name}+${id}+${Buffer.concat([Uint8Array.of(type), raw]).toString('base64')}`;
        assert.throws(
          () =>
            tileLogClient({
              type: 'tiles',
              url: log.url,
              origin: log.origin,
              verifiers: [tileLogVerifier('tiles', log.publicKey, log.origin)],
              http: loopbackHttp(),
              witnesses: [disguised],
              minWitnesses: 1,
            }),
          (e: unknown) =>
            isTlogError(e, 'config/') &&
            /witness\.example/.test(String(e)) &&
            /log's own key/.test(String(e)) &&
            /cannot witness itself/.test(String(e)),
          `type 0x0${type}`,
        );
      }
    } finally {
      await log.close();
    }
  });
});
