/**
 * Reads the entry bundles of a tile log: `<prefix>/tile/entries/<N>[.p/<W>]` (c2sp.org/tlog-tiles,
 * "Log entries") or the data tiles `<prefix>/tile/data/<N>[.p/<W>]` (c2sp.org/static-ct-api, "Log
 * entries"). Bundle N holds the entries N·256 … N·256+255; in a tree of size S it has
 * W = min(256, S − N·256) of them, and is fetched at `.p/<W>` when W < 256.
 *
 * The width comes ONLY from the verified size (never from the range a caller asks for, nor from
 * the answer), so a log cannot make the scan read a partial bundle that no signed tree implies.
 * A partial bundle that is gone (404: logs may delete it once the full one exists) is read from the
 * full bundle, whose first W entries are the same leaves. Every answer must hold exactly its
 * width of entries (a full bundle used for a partial one: exactly 256), or it is
 * 'response/malformed', naming the bundle and the first index.
 */
import { TlogError } from '../../errors.ts';
import type { HttpClient } from '../../http/ports.ts';
import { encodeTileIndex, TILE_WIDTH } from '../../tiles/index.ts';
import type { ReceivedEntry } from '../received-entry.ts';
import type { RequestPool } from '../request-pool.ts';

/** Decodes a bundle into exactly `count` entries, the first at index `first`; throws 'response/malformed'. */
export type BundleParser = (bytes: Uint8Array, count: number, first: bigint, path: string) => ReceivedEntry[];

export interface BundleReaderOptions {
  readonly http: HttpClient;
  /** Monitoring prefix, no trailing slash. */
  readonly url: string;
  /** `entries` (tlog-tiles) or `data` (static-ct-api). */
  readonly kind: 'entries' | 'data';
  readonly parse: BundleParser;
  readonly pool: RequestPool;
  /** Cap on one bundle answer, in bytes. */
  readonly maxBytes: number;
}

export const BUNDLE_ENTRIES = BigInt(TILE_WIDTH);

/** How many entries bundle N has in a tree of `size`: 1 … 256 (the caller asks only for non-empty bundles). */
export function bundleWidth(bundle: bigint, size: bigint): number {
  const w = size - bundle * BUNDLE_ENTRIES;
  if (w <= 0n) {
    throw new TlogError('merkle/invalid-size', `entry bundle ${bundle} is empty in a tree of size ${size}`);
  }
  return w >= BUNDLE_ENTRIES ? TILE_WIDTH : Number(w);
}

/** Bundle `bundle` as the tree of `size` has it: exactly its width of entries. */
export async function readBundle(
  o: BundleReaderOptions,
  bundle: bigint,
  size: bigint,
): Promise<ReceivedEntry[]> {
  const width = bundleWidth(bundle, size);
  const first = bundle * BUNDLE_ENTRIES;
  const full = `tile/${o.kind}/${encodeTileIndex(bundle)}`;
  if (width < TILE_WIDTH) {
    const path = `${full}.p/${width}`;
    const res = await get(o, path, [404, 429]);
    if (res.status !== 404) return o.parse(res.body, width, first, path);
  }
  const res = await get(o, full, [429]);
  const entries = o.parse(res.body, TILE_WIDTH, first, full);
  return width < TILE_WIDTH ? entries.slice(0, width) : entries;
}

function get(o: BundleReaderOptions, path: string, acceptStatuses: number[]) {
  const url = `${o.url}/${path}`;
  return o.pool.request(url, () =>
    o.http.get(url, { maxBytes: o.maxBytes, accept: 'application/octet-stream', acceptStatuses }),
  );
}

/** A bundle answer that does not decode: names the bundle path and the first index it covers. */
export function malformedBundle(
  path: string,
  first: bigint,
  why: string,
  details: Record<string, unknown> = {},
): TlogError {
  return new TlogError('response/malformed', `${path} (entries from ${first}): ${why}`, {
    ...details,
    path,
    index: first.toString(),
  });
}
