/**
 * The tile cache is bounded (issue 10, item 6): a reader kept for months, as a warm Lambda keeps
 * its client, must not keep every tile it ever read. Observed from the outside: a tile read long
 * ago is requested again, a tile in use is not. bench/tile-client-memory.ts measures the heap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpClient } from '../../lib/http/ports.ts';
import { TILE_WIDTH } from '../../lib/tiles/layout.ts';
import { TileReader } from '../../lib/tiles/tile-reader.ts';

/** Serves a full tile of zeros for any path; records the paths. */
function anyTile(): { http: HttpClient; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    http: {
      async get(url) {
        requests.push(new URL(url).pathname);
        return { status: 200, body: new Uint8Array(TILE_WIDTH * 32), headers: {} };
      },
    },
  };
}

const full = (index: number) => ({ level: 0, index: BigInt(index), width: TILE_WIDTH });

describe('tile cache', () => {
  it('forgets tiles read long ago: memory stays bounded however many tiles a reader reads', async () => {
    const server = anyTile();
    const reader = new TileReader({ http: server.http, url: 'https://tiles.example/log' });
    await reader.readAll([full(0)]);
    for (let i = 1; i <= 2_000; i++) await reader.readAll([full(i)]);
    const before = server.requests.length;
    await reader.readAll([full(0)]);
    assert.equal(server.requests.length, before + 1, 'tile 0 was evicted and is fetched again');
  });

  it('keeps the tiles in use: a tile read again soon is served from the cache', async () => {
    const server = anyTile();
    const reader = new TileReader({ http: server.http, url: 'https://tiles.example/log' });
    for (let i = 0; i < 2_000; i++) {
      await reader.readAll([full(i)]);
      await reader.readAll([full(0)]); // used all along: never evicted
    }
    assert.equal(server.requests.filter((p) => p.endsWith('/tile/0/000')).length, 1);
    assert.equal(reader.stats.cacheHits, 2_000);
  });
});
