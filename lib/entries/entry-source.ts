/**
 * The EntrySource port: one implementation per log type (lib/entries/<type>/), fetching entries
 * over the bounded HttpClient. A source only fetches and decodes the transport (JSON, base64,
 * tiles); it proves nothing. The scan (lib/scan/) proves every leaf against a signed root.
 */
import type { VerifiedHead } from '../logs/log-client.ts';
import type { EntryFormat, ReceivedEntry } from './received-entry.ts';

/** The verified tree a scan reads, and how its indices map to the log's API. */
export interface ScanTarget {
  readonly head: VerifiedHead;
  /**
   * Rekor v1: the global `logIndex` of index 0 of the head's shard (the sum of the final sizes of
   * the retired shards before it). The API takes global indices; leaves and proofs use tree indices.
   */
  readonly indexOffset?: bigint;
}

export interface EntrySource {
  readonly format: EntryFormat;
  /**
   * Fetches entries from `start` (inclusive) towards `end` (exclusive, at most head.size), in index
   * order. May return fewer than asked when the log answers short (CT pages, partial tiles), but at
   * least one, each with the index it is at. Throws TlogError (http/*, response/*).
   */
  fetchEntries(target: ScanTarget, start: bigint, end: bigint): Promise<readonly ReceivedEntry[]>;
  /**
   * The compact range of [0, index) as the log claims it (left siblings from an inclusion proof, or
   * hash tiles): unproven, used only to start a scan mid-log; the scan proves it by folding entries
   * on to the signed root.
   */
  fetchRangeBefore(target: ScanTarget, index: bigint): Promise<readonly Uint8Array[]>;
}
