/** Builds the EntrySource for a configured log (one per log type), over the bounded client. */
import type { LogConfig } from '../config/log-config.ts';
import type { Clock, HttpClient, HttpPoster } from '../http/ports.ts';
import { ctEntrySource } from './ct/ct-source.ts';
import type { EntrySource } from './entry-source.ts';
import { rekorV1EntrySource } from './rekor-v1/rekor-v1-source.ts';
import { tileEntrySource } from './tiles/tile-entry-source.ts';

export interface EntrySourceOptions {
  /** Requests in flight at once (default per type: rekor-v1 8, ct 6, tiles 8). */
  readonly concurrency?: number;
}

export function createEntrySource(
  config: LogConfig,
  http: HttpClient & Partial<HttpPoster>,
  clock: Clock,
  options: EntrySourceOptions = {},
): EntrySource {
  const common = { url: config.url, http, clock, ...options };
  switch (config.type) {
    case 'rekor-v1':
      return rekorV1EntrySource(common);
    case 'ct':
      return ctEntrySource(common);
    case 'tiles':
    case 'static-ct':
      return tileEntrySource({ ...common, type: config.type });
  }
}
