/**
 * The CLI's identity scan wiring (docs/contracts.md, "Identity monitoring"): for a log with identities
 * configured, its entry source and matcher (from lib/entries and lib/identity, built by
 * `ScanComponents`), with the cursor in `<state file>.scan.json`, the matches appended to
 * `<state file>.matches.jsonl`, and leaves hashed with node:crypto.
 */
import type { LogConfig } from '../config/log-config.ts';
import { createEntrySource } from '../entries/create-entry-source.ts';
import type { EntrySource } from '../entries/entry-source.ts';
import { type HttpClient, systemClock } from '../http/ports.ts';
import { createEntryMatcher } from '../identity/entry-matcher.ts';
import type { EntryMatcher } from '../identity/identity-match.ts';
import type { ScanWiring } from '../scan/check-and-scan.ts';
import type { ScanOptions } from '../scan/scan-options.ts';
import { FileMatchSink } from './file-match-sink.ts';
import { FileScanStore } from './file-scan-store.ts';
import { nativeLeafHasher, nativeNodeHasher } from './native-leaf-hasher.ts';

/** What one log's scan reads with and matches with; undefined for a log without identities. */
export type ScanComponents = (
  log: LogConfig,
  http: HttpClient,
) => { source: EntrySource; matcher: EntryMatcher; options: ScanOptions } | undefined;

/** From the config: a log with `identities` is scanned with its type's entry source and its matchers. */
export const configuredScanComponents: ScanComponents = (log, http) =>
  log.identities === undefined
    ? undefined
    : {
        source: createEntrySource(log, http, systemClock),
        matcher: createEntryMatcher(log.identities),
        options: log.identities.startIndex !== undefined ? { startIndex: log.identities.startIndex } : {},
      };

/** The scan wiring for each log, with file stores beside each log's state file. */
export function fileScanWiring(
  components: ScanComponents,
  stateFileFor: (log: string) => string,
): (log: LogConfig, http: HttpClient) => ScanWiring | undefined {
  const store = new FileScanStore(stateFileFor);
  const sink = new FileMatchSink(stateFileFor);
  return (log, http) => {
    const c = components(log, http);
    return c ? { ...c, store, sink, hashLeaf: nativeLeafHasher, hashNode: nativeNodeHasher } : undefined;
  };
}
