/**
 * One full scan of an entry test log on loopback, as the identity scan does it: verify the head,
 * fetch every entry through the log type's EntrySource, hash each leaf and fold it into a
 * frontier, and check that the fold rebuilds the signed root. The log runs in its own process
 * (test/support/entries/entry-log-worker.ts); the next batch is fetched while this one is hashed.
 */
import { bytesEqual } from '../../lib/bytes.ts';
import { ctEntrySource } from '../../lib/entries/ct/ct-source.ts';
import type { EntrySource, ScanTarget } from '../../lib/entries/entry-source.ts';
import { rekorV1EntrySource } from '../../lib/entries/rekor-v1/rekor-v1-source.ts';
import type { RequestPool } from '../../lib/entries/request-pool.ts';
import { tileEntrySource } from '../../lib/entries/tiles/tile-entry-source.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import { systemClock } from '../../lib/http/ports.ts';
import type { EntryMatcher } from '../../lib/identity/identity-match.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { ctClient } from '../../lib/logs/ct.ts';
import type { LogClient } from '../../lib/logs/log-client.ts';
import { rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import { tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import type { EntryLogInfo, EntryLogSpec } from '../../test/support/entries/entry-log-worker.ts';
import { Frontier, type TreeHasher } from './frontier.ts';

export interface ScanOptions {
  readonly concurrency: number;
  readonly hasher: TreeHasher;
  /**
   * The identity matchers in the loop, as certspotter matches its watch list: each batch is matched
   * after it is folded. (The monitor's scan, lib/scan/scan-range.ts, matches a range only once the
   * fold is proven; the CPU work per entry is the same.)
   */
  readonly matcher?: EntryMatcher;
  /** CT: entries per get-entries request. */
  readonly pageSize?: number;
  /** Rekor v1: indices per retrieve request (10 is Rekor's maximum). */
  readonly batchSize?: number;
}

export interface ScanRun {
  readonly entries: number;
  /** Matches the matcher reported (0 without one). */
  readonly matches: number;
  readonly seconds: number;
  readonly requests: number;
  readonly entriesPerSecond: number;
  /** CPU time of this (client) process per entry, in µs: what a Lambda pays for beyond waiting. */
  readonly cpuMicrosPerEntry: number;
}

export async function scanLoopback(spec: EntryLogSpec, info: EntryLogInfo, o: ScanOptions): Promise<ScanRun> {
  const http = createHttpClient({
    fetch: globalThis.fetch,
    clock: systemClock,
    timeoutMs: 120_000,
    maxBytes: 64 << 20,
  });
  const clock = systemClock;
  let client: LogClient;
  let source: EntrySource & { pool: RequestPool };
  switch (spec.type) {
    case 'rekor-v1':
      client = rekorV1Client({
        url: info.url,
        key: parsePemPublicKey(info.publicKey),
        http,
        signerName: info.name,
      });
      source = rekorV1EntrySource({
        url: info.url,
        http,
        clock,
        concurrency: o.concurrency,
        ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
      });
      break;
    case 'ct':
      client = ctClient({ url: info.url, key: parsePemPublicKey(info.publicKey), http });
      source = ctEntrySource({
        url: info.url,
        http,
        clock,
        concurrency: o.concurrency,
        pageSize: o.pageSize ?? 1000,
      });
      break;
    default:
      client = tileLogClient({
        type: spec.type,
        url: info.url,
        origin: info.name,
        verifiers: [tileLogVerifier(spec.type, info.publicKey, info.name)],
        http,
      });
      source = tileEntrySource({ type: spec.type, url: info.url, http, clock, concurrency: o.concurrency });
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const view = await client.fetchView();
  const target: ScanTarget = { head: view.head, indexOffset: 0n };
  const size = view.head.size;
  const frontier = new Frontier(o.hasher);
  let pos = 0n;
  let matches = 0;
  let pending = source.fetchEntries(target, 0n, size);
  while (pos < size) {
    const got = await pending;
    pos += BigInt(got.length);
    if (pos < size) pending = source.fetchEntries(target, pos, size);
    for (const e of got) frontier.push(e.leaf);
    if (o.matcher !== undefined) {
      for (const e of got) {
        const verdict = o.matcher.match(source.format, e);
        if ('skipped' in verdict)
          throw new Error(`${spec.type} scan: entry ${e.index} skipped: ${verdict.skipped}`);
        matches += verdict.matches.length;
      }
    }
  }
  if (!bytesEqual(frontier.root(), view.head.rootHash)) {
    throw new Error(`${spec.type} scan: the folded root does not match the signed root`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuMicrosPerEntry: (cpu.user + cpu.system) / frontier.count,
    entries: frontier.count,
    matches,
    seconds,
    requests: source.pool.stats.requests,
    entriesPerSecond: frontier.count / seconds,
  };
}
