/**
 * Entries of an RFC 6962 CT log:
 * - `GET /ct/v1/get-entries?start=S&end=E` (RFC 6962 §4.6; E inclusive) answers
 *   `{"entries": [{"leaf_input": base64 MerkleTreeLeaf, "extra_data": base64 chain}]}`. Logs cap
 *   the page size and may answer with fewer entries than asked (never none): each page is asked
 *   again from where the answer stopped until it is complete. When every first answer of a call
 *   comes back short, the log's cap is learned and later pages are planned at that size. A page
 *   over the byte cap (large certificates) is asked again in halves, down to a single entry.
 * - Pages are fetched several at a time (RequestPool: bounded, backing off on 429).
 * - The range before an index comes from `get-entry-and-proof?leaf_index&tree_size` (RFC 6962
 *   §4.8): the left siblings of its audit path (lib/entries/range-before.ts).
 *
 * leaf = leaf_input (the MerkleTreeLeaf, RFC 6962 §3.4: leaf hash SHA-256(0x00 ‖ leaf_input));
 * unsigned = extra_data (the chain, not covered by the tree).
 */
import { isTlogError, TlogError } from '../../errors.ts';
import type { Clock, HttpClient } from '../../http/ports.ts';
import { asArray, asBase64, asObject, getBase64, type JsonObject } from '../../json/access.ts';
import { hashLeaf } from '../../merkle/index.ts';
import type { EntrySource, ScanTarget } from '../entry-source.ts';
import { decodeBase64Strict } from '../fast-base64.ts';
import { appendToRange, rangeBeforeFromProof } from '../range-before.ts';
import type { ReceivedEntry } from '../received-entry.ts';
import { RequestPool } from '../request-pool.ts';
import { aboutEntries, parseJsonBody, requireRange, requireRangeEnd } from '../source-checks.ts';
import { parseGetEntriesPage } from './get-entries-page.ts';

export interface CtEntryOptions {
  /** Base URL of the log, e.g. https://ctfe.sigstore.dev/2022 (no trailing slash). */
  readonly url: string;
  readonly http: HttpClient;
  readonly clock: Clock;
  /** Requests in flight at once. Default 6. */
  readonly concurrency?: number;
  /** Entries asked per get-entries request. Default 1000. */
  readonly pageSize?: number;
  /** Pages one fetchEntries call covers at most. Default 2 × concurrency. */
  readonly pagesPerCall?: number;
  /** Cap on one get-entries answer, in bytes. Default 32 MiB. */
  readonly maxPageBytes?: number;
}

export const DEFAULT_CT_CONCURRENCY = 6;
export const DEFAULT_CT_PAGE_SIZE = 1000;
const DEFAULT_MAX_PAGE_BYTES = 32 << 20;
/** get-entry-and-proof: one entry (certificates up to a few hundred KB) and ≤ 64 hashes. */
const MAX_ENTRY_AND_PROOF_BYTES = 4 << 20;
const MAX_AUDIT_PATH = 64;

export interface CtEntrySource extends EntrySource {
  readonly pool: RequestPool;
  /** The page size now planned (lower than configured once the log's cap is learned). */
  readonly pageSize: number;
}

export function ctEntrySource(options: CtEntryOptions): CtEntrySource {
  const concurrency = options.concurrency ?? DEFAULT_CT_CONCURRENCY;
  const pool = new RequestPool({ concurrency, clock: options.clock });
  let pageSize = positive('pageSize', options.pageSize ?? DEFAULT_CT_PAGE_SIZE);
  const pagesPerCall = positive('pagesPerCall', options.pagesPerCall ?? 2 * concurrency);
  const maxBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;

  const getJson = async (url: string, cap: number) =>
    parseJsonBody(
      await pool.request(url, () =>
        options.http.get(url, { maxBytes: cap, accept: 'application/json', acceptStatuses: [429] }),
      ),
    );

  /** One get-entries request for [start, last]; at least one entry, at most as many as asked. */
  const getEntries = async (start: bigint, last: bigint): Promise<ReceivedEntry[]> => {
    const url = `${options.url}/ct/v1/get-entries?start=${start}&end=${last}`;
    try {
      const res = await pool.request(url, () =>
        options.http.get(url, { maxBytes, accept: 'application/json', acceptStatuses: [429] }),
      );
      const list = parseGetEntriesPage(res.body);
      const asked = last - start + 1n;
      if (list.length === 0 || BigInt(list.length) > asked) {
        throw new TlogError(
          list.length === 0 ? 'response/malformed' : 'response/mismatch',
          `get-entries answer: expected 1 to ${asked} entries, got ${list.length}`,
          { expected: asked.toString(), actual: list.length },
        );
      }
      return list.map((e, i) => {
        const path = `get-entries answer.entries[${i}]`;
        return {
          index: start + BigInt(i),
          leaf: decodeBase64Strict(e.leafInput, `${path}.leaf_input`),
          unsigned: decodeBase64Strict(e.extraData, `${path}.extra_data`),
        };
      });
    } catch (e) {
      aboutEntries(e, start, last);
    }
  };

  /**
   * A page over the size cap (large certificates) is asked again as its first half, down to one
   * entry; the rest follows as for any short answer, and later pages are planned at the smaller size.
   */
  const getEntriesWithinCap = async (start: bigint, last: bigint): Promise<ReceivedEntry[]> => {
    try {
      return await getEntries(start, last);
    } catch (e) {
      if (!isTlogError(e, 'http/too-large') || last === start) throw e;
      const half = (last - start + 1n) / 2n;
      pageSize = Math.max(1, Math.min(pageSize, Number(half)));
      return getEntriesWithinCap(start, start + half - 1n);
    }
  };

  return {
    format: 'ct',
    pool,
    get pageSize() {
      return pageSize;
    },

    async fetchEntries(target: ScanTarget, start: bigint, end: bigint): Promise<readonly ReceivedEntry[]> {
      requireRange(target, start, end);
      const size = BigInt(pageSize);
      const stop = end - start < size * BigInt(pagesPerCall) ? end : start + size * BigInt(pagesPerCall);
      const pages: [bigint, bigint][] = [];
      for (let s = start; s < stop; s += size) pages.push([s, s + size < stop ? s + size : stop]);
      const firstAnswers: { asked: bigint; got: number }[] = [];
      const filled = await pool.map(pages, async ([from, to]) => {
        const got: ReceivedEntry[] = [];
        for (let s = from; s < to; ) {
          const answer = await getEntriesWithinCap(s, to - 1n);
          if (s === from) firstAnswers.push({ asked: to - from, got: answer.length });
          for (const e of answer) got.push(e);
          s += BigInt(answer.length);
        }
        return got;
      });
      // Every full-size page answered short: the log caps pages there; plan at its cap from now on.
      const full = firstAnswers.filter((a) => a.asked === size);
      if (full.length > 0 && full.every((a) => BigInt(a.got) < size)) {
        pageSize = Math.max(...full.map((a) => a.got));
      }
      return filled.flat();
    },

    async fetchRangeBefore(target: ScanTarget, index: bigint): Promise<readonly Uint8Array[]> {
      requireRangeEnd(target, index);
      if (index === 0n) return [];
      const size = target.head.size;
      const leaf = index < size ? index : index - 1n;
      const url = `${options.url}/ct/v1/get-entry-and-proof?leaf_index=${leaf}&tree_size=${size}`;
      let answer: { leafInput: Uint8Array; path: Uint8Array[] };
      try {
        answer = parseEntryAndProof(
          asObject(await getJson(url, MAX_ENTRY_AND_PROOF_BYTES), 'get-entry-and-proof answer'),
        );
      } catch (e) {
        aboutEntries(e, leaf, leaf);
      }
      const before = rangeBeforeFromProof(leaf, size, answer.path, `entry ${leaf} audit path`);
      return leaf === index ? before : appendToRange(before, leaf, hashLeaf(answer.leafInput));
    },
  };
}

/** RFC 6962 §4.8 answer: leaf_input, extra_data, audit_path (base64 32-byte hashes). */
function parseEntryAndProof(obj: JsonObject): { leafInput: Uint8Array; path: Uint8Array[] } {
  const what = 'get-entry-and-proof answer';
  const leafInput = getBase64(obj, 'leaf_input', what);
  const list = asArray(obj.audit_path, `${what}.audit_path`);
  if (list.length > MAX_AUDIT_PATH) {
    throw new TlogError(
      'response/malformed',
      `${what}.audit_path: at most ${MAX_AUDIT_PATH} hashes expected, got ${list.length}`,
    );
  }
  return { leafInput, path: list.map((h, i) => asBase64(h, `${what}.audit_path[${i}]`, 32)) };
}

function positive(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new TlogError('config/invalid', `ct entries ${name}: expected an integer ≥ 1, got ${v}`);
  }
  return v;
}
