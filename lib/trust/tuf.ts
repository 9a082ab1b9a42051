/**
 * trusted_root.json through TUF (theupdateframework.io specification, "Detailed client workflow"),
 * with the maintained client, tuf-js's Updater: it starts from a pinned initial root.json, follows
 * root rotations, and refuses expired metadata, bad signatures, rollbacks and targets whose hash
 * or length differ from the signed targets metadata. Its downloads go through the monitor's bounded
 * HTTP client (timeout, size cap, HTTPS rule, the log's tlsCaBundle).
 *
 * Metadata is cached in `cacheDir` (the CLI: next to its state; the Lambda: /tmp), so a later
 * refresh starts from the newest root it verified; TUF's own expiry rules decide what is reused.
 * Every failure is TlogError `trust/unavailable`: a check must never read "no keys" as "nothing
 * to check".
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LengthOrHashMismatchError, UnsignedMetadataError } from '@tufjs/models/dist/error.js';
import { BaseFetcher, Updater } from 'tuf-js';
import {
  BadVersionError,
  DownloadError,
  DownloadHTTPError,
  DownloadLengthMismatchError,
  EqualVersionError,
  ExpiredMetadataError,
  RepositoryError,
} from 'tuf-js/dist/error.js';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';

/** The target a Sigstore TUF repository publishes its trusted root as. */
export const TRUSTED_ROOT_TARGET = 'trusted_root.json';
/** The largest TUF metadata or target accepted (Sigstore's are tens of kilobytes). */
const MAX_TUF_FILE_BYTES = 8 << 20;

export interface TufFetchOptions {
  /** Repository base URL: metadata at `<url>/<name>.json`, targets under `<url>/targets/`. */
  readonly url: string;
  /** The pinned initial root.json, used when the cache holds no root yet. */
  readonly initialRoot: Uint8Array;
  /** A directory of its own for this repository's cached metadata and targets. */
  readonly cacheDir: string;
  readonly http: HttpClient;
}

/** The verified trusted_root.json text. Throws TlogError `trust/unavailable`. */
export async function fetchTrustedRootViaTuf(options: TufFetchOptions): Promise<string> {
  try {
    const targetDir = join(options.cacheDir, 'targets');
    await mkdir(targetDir, { recursive: true });
    const cachedRoot = join(options.cacheDir, 'root.json');
    if (!existsSync(cachedRoot)) await writeFile(cachedRoot, options.initialRoot);
    const updater = new Updater({
      metadataDir: options.cacheDir,
      metadataBaseUrl: options.url,
      targetDir,
      targetBaseUrl: `${options.url}/targets`,
      fetcher: new BoundedFetcher(options.http),
    });
    await updater.refresh();
    const info = await updater.getTargetInfo(TRUSTED_ROOT_TARGET);
    if (info === undefined) {
      throw new TlogError(
        'trust/unavailable',
        `the repository's signed targets list no ${TRUSTED_ROOT_TARGET}`,
      );
    }
    const path = (await updater.findCachedTarget(info)) ?? (await updater.downloadTarget(info));
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new TlogError(
      'trust/unavailable',
      `TUF repository ${options.url}: could not get a verified ${TRUSTED_ROOT_TARGET}: ${describe(e)}`,
      { url: options.url },
      { cause: e },
    );
  }
}

/** tuf-js's fetcher port over the bounded client; 403/404 are what tuf-js reads as "no newer root". */
class BoundedFetcher extends BaseFetcher {
  constructor(private readonly http: HttpClient) {
    super();
  }

  override async fetch(url: string): Promise<NodeJS.ReadableStream> {
    const res = await this.http.get(url, { maxBytes: MAX_TUF_FILE_BYTES, acceptStatuses: [403, 404] });
    if (res.status !== 200) throw new DownloadHTTPError(`HTTP ${res.status} from ${url}`, res.status);
    return Readable.from([Buffer.from(res.body)]);
  }
}

/**
 * TUF's failure kinds, most specific first, by class rather than by `constructor.name`, which a
 * minified bundle renames.
 */
const TUF_ERRORS: ReadonlyArray<readonly [new (...args: never[]) => Error, string]> = [
  [ExpiredMetadataError, 'ExpiredMetadataError'],
  [UnsignedMetadataError, 'UnsignedMetadataError'],
  [LengthOrHashMismatchError, 'LengthOrHashMismatchError'],
  [EqualVersionError, 'EqualVersionError'],
  [BadVersionError, 'BadVersionError'],
  [RepositoryError, 'RepositoryError'],
  [DownloadLengthMismatchError, 'DownloadLengthMismatchError'],
  [DownloadHTTPError, 'DownloadHTTPError'],
  [DownloadError, 'DownloadError'],
];

/** An error and its causes, each TUF error with its kind (ExpiredMetadataError, ...). */
function describe(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur instanceof Error && depth < 4; depth++) {
    const kind = TUF_ERRORS.find(([type]) => cur instanceof type)?.[1];
    parts.push(kind === undefined ? cur.message : `${kind}: ${cur.message}`);
    cur = cur.cause;
  }
  return parts.join(': ') || String(e);
}
