/**
 * An in-repo transparency log on loopback for CLI, check and Lambda tests: a Rekor v1 log or an
 * RFC 6962 CT log with a fresh P-256 key and real signatures, plus switches that make it lie
 * the ways real logs can (fork, rollback, bad proofs, bad signatures, wrong origin, broken or
 * self-contradicting responses, Rekor shard rotation).
 *
 * Rekor v1 (sigstore/rekor openapi.yaml):
 *   GET /api/v1/log → { rootHash (hex), treeSize, signedTreeHead (signed note), treeID,
 *                       inactiveShards? [{ rootHash, treeSize, signedTreeHead, treeID }] }
 *       (inactiveShards is omitted when empty, as go-swagger's omitempty does)
 *   GET /api/v1/log/proof?firstSize&lastSize[&treeID] → { rootHash (hex), hashes: [hex] }
 *       firstSize defaults to 1, both ≥ 1, firstSize ≤ lastSize ≤ tree size, else 400
 *       {code, message}; firstSize = lastSize gives no hashes; rootHash is the root of the
 *       tree's *latest* head (as Rekor returns Trillian's latest signed root), not of lastSize.
 * CT (RFC 6962 §4.3, §4.4):
 *   GET /ct/v1/get-sth → { tree_size, timestamp, sha256_root_hash, tree_head_signature }
 *   GET /ct/v1/get-sth-consistency?first&second → { consistency: [base64] }
 *       0 ≤ first ≤ second ≤ tree size, else 400; first = 0 or first = second gives [].
 *
 * Every head is signed when served (Rekor re-signs on each GET /api/v1/log, so the
 * `Timestamp:` line moves; CT's timestamp is the time of serving too).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendHuge, sendSlow } from './test-log-faults.ts';
import {
  type GetSthJson,
  generateP256Signer,
  rekorCheckpointBody,
  signNote,
  signSth,
  type TestSigner,
} from './test-log-signing.ts';
import { TestTree } from './test-log-tree.ts';

export type TestLogType = 'rekor-v1' | 'ct';
export type BadProofMode = 'flip' | 'truncate' | 'extend' | 'garbage';
export type ResponseKind = 'garbage' | 'huge' | 'slow' | 'status500' | 'status404' | 'json-mismatch';

export interface StartTestLogOptions {
  readonly type: TestLogType;
  /** Leaves in the (first) tree at start. Default 0. */
  readonly initialSize?: number;
  /**
   * Rekor: checkpoint origin `<hostname> - <treeID>`; the hostname is also the signature name.
   * Default `rekor.test.local - <treeId>`. An origin not of that form is used verbatim (and as
   * the signature name) for the first shard.
   */
  readonly origin?: string;
  /** Rekor tree ID (decimal). Default 1000000000000000001; each rotation adds one. */
  readonly treeId?: string;
  /** Serve the API under this path prefix (e.g. '/logs/test2025h1'); included in `url`. */
  readonly pathPrefix?: string;
}

export interface FaultOptions {
  /** Apply to this many responses, then behave honestly again. Default: until reset(). */
  readonly times?: number;
}

export interface TestLog {
  readonly type: TestLogType;
  /** http://127.0.0.1:<port>[pathPrefix] */
  readonly url: string;
  /** SPKI PEM of the log's key (pin this). */
  readonly publicKeyPem: string;
  /** Size of the tree now being served (switches such as rollback applied). */
  readonly size: number;
  /** Rekor: current origin (`<hostname> - <treeID>`, honest). CT: the log URL. */
  readonly origin: string;
  /** Rekor: the signature name (hostname). */
  readonly keyName: string;
  /** Rekor: the active tree ID. */
  readonly treeId: string;
  /** Every request received, as its path and query (`req.url`), in order. */
  readonly requests: readonly string[];
  /** Leaf hashes of the tree now being served. */
  leafHashes(): readonly Uint8Array[];
  /** Root of the served tree at `size` (default: current size). */
  rootHash(size?: number): Uint8Array;
  /**
   * A freshly signed head of what is served now (switches applied): the checkpoint note for
   * Rekor, the get-sth JSON text for CT.
   */
  signedHead(): string;
  append(n: number): void;
  /** From now on serve a different tree of the same size (different last leaf), validly signed. */
  fork(): void;
  /** From now on serve a validly signed head of size `toSize` (smaller than now). */
  rollback(toSize: number): void;
  /** Consistency proofs become wrong in this way (proofs with no hashes are not altered by flip/truncate). */
  badProof(mode: BadProofMode, options?: FaultOptions): void;
  /**
   * Heads are signed with another key. keyHint 'pinned' (default): the line claims the pinned
   * key's hint, so a verifier finds the key and the signature fails; 'signer': the other key's
   * own hint (no known signature at all). CT has no hint.
   */
  badSignature(options?: { keyHint?: 'pinned' | 'signer' }): void;
  /** Rekor: checkpoints carry a different origin, validly signed. */
  wrongOrigin(): void;
  /**
   * Answers requests for `path` (API path without the prefix, e.g. '/api/v1/log'; default:
   * every path; for 'json-mismatch' the log-info path) with a broken response:
   * garbage (200, not JSON), huge (200, 6 MiB chunked, no Content-Length), slow (200 headers,
   * then one byte every 100 ms), status500, status404, json-mismatch (Rekor: unsigned
   * treeSize/rootHash disagree with the signed checkpoint).
   */
  respondWith(kind: ResponseKind, path?: string, options?: FaultOptions): void;
  /** Rekor: the current tree becomes an inactive shard; a new empty tree with a new treeID starts. */
  rotateShard(): void;
  /** Rekor: the most recently retired shard disappears from inactiveShards (and its proofs). */
  dropInactiveShard(): void;
  /**
   * Heads are signed with this timestamp (ms since the epoch; Rekor: its `Timestamp:` line)
   * instead of the time of serving, until reset().
   */
  signAt(timestampMs: number): void;
  /**
   * The next head answer only is a validly signed head of size `toSize` (smaller than now) over
   * another history (its last leaf differs); proofs and later answers stay honest.
   */
  serveForkedHeadOnce(toSize: number): void;
  /**
   * Rekor: the server now signs under another host name (origin `<hostname> - <treeID>` and
   * signature line name), as after a restart in another pod. Same key; not undone by reset().
   */
  renameSigner(hostname: string): void;
  /** Rekor: every checkpoint carries `lines` extra unsigned signature lines of about `bytes` each, until reset(). */
  padSignatures(lines: number, bytes: number): void;
  /**
   * Rekor: the most recently retired shard is served as the active one again, at size `toSize`
   * over another history (its last leaf differs), and the active shard is listed as retired;
   * proofs for that shard come from the other history. Until reset().
   */
  reactivateRetiredShard(toSize: number): void;
  /** Rekor: the most recently retired shard is listed with a rewritten final head (same size, last leaf differs), until reset(). */
  rewriteRetiredShard(): void;
  /** Back to honest behaviour: clears every switch (fork and rollback included); keeps the leaves and shards. */
  reset(): void;
  close(): Promise<void>;
}

export { HUGE_RESPONSE_BYTES } from './test-log-faults.ts';

const DEFAULT_TREE_ID = '1000000000000000001';
const DEFAULT_HOSTNAME = 'rekor.test.local';
const REKOR_LOG_PATH = '/api/v1/log';
const REKOR_PROOF_PATH = '/api/v1/log/proof';
const CT_STH_PATH = '/ct/v1/get-sth';
const CT_CONSISTENCY_PATH = '/ct/v1/get-sth-consistency';

interface Fault<T> {
  readonly value: T;
  remaining: number | undefined;
}

interface Reply {
  readonly status: number;
  readonly json: unknown;
}

interface ResponseFault {
  readonly kind: ResponseKind;
  readonly path: string | undefined;
}

export async function startTestLog(options: StartTestLogOptions): Promise<TestLog> {
  const log = new TestLogImpl(options);
  await log.listen();
  return log;
}

class TestLogImpl implements TestLog {
  readonly type: TestLogType;
  readonly publicKeyPem: string;
  readonly requests: string[] = [];
  url = '';

  private readonly signer: TestSigner;
  private readonly otherSigner: TestSigner;
  private readonly prefix: string;
  private hostname: string;
  /** Origins configured verbatim (not `<host> - <id>`), per tree. */
  private readonly verbatimOrigins = new Map<TestTree, string>();
  private active: TestTree;
  private readonly inactive: TestTree[] = [];
  private readonly server = createServer((req, res) => this.handle(req, res));

  private proofFault: Fault<BadProofMode> | undefined;
  private signatureFault: 'pinned' | 'signer' | undefined;
  private originFault = false;
  private responseFaults: Fault<ResponseFault>[] = [];
  private fixedTimestampMs: number | undefined;
  private forkedHeadOnce: TestTree | undefined;
  private padding: { lines: number; bytes: number } | undefined;
  /** A retired shard served as active again over another history (and the shard it displaced). */
  private reactivated: { tree: TestTree; displaced: TestTree } | undefined;
  /** A retired shard listed with another history. */
  private rewritten: { original: TestTree; tree: TestTree } | undefined;

  constructor(options: StartTestLogOptions) {
    this.type = options.type;
    this.signer = generateP256Signer();
    this.otherSigner = generateP256Signer();
    this.publicKeyPem = this.signer.publicKeyPem;
    this.prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
    if (this.prefix !== '' && !this.prefix.startsWith('/')) throw new Error('pathPrefix must start with /');
    let treeId = options.treeId ?? DEFAULT_TREE_ID;
    if (!/^\d+$/.test(treeId)) throw new Error(`treeId must be decimal, got ${treeId}`);
    let hostname = DEFAULT_HOSTNAME;
    if (options.origin !== undefined) {
      const m = /^(.+) - (\d+)$/.exec(options.origin);
      if (m !== null) {
        hostname = m[1] as string;
        if (options.treeId !== undefined && options.treeId !== m[2]) {
          throw new Error(`origin ${options.origin} names tree ${m[2]}, but treeId is ${options.treeId}`);
        }
        treeId = m[2] as string;
      } else {
        hostname = options.origin;
      }
    }
    this.hostname = hostname;
    this.active = new TestTree(treeId, options.initialSize ?? 0);
    if (options.origin !== undefined && options.origin !== `${hostname} - ${treeId}`) {
      this.verbatimOrigins.set(this.active, options.origin);
    }
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${this.prefix}`;
  }

  // --- state ---------------------------------------------------------------------------

  get size(): number {
    return this.active.size;
  }

  get treeId(): string {
    return this.active.treeId;
  }

  get keyName(): string {
    return this.hostname;
  }

  get origin(): string {
    return this.type === 'ct' ? this.url : this.originOf(this.active);
  }

  leafHashes(): readonly Uint8Array[] {
    return this.active.served();
  }

  rootHash(size?: number): Uint8Array {
    return this.active.root(size);
  }

  signedHead(): string {
    return this.type === 'ct' ? JSON.stringify(this.sth(this.active)) : this.checkpoint(this.active);
  }

  // --- switches --------------------------------------------------------------------------

  append(n: number): void {
    this.active.append(n);
  }

  fork(): void {
    this.active.fork();
  }

  rollback(toSize: number): void {
    this.active.rollback(toSize);
  }

  badProof(mode: BadProofMode, options: FaultOptions = {}): void {
    this.proofFault = { value: mode, remaining: checkTimes(options.times) };
  }

  badSignature(options: { keyHint?: 'pinned' | 'signer' } = {}): void {
    this.signatureFault = options.keyHint ?? 'pinned';
  }

  wrongOrigin(): void {
    this.rekorOnly('wrongOrigin');
    this.originFault = true;
  }

  respondWith(kind: ResponseKind, path?: string, options: FaultOptions = {}): void {
    if (kind === 'json-mismatch') this.rekorOnly("respondWith('json-mismatch')");
    const target = path ?? (kind === 'json-mismatch' ? REKOR_LOG_PATH : undefined);
    this.responseFaults.push({ value: { kind, path: target }, remaining: checkTimes(options.times) });
  }

  rotateShard(): void {
    this.rekorOnly('rotateShard');
    this.active.clearSwitches();
    this.inactive.push(this.active);
    const next = (BigInt(this.active.treeId) + 1n).toString();
    this.active = new TestTree(next, 0);
  }

  dropInactiveShard(): void {
    this.rekorOnly('dropInactiveShard');
    if (this.inactive.pop() === undefined) throw new Error('dropInactiveShard: there is no inactive shard');
  }

  signAt(timestampMs: number): void {
    this.fixedTimestampMs = timestampMs;
  }

  serveForkedHeadOnce(toSize: number): void {
    if (!Number.isSafeInteger(toSize) || toSize < 1 || toSize >= this.active.size) {
      throw new RangeError(`serveForkedHeadOnce: expected 1 ≤ size < ${this.active.size}, got ${toSize}`);
    }
    this.forkedHeadOnce = otherHistory(this.active.treeId, toSize);
  }

  renameSigner(hostname: string): void {
    this.rekorOnly('renameSigner');
    this.hostname = hostname;
  }

  padSignatures(lines: number, bytes: number): void {
    this.rekorOnly('padSignatures');
    this.padding = { lines, bytes };
  }

  reactivateRetiredShard(toSize: number): void {
    this.rekorOnly('reactivateRetiredShard');
    const retired = this.inactive.at(-1);
    if (retired === undefined) throw new Error('reactivateRetiredShard: there is no inactive shard');
    this.reactivated = { tree: otherHistory(retired.treeId, toSize), displaced: retired };
  }

  rewriteRetiredShard(): void {
    this.rekorOnly('rewriteRetiredShard');
    const original = this.inactive.at(-1);
    if (original === undefined) throw new Error('rewriteRetiredShard: there is no inactive shard');
    this.rewritten = { original, tree: otherHistory(original.treeId, original.size) };
  }

  reset(): void {
    this.active.clearSwitches();
    this.proofFault = undefined;
    this.signatureFault = undefined;
    this.originFault = false;
    this.responseFaults = [];
    this.fixedTimestampMs = undefined;
    this.forkedHeadOnce = undefined;
    this.padding = undefined;
    this.reactivated = undefined;
    this.rewritten = undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private rekorOnly(what: string): void {
    if (this.type !== 'rekor-v1') throw new Error(`${what} applies to rekor-v1 test logs only`);
  }

  // --- signing ---------------------------------------------------------------------------

  private originOf(tree: TestTree): string {
    return this.verbatimOrigins.get(tree) ?? `${this.hostname} - ${tree.treeId}`;
  }

  private headSigner(): { signer: TestSigner; hint: Uint8Array } {
    if (this.signatureFault === undefined) return { signer: this.signer, hint: this.signer.keyHint };
    const hint = this.signatureFault === 'pinned' ? this.signer.keyHint : this.otherSigner.keyHint;
    return { signer: this.otherSigner, hint };
  }

  private timestampMs(): number {
    return this.fixedTimestampMs ?? Date.now();
  }

  private checkpoint(tree: TestTree): string {
    const origin = this.originFault ? `evil.${this.hostname} - ${tree.treeId}` : this.originOf(tree);
    const body = rekorCheckpointBody(origin, tree.size, tree.root(), BigInt(this.timestampMs()) * 1_000_000n);
    const { signer, hint } = this.headSigner();
    const note = signNote(body, this.hostname, signer, hint);
    if (this.padding === undefined) return note;
    const { lines, bytes } = this.padding;
    // Unsigned lines by unknown keys (valid base64, 4-byte key ID + junk): ignored by a verifier.
    const pad = Array.from({ length: lines }, (_, i) => {
      const blob = Buffer.alloc(4 + bytes, i + 1).toString('base64');
      return `\u2014 pad-${i}.test.local ${blob}\n`;
    });
    return `${note}${pad.join('')}`;
  }

  /** The tree whose head is served now: a one-off forked head, a re-activated shard, or the active one. */
  private servedTree(): TestTree {
    const once = this.forkedHeadOnce;
    if (once !== undefined) {
      this.forkedHeadOnce = undefined;
      return once;
    }
    return this.reactivated?.tree ?? this.active;
  }

  /** Retired shards as listed now (switches applied). */
  private listedInactive(): TestTree[] {
    const r = this.reactivated;
    const listed = r ? [...this.inactive.filter((t) => t !== r.displaced), this.active] : this.inactive;
    const w = this.rewritten;
    return w ? listed.map((t) => (t === w.original ? w.tree : t)) : listed;
  }

  private sth(tree = this.servedTree()): GetSthJson {
    return signSth(this.headSigner().signer, this.timestampMs(), tree.size, tree.root());
  }

  // --- HTTP ------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '/';
    this.requests.push(raw);
    const url = new URL(raw, 'http://test-log.invalid');
    const path = url.pathname.startsWith(`${this.prefix}/`)
      ? url.pathname.slice(this.prefix.length)
      : undefined;
    const fault = path === undefined ? undefined : this.takeResponseFault(path);
    if (fault !== undefined && fault !== 'json-mismatch') {
      sendBroken(res, fault);
      return;
    }
    let reply: Reply;
    try {
      reply = this.route(req.method ?? 'GET', path, url.searchParams, fault === 'json-mismatch');
    } catch (e) {
      reply = failure(500, String(e));
    }
    sendJson(res, reply.status, reply.json);
  }

  private route(method: string, path: string | undefined, q: URLSearchParams, mismatch: boolean): Reply {
    if (method !== 'GET') return failure(405, 'method not allowed');
    if (this.type === 'rekor-v1') {
      if (path === REKOR_LOG_PATH) return { status: 200, json: this.rekorLogInfo(mismatch) };
      if (path === REKOR_PROOF_PATH) return this.rekorProof(q);
    } else {
      if (path === CT_STH_PATH) return { status: 200, json: this.sth() };
      if (path === CT_CONSISTENCY_PATH) return this.ctConsistency(q);
    }
    return failure(404, `no route for ${path ?? 'this path'}`);
  }

  private takeResponseFault(path: string): ResponseKind | undefined {
    for (const f of this.responseFaults) {
      if (f.value.path !== undefined && f.value.path !== path) continue;
      if (f.remaining !== undefined) {
        f.remaining--;
        if (f.remaining <= 0) this.responseFaults = this.responseFaults.filter((x) => x !== f);
      }
      return f.value.kind;
    }
    return undefined;
  }

  private rekorLogInfo(mismatch: boolean): Record<string, unknown> {
    const tree = this.servedTree();
    const root = Buffer.from(tree.root());
    let treeSize = tree.size;
    if (mismatch) {
      root[0] = (root[0] as number) ^ 0xff;
      treeSize += 1;
    }
    const info: Record<string, unknown> = {
      rootHash: root.toString('hex'),
      treeSize,
      signedTreeHead: this.checkpoint(tree),
      treeID: tree.treeId,
    };
    const inactive = this.listedInactive();
    if (inactive.length > 0) {
      info.inactiveShards = inactive.map((t) => ({
        rootHash: Buffer.from(t.root()).toString('hex'),
        treeSize: t.size,
        signedTreeHead: this.checkpoint(t),
        treeID: t.treeId,
      }));
    }
    return info;
  }

  private rekorProof(q: URLSearchParams): Reply {
    const first = parseQueryInt(q.get('firstSize') ?? '1');
    const last = parseQueryInt(q.get('lastSize'));
    if (first === undefined || first < 1) return failure(400, 'firstSize must be an integer ≥ 1');
    if (last === undefined || last < 1) return failure(400, 'lastSize must be an integer ≥ 1');
    if (first > last) return failure(400, `firstSize(${first}) must be less than lastSize(${last})`);
    const treeId = q.get('treeID');
    const active = this.reactivated?.tree ?? this.active;
    const tree =
      treeId === null || treeId === ''
        ? active
        : [active, ...this.listedInactive()].find((t) => t.treeId === treeId);
    if (tree === undefined) return failure(500, `unknown tree ${treeId}`);
    if (last > tree.size)
      return failure(400, `requested tree size ${last} greater than the tree size ${tree.size}`);
    const hashes = this.corrupt(tree.consistency(first, last), 'hex');
    return { status: 200, json: { rootHash: Buffer.from(tree.root()).toString('hex'), hashes } };
  }

  private ctConsistency(q: URLSearchParams): Reply {
    const first = parseQueryInt(q.get('first'));
    const second = parseQueryInt(q.get('second'));
    if (first === undefined || second === undefined)
      return failure(400, 'first and second must be integers ≥ 0');
    if (first > second) return failure(400, `first (${first}) > second (${second})`);
    if (second > this.active.size) {
      return failure(400, `second (${second}) greater than the tree size ${this.active.size}`);
    }
    return {
      status: 200,
      json: { consistency: this.corrupt(this.active.consistency(first, second), 'base64') },
    };
  }

  /** Applies the bad-proof switch (if any) and encodes the hashes. */
  private corrupt(hashes: Uint8Array[], encoding: 'hex' | 'base64'): string[] {
    const fault = this.proofFault;
    const encode = (h: Uint8Array) => Buffer.from(h).toString(encoding);
    if (fault === undefined) return hashes.map(encode);
    let out: string[];
    switch (fault.value) {
      case 'flip': {
        if (hashes.length === 0) return [];
        const first = Uint8Array.from(hashes[0] as Uint8Array);
        first[0] = (first[0] as number) ^ 0x01;
        out = [first, ...hashes.slice(1)].map(encode);
        break;
      }
      case 'truncate':
        if (hashes.length === 0) return [];
        out = hashes.slice(0, -1).map(encode);
        break;
      case 'extend':
        out = [...hashes, new Uint8Array(32).fill(0xab)].map(encode);
        break;
      case 'garbage':
        out = [encoding === 'hex' ? 'not-hex:zz' : '%%not base64%%', ...hashes.slice(1).map(encode)];
        break;
    }
    if (fault.remaining !== undefined && --fault.remaining <= 0) this.proofFault = undefined;
    return out;
  }
}

/** A tree of `size` leaves on shard `treeId` whose last leaf differs from the honest one's. */
function otherHistory(treeId: string, size: number): TestTree {
  const tree = new TestTree(treeId, size);
  tree.fork();
  return tree;
}

function checkTimes(times: number | undefined): number | undefined {
  if (times === undefined) return undefined;
  if (!Number.isSafeInteger(times) || times < 1) throw new RangeError(`times must be ≥ 1, got ${times}`);
  return times;
}

function parseQueryInt(v: string | null): number | undefined {
  if (v === null || !/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Rekor's error body shape ({code, message}); CT logs answer errors in their own ways. */
function failure(status: number, message: string): Reply {
  return { status, json: { code: status, message } };
}

function sendBroken(res: ServerResponse, kind: Exclude<ResponseKind, 'json-mismatch'>): void {
  switch (kind) {
    case 'status500':
      sendJson(res, 500, { code: 500, message: 'test log: injected internal error' });
      return;
    case 'status404':
      sendJson(res, 404, { code: 404, message: 'test log: injected not found' });
      return;
    case 'garbage': {
      const body = '<html>this is not JSON {{{';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'huge':
      sendHuge(res, 'application/json', '[', 0x20);
      return;
    case 'slow':
      sendSlow(res, 'application/json', '{', ' ');
      return;
  }
}
