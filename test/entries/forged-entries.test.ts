/**
 * The entry test logs' forgeries, as the scan's tests use them: the source hands over the forged
 * bytes (a source proves nothing), and only folding them to the signed root exposes them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual } from '../../lib/bytes.ts';
import { ctEntrySource } from '../../lib/entries/ct/ct-source.ts';
import type { EntrySource, ScanTarget } from '../../lib/entries/entry-source.ts';
import { rekorV1EntrySource } from '../../lib/entries/rekor-v1/rekor-v1-source.ts';
import { tileEntrySource } from '../../lib/entries/tiles/tile-entry-source.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { ctClient } from '../../lib/logs/ct.ts';
import type { LogClient } from '../../lib/logs/log-client.ts';
import { rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import { tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import { hashLeaf } from '../../lib/merkle/index.ts';
import { startCtEntryLog } from '../support/entries/ct-entry-log.ts';
import { startRekorEntryLog } from '../support/entries/rekor-v1-entry-log.ts';
import { startTileEntryLog } from '../support/entries/tile-entry-log.ts';
import { loopbackHttp, recordingClock, rootFrom } from './helpers.ts';

interface Case {
  readonly name: string;
  start(): Promise<{
    client: LogClient;
    source: EntrySource;
    honest(i: number): Uint8Array;
    forge(i: number): void;
    tileHash?: (i: number) => Promise<Uint8Array>;
    reset(): void;
    close(): Promise<void>;
  }>;
}

const http = loopbackHttp();
const clock = recordingClock();

const cases: Case[] = [
  {
    name: 'rekor-v1',
    async start() {
      const log = await startRekorEntryLog({ initialSize: 30 });
      return {
        client: rekorV1Client({
          url: log.url,
          key: parsePemPublicKey(log.publicKeyPem),
          http,
          signerName: log.keyName,
        }),
        source: rekorV1EntrySource({ url: log.url, http, clock }),
        honest: (i) => log.body(i),
        forge: (i) => log.forgeEntry(i),
        reset: () => log.reset(),
        close: () => log.close(),
      };
    },
  },
  {
    name: 'ct',
    async start() {
      const log = await startCtEntryLog({ initialSize: 30 });
      return {
        client: ctClient({ url: log.url, key: parsePemPublicKey(log.publicKeyPem), http }),
        source: ctEntrySource({ url: log.url, http, clock }),
        honest: (i) => log.entry(i).leafInput,
        forge: (i) => log.forgeEntry(i),
        reset: () => log.reset(),
        close: () => log.close(),
      };
    },
  },
  ...(['tiles', 'static-ct'] as const).map(
    (type): Case => ({
      name: type,
      async start() {
        const log = await startTileEntryLog({ type, initialSize: 30 });
        return {
          client: tileLogClient({
            type,
            url: log.url,
            origin: log.origin,
            verifiers: [tileLogVerifier(type, log.publicKey, log.origin)],
            http,
          }),
          source: tileEntrySource({ type, url: log.url, http, clock }),
          honest: (i) => log.leaf(i),
          forge: (i) => log.forgeEntry(i, { tiles: true }),
          tileHash: async (i) => {
            const res = await fetch(`${log.url}/tile/0/000.p/30`);
            return new Uint8Array(await res.arrayBuffer()).slice(i * 32, i * 32 + 32);
          },
          reset: () => log.reset(),
          close: () => log.close(),
        };
      },
    }),
  ),
];

describe('forged entries in the entry test logs', () => {
  for (const c of cases) {
    it(`${c.name}: the forged bytes are served, and the fold no longer rebuilds the signed root`, async () => {
      const log = await c.start();
      try {
        const target: ScanTarget = { head: (await log.client.fetchView()).head, indexOffset: 0n };
        log.forge(17);
        const got = await log.source.fetchEntries(target, 0n, 30n);
        assert.equal(got.length, 30);
        const forged = got[17]?.leaf as Uint8Array;
        assert.ok(!bytesEqual(forged, log.honest(17)), 'entry 17 is served forged');
        assert.ok(
          got.every((e, i) => i === 17 || bytesEqual(e.leaf, log.honest(i))),
          'the others are honest',
        );
        assert.ok(
          !bytesEqual(
            rootFrom(
              [],
              0n,
              got.map((e) => e.leaf),
            ),
            target.head.rootHash,
          ),
        );
        if (log.tileHash)
          assert.ok(
            bytesEqual(await log.tileHash(17), hashLeaf(forged)),
            'the level-0 tile agrees with the forgery',
          );
        log.reset();
        const honest = await log.source.fetchEntries(target, 0n, 30n);
        assert.ok(
          bytesEqual(
            rootFrom(
              [],
              0n,
              honest.map((e) => e.leaf),
            ),
            target.head.rootHash,
          ),
          'honest again after reset',
        );
      } finally {
        await log.close();
      }
    });
  }
});
