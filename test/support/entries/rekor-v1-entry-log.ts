/**
 * A Rekor v1 log on loopback that serves ENTRIES (sigstore/rekor openapi.yaml), for the entry
 * sources, the identity scan and its benchmarks:
 *
 *   GET  /api/v1/log                          log info: signed checkpoint of the active shard,
 *                                             inactiveShards with their final checkpoints
 *   GET  /api/v1/log/proof?firstSize&lastSize[&treeID]   consistency proof (hex)
 *   POST /api/v1/log/entries/retrieve         {"logIndexes": [global…]} (≤ 10) → [LogEntry…]
 *   GET  /api/v1/log/entries?logIndex=N       LogEntry (404 when out of range)
 *
 * LogEntry = { "<treeID hex16><leaf hash hex>": { body, integratedTime, logID, logIndex (global),
 * verification: { inclusionProof: { checkpoint, hashes (hex), logIndex (in the shard), rootHash,
 * treeSize }, signedEntryTimestamp } } }: the proof is for the shard's current size, as Rekor does.
 *
 * Entries are real `canonicalizedBody` bytes from test/vectors (cycled) unless given. Shards:
 * rotateShard() retires the active tree; global index = offset of the shard + tree index.
 * Misbehaviour: forgeEntry (bytes not in the signed tree), faults on the entry endpoints
 * (429 with Retry-After, garbage, bad base64, wrong logIndex, …), a retrieve answer that drops
 * an index.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { generateP256Signer, rekorCheckpointBody, signNote, type TestSigner } from '../test-log-signing.ts';
import {
  closeServer,
  type EntryFault,
  type EntryFaultOptions,
  EntryFaults,
  listenLoopback,
  queryInt,
  readRequestBody,
  send,
  sendGenericFault,
  sendJson,
} from './entry-log-http.ts';
import { EntryTree, leafHashOf } from './entry-tree.ts';
import { realRekorV1Entries } from './real-entries.ts';

export interface RekorEntryLogOptions {
  /** Real bodies appended at start (cycled through the vectors). Default 0. */
  readonly initialSize?: number;
  /** Signature name and origin prefix. Default `rekor.test.local`. */
  readonly hostname?: string;
  /** First tree ID (decimal). Default 1000000000000000001. */
  readonly treeId?: string;
}

export interface RekorEntryLog {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly publicKeyPem: string;
  readonly keyName: string;
  /** Origin of the active shard: `<hostname> - <treeID>`. */
  readonly origin: string;
  readonly treeId: string;
  /** Leaves in the active shard. */
  readonly size: number;
  /** Global index of the active shard's leaf 0 (ScanTarget.indexOffset). */
  readonly indexOffset: number;
  /** Requests received: `GET <path?query>` or `POST <path> <body>`. */
  readonly requests: string[];
  /** The honest body at tree index `index` of the active shard (or of `treeId`). */
  body(index: number, treeId?: string): Uint8Array;
  /** A freshly signed checkpoint of the active shard. */
  signedHead(): string;
  rootHash(size?: number): Uint8Array;
  /** Appends `n` real bodies (cycled). */
  append(n: number): void;
  /** Appends these exact bodies. */
  appendEntries(bodies: readonly Uint8Array[]): void;
  /** The active tree becomes an inactive shard; a new empty tree with the next tree ID starts. */
  rotateShard(): void;
  /** Serve other bytes at tree index `index` of the active shard (default: another real body); the signed tree is unchanged. */
  forgeEntry(index: number, body?: Uint8Array): void;
  /** Prepares every honest entry answer now (benchmarks: serving then costs only the copy). */
  warm(): void;
  /** Retrieve answers leave out their last index. */
  dropFromRetrieve(options?: { times?: number }): void;
  /** Broken answers on the two entry endpoints. */
  respondWith(kind: EntryFault, options?: EntryFaultOptions): void;
  /** Clears forgeries and faults; keeps entries and shards. */
  reset(): void;
  close(): Promise<void>;
}

interface Shard {
  readonly treeId: string;
  readonly offset: number;
  readonly bodies: Uint8Array[];
  readonly tree: EntryTree;
}

const SET_PLACEHOLDER = Buffer.from('test log: not a real signed entry timestamp').toString('base64');

export async function startRekorEntryLog(options: RekorEntryLogOptions = {}): Promise<RekorEntryLog> {
  const log = new RekorEntryLogImpl(options);
  await log.listen();
  return log;
}

class RekorEntryLogImpl implements RekorEntryLog {
  readonly publicKeyPem: string;
  readonly keyName: string;
  readonly requests: string[] = [];
  url = '';
  readonly #signer: TestSigner = generateP256Signer();
  readonly #real = realRekorV1Entries();
  #cycle = 0;
  readonly #shards: Shard[] = [];
  readonly #forged = new Map<number, Uint8Array>();
  readonly #faults = new EntryFaults();
  #drop: number | undefined;
  #server: Server | undefined;
  /** Signed checkpoint per `treeID:size`, so a page of entries signs once. */
  readonly #checkpoints = new Map<string, string>();
  /** Honest LogEntry JSON text per global index, with the shard size it was made for. */
  readonly #answers = new Map<number, { size: number; text: string }>();

  constructor(options: RekorEntryLogOptions) {
    this.publicKeyPem = this.#signer.publicKeyPem;
    this.keyName = options.hostname ?? 'rekor.test.local';
    this.#shards.push({
      treeId: options.treeId ?? '1000000000000000001',
      offset: 0,
      bodies: [],
      tree: new EntryTree(),
    });
    this.append(options.initialSize ?? 0);
  }

  async listen(): Promise<void> {
    const { server, base } = await listenLoopback((req, res) => void this.#handle(req, res));
    this.#server = server;
    this.url = base;
  }

  get #active(): Shard {
    return this.#shards[this.#shards.length - 1] as Shard;
  }

  get origin(): string {
    return `${this.keyName} - ${this.#active.treeId}`;
  }
  get treeId(): string {
    return this.#active.treeId;
  }
  get size(): number {
    return this.#active.tree.size;
  }
  get indexOffset(): number {
    return this.#active.offset;
  }

  body(index: number, treeId?: string): Uint8Array {
    const shard = treeId === undefined ? this.#active : this.#shards.find((s) => s.treeId === treeId);
    const b = shard?.bodies[index];
    if (b === undefined) throw new RangeError(`no entry ${index} in shard ${treeId ?? this.treeId}`);
    return b;
  }

  signedHead(): string {
    return this.#checkpoint(this.#active, this.#active.tree.size);
  }

  rootHash(size?: number): Uint8Array {
    return this.#active.tree.root(size);
  }

  append(n: number): void {
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < n; i++)
      bodies.push((this.#real[this.#cycle++ % this.#real.length] as { body: Uint8Array }).body);
    this.appendEntries(bodies);
  }

  appendEntries(bodies: readonly Uint8Array[]): void {
    const shard = this.#active;
    for (const b of bodies) {
      shard.bodies.push(b);
      shard.tree.append(leafHashOf(b));
    }
  }

  rotateShard(): void {
    const old = this.#active;
    this.#shards.push({
      treeId: (BigInt(old.treeId) + 1n).toString(),
      offset: old.offset + old.tree.size,
      bodies: [],
      tree: new EntryTree(),
    });
  }

  forgeEntry(index: number, body?: Uint8Array): void {
    const honest = this.body(index);
    const other =
      body ?? this.#real.find((r) => Buffer.compare(Buffer.from(r.body), Buffer.from(honest)) !== 0)?.body;
    if (other === undefined) throw new Error('forgeEntry: no other body to serve');
    this.#forged.set(this.#active.offset + index, other);
  }

  dropFromRetrieve(options: { times?: number } = {}): void {
    this.#drop = options.times ?? Number.POSITIVE_INFINITY;
  }

  respondWith(kind: EntryFault, options?: EntryFaultOptions): void {
    this.#faults.add(kind, options);
  }

  warm(): void {
    for (const shard of this.#shards)
      for (let i = 0; i < shard.tree.size; i++) this.#entryText(shard.offset + i, undefined);
  }

  reset(): void {
    this.#forged.clear();
    this.#faults.clear();
    this.#drop = undefined;
  }

  async close(): Promise<void> {
    if (this.#server) await closeServer(this.#server);
  }

  // --- signing and entries ------------------------------------------------------------------

  #checkpoint(shard: Shard, size: number): string {
    const key = `${shard.treeId}:${size}`;
    let cp = this.#checkpoints.get(key);
    if (cp === undefined) {
      const body = rekorCheckpointBody(
        `${this.keyName} - ${shard.treeId}`,
        size,
        shard.tree.root(size),
        BigInt(Date.now()) * 1_000_000n,
      );
      cp = signNote(body, this.keyName, this.#signer);
      this.#checkpoints.set(key, cp);
    }
    return cp;
  }

  #shardOf(global: number): Shard | undefined {
    return this.#shards.find((s) => global >= s.offset && global < s.offset + s.tree.size);
  }

  /** The LogEntry JSON text for a global index (cached while honest), or undefined if out of range. */
  #entryText(global: number, fault: EntryFault | undefined): string | undefined {
    const honest = fault === undefined && !this.#forged.has(global);
    const size = this.#shardOf(global)?.tree.size;
    const cached = honest ? this.#answers.get(global) : undefined;
    if (cached !== undefined && cached.size === size) return cached.text;
    const entry = this.#logEntry(global, fault);
    if (entry === undefined || size === undefined) return undefined;
    const text = JSON.stringify(entry);
    if (honest) this.#answers.set(global, { size, text });
    return text;
  }

  /** The LogEntry object for a global index (forgery applied), or undefined if out of range. */
  #logEntry(global: number, fault: EntryFault | undefined): Record<string, unknown> | undefined {
    const shard = this.#shardOf(global);
    if (shard === undefined) return undefined;
    const index = global - shard.offset;
    const size = shard.tree.size;
    const body = this.#forged.get(global) ?? (shard.bodies[index] as Uint8Array);
    const leaf = Buffer.from(leafHashOf(body)).toString('hex');
    return {
      [`${BigInt(shard.treeId).toString(16).padStart(16, '0')}${leaf}`]: {
        body: fault === 'bad-base64' ? '%%not base64%%' : Buffer.from(body).toString('base64'),
        integratedTime: 1_700_000_000 + global,
        logID: Buffer.from(this.#signer.logId).toString('hex'),
        logIndex: fault === 'mismatch' ? global + 1 : global,
        verification: {
          inclusionProof: {
            checkpoint: this.#checkpoint(shard, size),
            hashes: shard.tree.inclusion(index, size).map((h) => Buffer.from(h).toString('hex')),
            logIndex: index,
            rootHash: Buffer.from(shard.tree.root(size)).toString('hex'),
            treeSize: size,
          },
          signedEntryTimestamp: SET_PLACEHOLDER,
        },
      },
    };
  }

  // --- HTTP ---------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://rekor.invalid');
    try {
      if (req.method === 'POST' && url.pathname === '/api/v1/log/entries/retrieve') {
        const text = await readRequestBody(req);
        this.requests.push(`POST ${url.pathname} ${text}`);
        return void this.#retrieve(res, text);
      }
      this.requests.push(`${req.method} ${req.url}`);
      if (req.method !== 'GET') return void sendJson(res, 405, { code: 405, message: 'method not allowed' });
      if (url.pathname === '/api/v1/log') return void sendJson(res, 200, this.#logInfo());
      if (url.pathname === '/api/v1/log/proof') return void this.#proof(res, url.searchParams);
      if (url.pathname === '/api/v1/log/entries') return void this.#getEntry(res, url.searchParams);
      sendJson(res, 404, { code: 404, message: `no route for ${url.pathname}` });
    } catch (e) {
      sendJson(res, 500, { code: 500, message: String(e) });
    }
  }

  #logInfo(): Record<string, unknown> {
    const info = (s: Shard) => ({
      rootHash: Buffer.from(s.tree.root()).toString('hex'),
      treeSize: s.tree.size,
      signedTreeHead: this.#checkpoint(s, s.tree.size),
      treeID: s.treeId,
    });
    const inactive = this.#shards.slice(0, -1);
    return { ...info(this.#active), ...(inactive.length > 0 ? { inactiveShards: inactive.map(info) } : {}) };
  }

  #proof(res: ServerResponse, q: URLSearchParams): void {
    const first = queryInt(q.get('firstSize') ?? '1');
    const last = queryInt(q.get('lastSize'));
    const treeId = q.get('treeID');
    const shard =
      treeId === null || treeId === '' ? this.#active : this.#shards.find((s) => s.treeId === treeId);
    if (shard === undefined) return void sendJson(res, 500, { code: 500, message: `unknown tree ${treeId}` });
    if (first === undefined || last === undefined || first < 1 || first > last || last > shard.tree.size) {
      return void sendJson(res, 400, { code: 400, message: `bad sizes ${first}, ${last}` });
    }
    sendJson(res, 200, {
      rootHash: Buffer.from(shard.tree.root()).toString('hex'),
      hashes: shard.tree.consistency(first, last).map((h) => Buffer.from(h).toString('hex')),
    });
  }

  #retrieve(res: ServerResponse, text: string): void {
    const fault = this.#faults.take();
    if (fault && sendGenericFault(res, fault)) return;
    let indexes: unknown;
    try {
      indexes = (JSON.parse(text) as { logIndexes?: unknown }).logIndexes;
    } catch {
      return void sendJson(res, 400, { code: 400, message: 'bad JSON' });
    }
    if (
      !Array.isArray(indexes) ||
      indexes.length === 0 ||
      indexes.length > 10 ||
      !indexes.every(Number.isSafeInteger)
    ) {
      return void sendJson(res, 422, { code: 422, message: 'logIndexes: 1 to 10 integers' });
    }
    let asked = indexes as number[];
    if (this.#drop !== undefined && this.#drop-- > 0) asked = asked.slice(0, -1);
    const out = asked.map((g) => this.#entryText(g, fault?.kind)).filter((e) => e !== undefined);
    send(res, 200, `[${out.join(',')}]`, 'application/json');
  }

  #getEntry(res: ServerResponse, q: URLSearchParams): void {
    const fault = this.#faults.take();
    if (fault && sendGenericFault(res, fault)) return;
    const g = queryInt(q.get('logIndex'));
    const entry = g === undefined ? undefined : this.#entryText(g, fault?.kind);
    if (entry === undefined) return void sendJson(res, 404, { code: 404, message: 'entry not found' });
    send(res, 200, entry, 'application/json');
  }
}
