/**
 * Entries of a Rekor v1 log (sigstore/rekor openapi.yaml):
 * - `POST /api/v1/log/entries/retrieve` with `{"logIndexes": [...]}`, at most 10 per request
 *   (Rekor's `maxItems: 10` on logIndexes), several requests in flight (RequestPool: bounded,
 *   backing off on 429);
 * - or, with a client that cannot POST (or `api: 'get'`), `GET /api/v1/log/entries?logIndex=N`.
 *
 * Indices. The API takes the GLOBAL `logIndex`, counted across every shard the log has had; the
 * tree of a shard counts from 0. ScanTarget.indexOffset is the global index of the shard's leaf 0,
 * so leaf i of the target's tree is global index i + indexOffset. Entries are returned with their
 * TREE index. The answer must hold exactly the global indices asked, each once, and an inclusion
 * proof in it must name the tree index (Rekor returns `verification.inclusionProof.logIndex` in
 * the shard's tree); anything else is 'response/mismatch', naming the index.
 *
 * The leaf is the base64-decoded `body` (the canonicalized entry; leaf hash SHA-256(0x00 ‖ body)).
 */

import { utf8 } from '../../bytes.ts';
import { TlogError } from '../../errors.ts';
import type { Clock, HttpClient, HttpPoster, HttpResponse } from '../../http/ports.ts';
import { hashLeaf } from '../../merkle/index.ts';
import type { EntrySource, ScanTarget } from '../entry-source.ts';
import { appendToRange, rangeBeforeFromProof } from '../range-before.ts';
import type { ReceivedEntry } from '../received-entry.ts';
import { RequestPool } from '../request-pool.ts';
import { aboutEntries, parseJsonBody, requireRange, requireRangeEnd } from '../source-checks.ts';
import { parseLogEntryObject, parseRetrieveAnswer, type RekorLogEntry, uuidTreeId } from './log-entry.ts';

export interface RekorV1EntryOptions {
  /** Base URL, e.g. https://rekor.sigstore.dev (no trailing slash). */
  readonly url: string;
  /** The bounded client; with `post` the retrieve API is used. */
  readonly http: HttpClient & Partial<HttpPoster>;
  readonly clock: Clock;
  /** Requests in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Indices per retrieve request, 1 … 10. Default 10. */
  readonly batchSize?: number;
  /** Requests one fetchEntries call makes at most. Default 4 × concurrency. */
  readonly requestsPerCall?: number;
  /** Cap on one answer, in bytes. Default 8 MiB (10 entries; Rekor bodies are KBs, attestations up to ~100 KB each). */
  readonly maxResponseBytes?: number;
  /** `get`: one GET per entry even if the client can POST. Default: retrieve when possible. */
  readonly api?: 'retrieve' | 'get';
}

export const REKOR_RETRIEVE_MAX = 10;
export const DEFAULT_REKOR_CONCURRENCY = 8;
const DEFAULT_MAX_RESPONSE_BYTES = 8 << 20;

export interface RekorV1EntrySource extends EntrySource {
  readonly pool: RequestPool;
}

export function rekorV1EntrySource(options: RekorV1EntryOptions): RekorV1EntrySource {
  const batchSize = options.batchSize ?? REKOR_RETRIEVE_MAX;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > REKOR_RETRIEVE_MAX) {
    throw new TlogError(
      'config/invalid',
      `rekor-v1 batchSize: expected 1 … ${REKOR_RETRIEVE_MAX}, got ${batchSize}`,
    );
  }
  const concurrency = options.concurrency ?? DEFAULT_REKOR_CONCURRENCY;
  const pool = new RequestPool({ concurrency, clock: options.clock });
  const requestsPerCall = options.requestsPerCall ?? 4 * concurrency;
  if (!Number.isSafeInteger(requestsPerCall) || requestsPerCall < 1) {
    throw new TlogError(
      'config/invalid',
      `rekor-v1 requestsPerCall: expected an integer ≥ 1, got ${requestsPerCall}`,
    );
  }
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const post = options.api !== 'get' ? options.http.post?.bind(options.http) : undefined;
  const perRequest = post === undefined ? 1 : batchSize;
  const request = { maxBytes, accept: 'application/json', acceptStatuses: [429] };

  /** Fetches the given global indices (one request) and returns them by global index. */
  const fetchGlobal = async (
    globals: readonly bigint[],
    withHashes = false,
  ): Promise<Map<bigint, RekorLogEntry>> => {
    const first = globals[0] as bigint;
    const last = globals[globals.length - 1] as bigint;
    let res: HttpResponse;
    let url: string;
    if (post !== undefined) {
      url = `${options.url}/api/v1/log/entries/retrieve`;
      const body = utf8(`{"logIndexes":[${globals.join(',')}]}`);
      res = await pool.request(url, () => post(url, body, { ...request, contentType: 'application/json' }));
    } else {
      url = `${options.url}/api/v1/log/entries?logIndex=${first}`;
      res = await pool.request(url, () => options.http.get(url, request));
    }
    let entries: RekorLogEntry[];
    try {
      const json = parseJsonBody(res);
      entries =
        post !== undefined
          ? parseRetrieveAnswer(json, 'entries/retrieve answer', withHashes)
          : parseLogEntryObject(json, 'log entry answer', withHashes);
    } catch (e) {
      aboutEntries(e, first, last);
    }
    const byIndex = new Map<bigint, RekorLogEntry>();
    const asked = new Set(globals);
    for (const entry of entries) {
      if (!asked.has(entry.logIndex) || byIndex.has(entry.logIndex)) {
        throw new TlogError(
          'response/mismatch',
          `entries ${first}..${last}: the answer holds logIndex ${entry.logIndex}, ${byIndex.has(entry.logIndex) ? 'twice' : 'which was not asked for'}`,
          { index: entry.logIndex.toString(), asked: globals.map(String) },
        );
      }
      byIndex.set(entry.logIndex, entry);
    }
    const missing = globals.find((g) => !byIndex.has(g));
    if (missing !== undefined) {
      throw new TlogError(
        'response/mismatch',
        `entries ${first}..${last}: logIndex ${missing} was asked for but is not in the answer (${entries.length} of ${globals.length} entries)`,
        { index: missing.toString(), asked: globals.map(String) },
      );
    }
    return byIndex;
  };

  /** Global index of tree index i, and the check that an answer's proof names tree index i. */
  const offsetOf = (target: ScanTarget): bigint => {
    const offset = target.indexOffset ?? 0n;
    if (offset < 0n) throw new TlogError('merkle/invalid-size', `rekor-v1 indexOffset ${offset} is negative`);
    return offset;
  };
  const checkProofIndex = (entry: RekorLogEntry, treeIndex: bigint, target: ScanTarget): void => {
    // A sharded log names the entry's tree in its UUID: an entry of another shard (a wrong offset)
    // is refused here, before its bytes could fail the fold and look like a lie about the tree.
    const tree = uuidTreeId(entry.uuid);
    if (target.head.shard !== undefined && tree !== undefined && tree !== target.head.shard) {
      throw new TlogError(
        'response/mismatch',
        `entry ${treeIndex} (logIndex ${entry.logIndex}): its UUID names tree ${tree}, expected shard ${target.head.shard} (index offset ${target.indexOffset ?? 0n})`,
        { index: treeIndex.toString(), expected: target.head.shard, actual: tree },
      );
    }
    if (entry.proof !== undefined && entry.proof.logIndex !== treeIndex) {
      throw new TlogError(
        'response/mismatch',
        `entry ${treeIndex} (logIndex ${entry.logIndex}): its inclusion proof is for leaf ${entry.proof.logIndex} of the shard's tree, expected ${treeIndex} (index offset ${target.indexOffset ?? 0n})`,
        {
          index: treeIndex.toString(),
          expected: treeIndex.toString(),
          actual: entry.proof.logIndex.toString(),
        },
      );
    }
  };

  return {
    format: 'rekor-v1',
    pool,

    async fetchEntries(target: ScanTarget, start: bigint, end: bigint): Promise<readonly ReceivedEntry[]> {
      requireRange(target, start, end);
      const offset = offsetOf(target);
      const count = Number(
        end - start < BigInt(perRequest * requestsPerCall)
          ? end - start
          : BigInt(perRequest * requestsPerCall),
      );
      const batches: bigint[][] = [];
      for (let i = 0; i < count; i += perRequest) {
        const batch: bigint[] = [];
        for (let j = i; j < Math.min(i + perRequest, count); j++) batch.push(start + BigInt(j) + offset);
        batches.push(batch);
      }
      const answers = await pool.map(batches, (batch) => fetchGlobal(batch));
      const out: ReceivedEntry[] = [];
      answers.forEach((byIndex, b) => {
        for (const global of batches[b] as bigint[]) {
          const entry = byIndex.get(global) as RekorLogEntry;
          const index = global - offset;
          checkProofIndex(entry, index, target);
          out.push({ index, leaf: entry.body });
        }
      });
      return out;
    },

    async fetchRangeBefore(target: ScanTarget, index: bigint): Promise<readonly Uint8Array[]> {
      requireRangeEnd(target, index);
      if (index === 0n) return [];
      // The proof of leaf `index` gives [0, index); at the tree's end, the last leaf's proof plus its own hash.
      const leaf = index < target.head.size ? index : index - 1n;
      const global = leaf + offsetOf(target);
      const entry = (await fetchGlobal([global], true)).get(global) as RekorLogEntry;
      checkProofIndex(entry, leaf, target);
      if (entry.proof?.hashes === undefined) {
        throw new TlogError(
          'response/malformed',
          `entry ${leaf} (logIndex ${global}): the answer has no verification.inclusionProof to take the range before it from`,
          { index: leaf.toString() },
        );
      }
      const what = `entry ${leaf} (logIndex ${global}) inclusion proof`;
      const before = rangeBeforeFromProof(leaf, entry.proof.treeSize, entry.proof.hashes, what);
      return leaf === index ? before : appendToRange(before, leaf, hashLeaf(entry.body));
    },
  };
}
