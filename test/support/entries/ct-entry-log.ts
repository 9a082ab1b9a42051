/**
 * An RFC 6962 CT log on loopback that serves ENTRIES, for the entry sources, the identity scan,
 * and the benchmarks (up to millions of entries; certspotter runs against it too):
 *
 *   GET /ct/v1/get-sth                                   signed tree head (§4.3)
 *   GET /ct/v1/get-sth-consistency?first&second          (§4.4)
 *   GET /ct/v1/get-entries?start&end                     (§4.6, end inclusive) at most `maxPageSize`
 *                                                        entries per answer, as real logs cap pages
 *   GET /ct/v1/get-entry-and-proof?leaf_index&tree_size  (§4.8)
 *
 * Entries: by default the real Icarus x509_entry (test/vectors/ct/proofs.json) with its timestamp
 * moved by the index (a distinct leaf of real size and structure per index, generated on demand,
 * so a million entries cost only their leaf hashes in memory), or exact entries appended.
 * Misbehaviour: short pages, forged entries, faults (429 with Retry-After, garbage, bad base64,
 * one entry more than asked, …).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { generateP256Signer, signSth, type TestSigner } from '../test-log-signing.ts';
import {
  closeServer,
  type EntryFault,
  type EntryFaultOptions,
  EntryFaults,
  listenLoopback,
  queryInt,
  sendGenericFault,
  sendJson,
} from './entry-log-http.ts';
import { EntryTree, leafHashOf } from './entry-tree.ts';
import { ctEntryVariant, type RealCtEntry, realCtEntry } from './real-entries.ts';

export interface CtEntryLogOptions {
  /** Generated entries at start (the real entry, timestamp + index). Default 0. */
  readonly initialSize?: number;
  /** Most entries in one get-entries answer. Default 1000. */
  readonly maxPageSize?: number;
  /** Path prefix, e.g. '/2026h1'. Default none. */
  readonly pathPrefix?: string;
}

export interface CtEntryLog {
  /** http://127.0.0.1:<port>[prefix] */
  readonly url: string;
  readonly publicKeyPem: string;
  /** SHA-256 of the key (RFC 6962 LogID), base64: what certspotter's log list names. */
  readonly logIdBase64: string;
  /** DER SPKI, base64. */
  readonly publicKeyDerBase64: string;
  readonly size: number;
  /** get-entries requests received (path and query). */
  readonly requests: string[];
  /** The honest entry at `index`. */
  entry(index: number): RealCtEntry;
  signedHead(): string;
  rootHash(size?: number): Uint8Array;
  /** Appends `n` generated entries. */
  append(n: number): void;
  /** Appends these exact entries. */
  appendEntries(entries: readonly RealCtEntry[]): void;
  /** From now on a page answer holds at most `max` entries (the log's cap). */
  setMaxPageSize(max: number): void;
  /** The next `times` get-entries answers hold only `count` entries (≥ 1). */
  shortPages(count: number, options?: { times?: number }): void;
  /** Serve another leaf_input at `index` (default: the real entry with another timestamp); the signed tree is unchanged. */
  forgeEntry(index: number, leafInput?: Uint8Array): void;
  respondWith(kind: EntryFault, options?: EntryFaultOptions): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startCtEntryLog(options: CtEntryLogOptions = {}): Promise<CtEntryLog> {
  const log = new CtEntryLogImpl(options);
  await log.listen();
  return log;
}

class CtEntryLogImpl implements CtEntryLog {
  readonly publicKeyPem: string;
  readonly logIdBase64: string;
  readonly publicKeyDerBase64: string;
  readonly requests: string[] = [];
  url = '';
  readonly #signer: TestSigner = generateP256Signer();
  readonly #prefix: string;
  readonly #real = realCtEntry();
  readonly #realExtraBase64 = Buffer.from(this.#real.extraData).toString('base64');
  /** Scratch copy of the real leaf, rewritten per generated entry. */
  readonly #scratch = this.#real.leafInput.slice();
  readonly #explicit = new Map<number, RealCtEntry>();
  readonly #forged = new Map<number, Uint8Array>();
  readonly #tree = new EntryTree();
  readonly #faults = new EntryFaults();
  #maxPage: number;
  #short: { count: number; remaining: number } | undefined;
  #server: Server | undefined;
  #sth: { size: number; text: string } | undefined;

  constructor(options: CtEntryLogOptions) {
    this.publicKeyPem = this.#signer.publicKeyPem;
    this.logIdBase64 = Buffer.from(this.#signer.logId).toString('base64');
    this.publicKeyDerBase64 = Buffer.from(this.#signer.spki).toString('base64');
    this.#prefix = options.pathPrefix ?? '';
    this.#maxPage = options.maxPageSize ?? 1000;
    this.append(options.initialSize ?? 0);
  }

  async listen(): Promise<void> {
    const { server, base } = await listenLoopback((req, res) => this.#handle(req, res));
    this.#server = server;
    this.url = `${base}${this.#prefix}`;
  }

  get size(): number {
    return this.#tree.size;
  }

  entry(index: number): RealCtEntry {
    if (index < 0 || index >= this.size) throw new RangeError(`no entry ${index}`);
    return (
      this.#explicit.get(index) ?? {
        leafInput: ctEntryVariant(this.#real, index),
        extraData: this.#real.extraData,
      }
    );
  }

  signedHead(): string {
    if (this.#sth?.size !== this.size) {
      this.#sth = {
        size: this.size,
        text: JSON.stringify(signSth(this.#signer, Date.now(), this.size, this.#tree.root())),
      };
    }
    return this.#sth.text;
  }

  rootHash(size?: number): Uint8Array {
    return this.#tree.root(size);
  }

  append(n: number): void {
    for (let i = 0; i < n; i++)
      this.#tree.append(leafHashOf(ctEntryVariant(this.#real, this.size, this.#scratch)));
  }

  appendEntries(entries: readonly RealCtEntry[]): void {
    for (const e of entries) {
      this.#explicit.set(this.size, e);
      this.#tree.append(leafHashOf(e.leafInput));
    }
  }

  setMaxPageSize(max: number): void {
    this.#maxPage = max;
  }

  shortPages(count: number, options: { times?: number } = {}): void {
    this.#short = { count, remaining: options.times ?? Number.POSITIVE_INFINITY };
  }

  forgeEntry(index: number, leafInput?: Uint8Array): void {
    this.#forged.set(index, leafInput ?? ctEntryVariant(this.#real, index + 1_000_000_007));
  }

  respondWith(kind: EntryFault, options?: EntryFaultOptions): void {
    this.#faults.add(kind, options);
  }

  reset(): void {
    this.#forged.clear();
    this.#faults.clear();
    this.#short = undefined;
  }

  async close(): Promise<void> {
    if (this.#server) await closeServer(this.#server);
  }

  // --- HTTP ---------------------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://ct.invalid');
    const path = url.pathname.startsWith(`${this.#prefix}/`) ? url.pathname.slice(this.#prefix.length) : '';
    const q = url.searchParams;
    try {
      switch (path) {
        case '/ct/v1/get-sth':
          return void sendJson(res, 200, JSON.parse(this.signedHead()));
        case '/ct/v1/get-sth-consistency':
          return void this.#consistency(res, q);
        case '/ct/v1/get-entries':
          this.requests.push(`${url.pathname}${url.search}`);
          return void this.#getEntries(res, q);
        case '/ct/v1/get-entry-and-proof':
          this.requests.push(`${url.pathname}${url.search}`);
          return void this.#entryAndProof(res, q);
        default:
          sendJson(res, 404, { error: `no route for ${url.pathname}` });
      }
    } catch (e) {
      sendJson(res, 500, { error: String(e) });
    }
  }

  #consistency(res: ServerResponse, q: URLSearchParams): void {
    const first = queryInt(q.get('first'));
    const second = queryInt(q.get('second'));
    if (first === undefined || second === undefined || first > second || second > this.size) {
      return void sendJson(res, 400, { error: 'bad sizes' });
    }
    sendJson(res, 200, { consistency: this.#tree.consistency(first, second).map(b64) });
  }

  #leafBase64(index: number): string {
    const forged = this.#forged.get(index);
    if (forged !== undefined) return b64(forged);
    const explicit = this.#explicit.get(index);
    if (explicit !== undefined) return b64(explicit.leafInput);
    return b64(ctEntryVariant(this.#real, index, this.#scratch));
  }

  #extraBase64(index: number): string {
    const explicit = this.#explicit.get(index);
    return explicit === undefined ? this.#realExtraBase64 : b64(explicit.extraData);
  }

  #getEntries(res: ServerResponse, q: URLSearchParams): void {
    const fault = this.#faults.take();
    if (fault && sendGenericFault(res, fault)) return;
    const start = queryInt(q.get('start'));
    const end = queryInt(q.get('end'));
    if (start === undefined || end === undefined || start > end || start >= this.size) {
      return void sendJson(res, 400, { error: 'bad start/end' });
    }
    let last = Math.min(end, this.size - 1, start + this.#maxPage - 1);
    if (this.#short !== undefined && this.#short.remaining-- > 0)
      last = Math.min(last, start + this.#short.count - 1);
    if (fault?.kind === 'mismatch') last = end + 1; // one entry more than asked (wrapping past the end)
    // Written by hand: JSON.stringify of a million-entry run's objects costs more than the entries.
    const parts: string[] = [];
    for (let i = start; i <= last; i++) {
      const at = i % this.size;
      const leaf = fault?.kind === 'bad-base64' && i === start ? '%%not base64%%' : this.#leafBase64(at);
      parts.push(`{"leaf_input":"${leaf}","extra_data":"${this.#extraBase64(at)}"}`);
    }
    const text = `{"entries":[${parts.join(',')}]}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  #entryAndProof(res: ServerResponse, q: URLSearchParams): void {
    const fault = this.#faults.take();
    if (fault && sendGenericFault(res, fault)) return;
    const index = queryInt(q.get('leaf_index'));
    const size = queryInt(q.get('tree_size'));
    if (index === undefined || size === undefined || index >= size || size > this.size) {
      return void sendJson(res, 400, { error: 'bad leaf_index/tree_size' });
    }
    sendJson(res, 200, {
      leaf_input: this.#leafBase64(index),
      extra_data: this.#extraBase64(index),
      audit_path: this.#tree.inclusion(index, size).map(b64),
    });
  }
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
