/**
 * Reads hash tiles over the bounded HttpClient (c2sp.org/tlog-tiles, "Tile paths"):
 * - a partial tile is fetched at `.p/<W>`; if the log answers 404 (logs may delete partial tiles
 *   once the full tile exists) the full tile is fetched instead and its first W hashes used;
 * - every answer must be exactly the size its path implies (W·32 or 8192 bytes);
 * - tiles are cached, wider reads served from the cache; the cache keeps the MAX_CACHED_TILES
 *   most recently used tiles (at most 8 KiB each), so a reader kept for months (a warm Lambda's
 *   client) holds a bounded amount of memory however much the log grows;
 * - at most `concurrency` requests are in flight; timeouts, size caps and retries are the
 *   HttpClient's, the same as for every other log client.
 */
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import {
  FULL_TILE_BYTES,
  fullTilePath,
  HASH_BYTES,
  hashTilePath,
  TILE_WIDTH,
  type TileId,
} from './layout.ts';

export const DEFAULT_TILE_CONCURRENCY = 6;

/**
 * Tiles kept in the cache (at most 64 × 8 KiB = 512 KiB). A consistency proof reads at most
 * two or three tiles per tile level (five levels reach 2^40 entries), and a check reads each
 * tile once more at most, so one check never evicts what it still needs.
 */
export const MAX_CACHED_TILES = 64;

export interface TileReaderOptions {
  readonly http: HttpClient;
  /** The log's monitoring prefix (no trailing slash): tiles are at `<url>/tile/...`. */
  readonly url: string;
  /** Requests in flight at once; default DEFAULT_TILE_CONCURRENCY. */
  readonly concurrency?: number;
}

/** What the reader did, for benchmarks and messages. */
export interface TileReadStats {
  /** HTTP requests made (including 404s that fell back to a full tile). */
  requests: number;
  /** Response body bytes received. */
  bytes: number;
  /** Partial tiles that were gone and were read from the full tile. */
  fallbacks: number;
  /** Reads answered from the cache. */
  cacheHits: number;
}

/** A tile exactly as a log served it, for evidence. */
export interface ServedTile {
  /** The path the bytes came from (a full-tile path after a fallback). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

const key = (level: number, index: bigint): string => `${level}/${index}`;

export class TileReader {
  readonly #http: HttpClient;
  readonly #url: string;
  readonly #concurrency: number;
  /** `L/N` → the widest answer seen for that tile; in order of last use (oldest first). */
  readonly #cache = new Map<string, ServedTile>();
  readonly stats: TileReadStats = { requests: 0, bytes: 0, fallbacks: 0, cacheHits: 0 };

  constructor(options: TileReaderOptions) {
    this.#http = options.http;
    this.#url = options.url;
    const c = options.concurrency ?? DEFAULT_TILE_CONCURRENCY;
    if (!Number.isInteger(c) || c < 1)
      throw new TlogError('config/invalid', `tile concurrency ${c} must be ≥ 1`);
    this.#concurrency = c;
  }

  /**
   * Reads tiles, each with exactly its `width` hashes (W·32 bytes), and the answers they came
   * from. `fresh` bypasses the cache (a re-fetch before declaring a log inconsistent).
   */
  async readAll(
    tiles: readonly TileId[],
    fresh = false,
  ): Promise<{ hashes: Map<string, Uint8Array>; served: Map<string, ServedTile> }> {
    const hashes = new Map<string, Uint8Array>();
    const served = new Map<string, ServedTile>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tiles.length) {
        const tile = tiles[next++] as TileId;
        const answer = await this.#read(tile, fresh);
        hashes.set(key(tile.level, tile.index), answer.bytes.subarray(0, tile.width * HASH_BYTES));
        served.set(answer.path, answer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, tiles.length) }, worker));
    return { hashes, served };
  }

  /** Tiles in the cache now (at most MAX_CACHED_TILES). */
  get cachedTiles(): number {
    return this.#cache.size;
  }

  async #read(tile: TileId, fresh: boolean): Promise<ServedTile> {
    const k = key(tile.level, tile.index);
    const cached = this.#cache.get(k);
    if (!fresh && cached && cached.bytes.length >= tile.width * HASH_BYTES) {
      this.stats.cacheHits++;
      this.#remember(k, cached);
      return cached;
    }
    const answer = await this.#fetch(tile);
    // A re-fetch replaces what was cached (it may have been damaged); otherwise keep the widest.
    const now = this.#cache.get(k);
    this.#remember(k, fresh || !now || answer.bytes.length >= now.bytes.length ? answer : now);
    return answer;
  }

  /** Caches `tile` as the most recently used, dropping the least recently used beyond the limit. */
  #remember(k: string, tile: ServedTile): void {
    this.#cache.delete(k);
    this.#cache.set(k, tile);
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size <= MAX_CACHED_TILES) break;
      this.#cache.delete(oldest);
    }
  }

  async #fetch(tile: TileId): Promise<ServedTile> {
    if (!Number.isInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) {
      throw new TlogError('merkle/invalid-size', `tile width ${tile.width} is not in 1..${TILE_WIDTH}`);
    }
    if (tile.width < TILE_WIDTH) {
      const path = hashTilePath(tile);
      const res = await this.#get(path, [404]);
      if (res.status !== 404) return { path, bytes: checkLength(path, res.body, tile.width * HASH_BYTES) };
      this.stats.fallbacks++;
    }
    const path = fullTilePath(tile);
    const res = await this.#get(path, []);
    return { path, bytes: checkLength(path, res.body, FULL_TILE_BYTES) };
  }

  async #get(path: string, acceptStatuses: number[]) {
    this.stats.requests++;
    const res = await this.#http.get(`${this.#url}/${path}`, {
      maxBytes: FULL_TILE_BYTES,
      accept: 'application/octet-stream',
      acceptStatuses,
    });
    this.stats.bytes += res.body.length;
    return res;
  }
}

function checkLength(path: string, body: Uint8Array, expected: number): Uint8Array {
  if (body.length !== expected) {
    throw new TlogError(
      'response/malformed',
      `tile ${path}: expected ${expected} bytes (${expected / HASH_BYTES} hashes), got ${body.length}`,
      { expected, actual: body.length },
    );
  }
  return body.slice();
}
