/**
 * The Tessera test log (tiles/tessera-testdata-log.json, transparency-dev/tessera testdata/log),
 * served from its own files on loopback: every pair of its checkpoints is proven consistent
 * from its tiles, and the tiles are checked against the entry bundles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesEqual, fromHex, utf8 } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import type { VerifiedHead } from '../../lib/logs/log-client.ts';
import { tileLogClient } from '../../lib/logs/tiles.ts';
import { hashLeaf, MemoryHashSource, verifyConsistency } from '../../lib/merkle/index.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector } from '../support/vectors.ts';
import { type FileServer, loopbackHttp, serveFiles } from './helpers.ts';

interface Tessera {
  vkey: string;
  checkpoints: { file: string; checkpoint: string; size: number; rootHash: string }[];
  tilesHex: Record<string, string>;
  entryBundlesHex: Record<string, string>;
}

const v: Tessera = readVector('tiles/tessera-testdata-log.json');
const ORIGIN = 'example.com/log/testdata';

/** Entries of a bundle: u16 big-endian length-prefixed byte strings (c2sp.org/tlog-tiles, "Entry bundles"). */
function bundleEntries(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    out.push(bytes.slice(i + 2, i + 2 + n));
    i += 2 + n;
  }
  return out;
}

describe('tessera test log served from files', () => {
  let server: FileServer;
  const files = new Map<string, Uint8Array>();
  for (const [path, hex] of Object.entries(v.tilesHex)) files.set(path, fromHex(hex));
  for (const c of v.checkpoints)
    if (c.file === 'testdata/log/checkpoint') files.set('checkpoint', utf8(c.checkpoint));

  before(async () => {
    server = await serveFiles(files);
  });
  after(() => server.close());

  const client = () =>
    tileLogClient({
      type: 'tiles',
      url: server.url,
      origin: ORIGIN,
      verifiers: [parseVerifierKey(v.vkey)],
      http: loopbackHttp(),
    });

  const heads = (): VerifiedHead[] => {
    const c = client();
    const bySize = new Map<string, VerifiedHead>();
    for (const cp of v.checkpoints) {
      const h = c.verifyStoredHead(cp.checkpoint);
      bySize.set(h.size.toString(), h);
    }
    return [...bySize.values()].sort((a, b) => Number(a.size - b.size));
  };

  it('has 16 distinct sizes 0..15 and level-0 partial tiles only', () => {
    assert.deepEqual(
      heads().map((h) => Number(h.size)),
      Array.from({ length: 16 }, (_, i) => i),
    );
    assert.ok(Object.keys(v.tilesHex).every((p) => p.startsWith('tile/0/000.p/')));
  });

  it('fetchView verifies the served checkpoint (size 15)', async () => {
    const view = await client().fetchView();
    assert.equal(view.head.size, 15n);
  });

  it('the level-0 tiles hold the leaf hashes of the entry bundles', () => {
    for (let w = 1; w <= 15; w++) {
      const tile = fromHex(v.tilesHex[`tile/0/000.p/${w}`] as string);
      const entries = bundleEntries(fromHex(v.entryBundlesHex[`tile/entries/000.p/${w}`] as string));
      assert.equal(entries.length, w);
      assert.equal(tile.length, 32 * w);
      entries.forEach((e, i) => {
        assert.ok(bytesEqual(hashLeaf(e), tile.subarray(32 * i, 32 * i + 32)));
      });
      // and the root of the w leaves is the signed root of checkpoint w
      const tree = new MemoryHashSource(entries.map(hashLeaf));
      const head = heads()[w] as VerifiedHead;
      assert.ok(bytesEqual(tree.root(), head.rootHash), `root ${w}`);
    }
  });

  it('every pair of checkpoints is proven consistent from the tiles (120 pairs)', async () => {
    const hs = heads();
    let proven = 0;
    for (const a of hs) {
      for (const b of hs) {
        if (a.size >= b.size) continue;
        const c = client();
        const before = server.requests.length;
        const proof = await c.fetchConsistencyProof(a, b);
        verifyConsistency(a.size, b.size, a.rootHash, b.rootHash, proof.hashes);
        // Widths come from the newer checkpoint only: one partial tile of width b, or none.
        const asked = server.requests.slice(before);
        assert.ok(
          asked.every((p) => p === `tile/0/000.p/${b.size}`),
          asked.join(','),
        );
        assert.ok(asked.length <= 1);
        proven++;
      }
    }
    assert.equal(proven, 120);
  });

  it('a proof between checkpoints of different sizes does not verify against a swapped root', async () => {
    const hs = heads();
    const [a, b, c] = [hs[3], hs[9], hs[10]] as [VerifiedHead, VerifiedHead, VerifiedHead];
    const proof = await client().fetchConsistencyProof(a, b);
    assert.throws(
      () => verifyConsistency(a.size, b.size, a.rootHash, c.rootHash, proof.hashes),
      (e) => isTlogError(e, 'merkle/root-mismatch'),
    );
  });
});
