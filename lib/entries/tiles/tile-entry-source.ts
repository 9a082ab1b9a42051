/**
 * Entries of a tile log, one EntrySource for both kinds:
 * - `tiles` (c2sp.org/tlog-tiles, Rekor v2, Tessera): entry bundles `tile/entries/<N>[.p/<W>]`;
 * - `static-ct` (c2sp.org/static-ct-api): data tiles `tile/data/<N>[.p/<W>]` of TileLeafs
 *   (lib/entries/static-ct/tile-leaf.ts).
 * Bundles are read several at a time (RequestPool: bounded, backing off on 429), each at the width
 * the verified size gives it (bundle-reader.ts), and cut to the range asked.
 *
 * The range before an index is read from the hash tiles (lib/tiles TileHashSource, widths from the
 * verified size): the perfect subtrees of [0, index), each from the one tile that holds it.
 */
import { TlogError } from '../../errors.ts';
import type { Clock, HttpClient } from '../../http/ports.ts';
import { perfectNodes } from '../../merkle/node-plan.ts';
import { TileHashSource, TileReader } from '../../tiles/index.ts';
import type { EntrySource, ScanTarget } from '../entry-source.ts';
import type { EntryFormat, ReceivedEntry } from '../received-entry.ts';
import { RequestPool } from '../request-pool.ts';
import { requireRange, requireRangeEnd } from '../source-checks.ts';
import { parseTileLeaves } from '../static-ct/tile-leaf.ts';
import { BUNDLE_ENTRIES, type BundleReaderOptions, readBundle } from './bundle-reader.ts';
import { parseEntryBundle } from './entry-bundle.ts';

export interface TileEntryOptions {
  readonly type: 'tiles' | 'static-ct';
  /** Monitoring prefix, no trailing slash. */
  readonly url: string;
  readonly http: HttpClient;
  readonly clock: Clock;
  /** Requests in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Bundles one fetchEntries call reads at most. Default 2 × concurrency. */
  readonly bundlesPerCall?: number;
  /**
   * Cap on one bundle answer, in bytes. Default: tiles 256 · (2 + 65 535), the most a bundle of
   * uint16-prefixed entries can hold; static-ct 64 MiB (256 certificates with their precertificates).
   */
  readonly maxBundleBytes?: number;
}

export const DEFAULT_TILE_ENTRY_CONCURRENCY = 8;
const MAX_ENTRY_BUNDLE_BYTES = 256 * (2 + 0xffff);
const MAX_DATA_TILE_BYTES = 64 << 20;

export interface TileEntrySource extends EntrySource {
  readonly pool: RequestPool;
}

export function tileEntrySource(options: TileEntryOptions): TileEntrySource {
  const concurrency = options.concurrency ?? DEFAULT_TILE_ENTRY_CONCURRENCY;
  const pool = new RequestPool({ concurrency, clock: options.clock });
  const bundlesPerCall = options.bundlesPerCall ?? 2 * concurrency;
  if (!Number.isSafeInteger(bundlesPerCall) || bundlesPerCall < 1) {
    throw new TlogError(
      'config/invalid',
      `${options.type} bundlesPerCall: expected an integer ≥ 1, got ${bundlesPerCall}`,
    );
  }
  const isCt = options.type === 'static-ct';
  const format: EntryFormat = isCt ? 'static-ct' : 'rekor-v2';
  const reader: BundleReaderOptions = {
    http: options.http,
    url: options.url,
    kind: isCt ? 'data' : 'entries',
    parse: isCt ? parseTileLeaves : parseEntryBundle,
    pool,
    maxBytes: options.maxBundleBytes ?? (isCt ? MAX_DATA_TILE_BYTES : MAX_ENTRY_BUNDLE_BYTES),
  };

  return {
    format,
    pool,

    async fetchEntries(target: ScanTarget, start: bigint, end: bigint): Promise<readonly ReceivedEntry[]> {
      requireRange(target, start, end);
      const firstBundle = start / BUNDLE_ENTRIES;
      const lastBundle = (end - 1n) / BUNDLE_ENTRIES;
      const bundles: bigint[] = [];
      for (let b = firstBundle; b <= lastBundle && bundles.length < bundlesPerCall; b++) bundles.push(b);
      const read = await pool.map(bundles, (b) => readBundle(reader, b, target.head.size));
      const out: ReceivedEntry[] = [];
      for (const bundle of read) for (const e of bundle) if (e.index >= start && e.index < end) out.push(e);
      return out;
    },

    async fetchRangeBefore(target: ScanTarget, index: bigint): Promise<readonly Uint8Array[]> {
      requireRangeEnd(target, index);
      if (index === 0n) return [];
      const tiles = new TileReader({ http: options.http, url: options.url, concurrency });
      return new TileHashSource(tiles, target.head.size).hashes(perfectNodes(0n, index));
    },
  };
}
