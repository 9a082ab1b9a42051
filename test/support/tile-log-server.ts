/**
 * An in-repo tile-based log on loopback for tile client, check and CLI tests: a C2SP tlog-tiles
 * log (`tiles`, Ed25519 or ECDSA checkpoint key, like Rekor v2 / Tessera) or a C2SP
 * static-ct-api log (`static-ct`, RFC6962NoteSignature type 0x05), with real signatures made with
 * node:crypto (sharing nothing with lib/note), optional witness cosignatures (cosignature/v1),
 * and switches that make it lie: fork, rollback, forked tiles, rewritten history, bad
 * signatures, wrong origin, missing partial tiles, broken responses.
 *
 *   GET <prefix>/checkpoint                  signed note (c2sp.org/tlog-checkpoint)
 *   GET <prefix>/tile/<L>/<N>[.p/<W>]         hash tiles (c2sp.org/tlog-tiles), 404 if not yet complete
 *
 * Leaf hashes are generated cheaply (SHA-256 of a counter) and tiles are built from a
 * MemoryHashSource over them. The tree may be ahead of the published checkpoint (as Tessera
 * writes tiles before the checkpoint): `append(n, { publish: false })`.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryHashSource } from '../../lib/merkle/index.ts';
import { sendHuge, sendSlow } from './test-log-faults.ts';
import {
  digitallySigned,
  generateP256Signer,
  signP256,
  type TestSigner,
  treeHeadSignatureInput,
} from './test-log-signing.ts';

export type TileLogType = 'tiles' | 'static-ct';
export type TileResponseKind = 'garbage' | 'huge' | 'slow' | 'status500' | 'status404' | 'short';

export interface StartTileLogOptions {
  readonly type: TileLogType;
  readonly initialSize?: number;
  /** Checkpoint origin (and signer name). Default `tiles.test.local/log` or `ct.test.local/2026h1`. */
  readonly origin?: string;
  /** Path prefix of the monitoring API. Default `/api/v2` (tiles) or `/static/2026h1` (static-ct). */
  readonly pathPrefix?: string;
  /** `tiles` only: the log key kind. Default ed25519 (configured as a vkey); p256 is configured as PEM. */
  readonly keyKind?: 'ed25519' | 'p256';
  /** How many witnesses cosign every checkpoint (cosignature/v1). Default 0. */
  readonly witnesses?: number;
  /** Seed mixed into generated leaves, so two logs differ. */
  readonly seed?: string;
}

export interface FaultOptions {
  /** Apply to this many responses, then behave honestly again. Default: until reset(). */
  readonly times?: number;
}

export interface TileLog {
  readonly type: TileLogType;
  readonly url: string;
  readonly origin: string;
  /** What to configure as `publicKey`: a vkey (tiles, Ed25519) or PEM (P-256, static-ct). */
  readonly publicKey: string;
  /** cosignature/v1 verifier keys (type 0x04) of the witnesses. */
  readonly witnessKeys: readonly string[];
  /** Published (checkpoint) size, with switches such as rollback applied. */
  readonly size: number;
  /** Leaves in the tree (≥ the published size). */
  readonly treeSize: number;
  /** Paths requested (without the prefix), in order. */
  readonly requests: string[];
  /** Response bytes of tile answers served, since the last clearStats(). */
  readonly tileBytes: number;
  clearStats(): void;
  /** Root of the honest tree at `size`. */
  rootHash(size?: number): Uint8Array;
  /** The signed checkpoint served now. */
  checkpoint(): string;
  append(n: number, options?: { publish?: boolean }): void;
  /** Publishes a checkpoint for every leaf in the tree. */
  publish(): void;
  /** Serve a validly signed checkpoint of the same size with a different root. */
  fork(): void;
  /** Serve a validly signed checkpoint of a smaller size. */
  rollback(toSize: number): void;
  /** Leaf `index` is replaced: the published tree (checkpoint and tiles) is a different history. */
  rewriteLeaf(index: number): void;
  /** Tiles (of `level`, default all) are served with every hash altered. */
  forkTiles(options?: FaultOptions & { level?: number }): void;
  /** Partial tiles (of `level`, default all) answer 404 (as after a log deletes them once the full tile exists). */
  dropPartialTiles(options?: { level?: number }): void;
  /** Checkpoints are signed with another key (line claiming the pinned key ID, or the other key's own). */
  badSignature(options?: { keyHint?: 'pinned' | 'signer' }): void;
  /** Checkpoints carry another origin, validly signed by a key of that name. */
  wrongOrigin(): void;
  /** Only the first `k` witnesses cosign. */
  cosignBy(k: number): void;
  /** Witness `i`'s cosignature line is corrupted. */
  badCosignature(i: number): void;
  /** static-ct: checkpoints are signed with this RFC6962NoteSignature timestamp (ms), until reset(). */
  signAt(timestampMs: number): void;
  /** The next checkpoint answer only is of size `toSize` (smaller) over another root; tiles stay honest. */
  serveForkedHeadOnce(toSize: number): void;
  /** The next checkpoint answer only is the honest one of size `toSize` (smaller), signed an hour ago. */
  serveOldHeadOnce(toSize: number): void;
  /** Broken answers for `target` ('checkpoint' or 'tile'). */
  respondWith(kind: TileResponseKind, target: 'checkpoint' | 'tile', options?: FaultOptions): void;
  reset(): void;
  close(): Promise<void>;
}

interface Ed25519Signer {
  readonly privateKey: KeyObject;
  readonly raw: Uint8Array;
}

function ed25519Signer(): Ed25519Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, raw: new Uint8Array(spki.subarray(spki.length - 32)) };
}

function sha256(...parts: (Uint8Array | string)[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const u64 = (v: bigint): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
};
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** C2SP key ID: SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]. */
function c2spKeyId(name: string, type: number, key: Uint8Array): Uint8Array {
  return sha256(name, Uint8Array.of(0x0a, type), key).slice(0, 4);
}

function vkey(name: string, type: number, key: Uint8Array): string {
  return `${name}+${Buffer.from(c2spKeyId(name, type, key)).toString('hex')}+${b64(cat(Uint8Array.of(type), key))}`;
}

interface Fault<T> {
  value: T;
  times: number | undefined;
}

function take<T>(f: Fault<T> | undefined): T | undefined {
  if (!f) return undefined;
  if (f.times !== undefined) {
    if (f.times <= 0) return undefined;
    f.times--;
  }
  return f.value;
}

class TileLogServer implements TileLog {
  readonly type: TileLogType;
  readonly origin: string;
  readonly publicKey: string;
  readonly witnessKeys: string[];
  readonly requests: string[] = [];
  tileBytes = 0;
  url = '';

  readonly #prefix: string;
  readonly #seed: string;
  #leaves: Uint8Array[] = [];
  #tree = new MemoryHashSource();
  /** The honest tree while a rewritten history is served (undefined: none). */
  #honest: MemoryHashSource | undefined;
  #published = 0;
  readonly #ed?: Ed25519Signer;
  readonly #p256?: TestSigner;
  readonly #other = { ed: ed25519Signer(), p256: generateP256Signer() };
  readonly #witnesses: Ed25519Signer[];
  readonly #witnessNames: string[];
  #server = createServer((req, res) => this.#handle(req, res));

  // switches
  #forkRoot: Uint8Array | undefined;
  #rollback: number | undefined;
  #tileFork: Fault<{ level: number | undefined }> | undefined;
  #dropPartials: { level: number | undefined } | undefined;
  #signatureFault: 'pinned' | 'signer' | undefined;
  #originFault = false;
  #cosigners: number;
  #badCosig: number | undefined;
  #faults: { target: 'checkpoint' | 'tile'; fault: Fault<TileResponseKind> }[] = [];
  #fixedTimestampMs: number | undefined;
  #once: { size: number; root: Uint8Array; timestampMs: number } | undefined;

  constructor(options: StartTileLogOptions) {
    this.type = options.type;
    this.origin =
      options.origin ?? (options.type === 'tiles' ? 'tiles.test.local/log' : 'ct.test.local/2026h1');
    this.#prefix = options.pathPrefix ?? (options.type === 'tiles' ? '/api/v2' : '/static/2026h1');
    this.#seed = options.seed ?? 'seed';
    if (options.type === 'tiles' && (options.keyKind ?? 'ed25519') === 'ed25519') {
      this.#ed = ed25519Signer();
      this.publicKey = vkey(this.origin, 0x01, this.#ed.raw);
    } else {
      this.#p256 = generateP256Signer();
      this.publicKey = this.#p256.publicKeyPem;
    }
    const n = options.witnesses ?? 0;
    this.#witnesses = Array.from({ length: n }, () => ed25519Signer());
    this.#witnessNames = this.#witnesses.map((_, i) => `witness-${i}.test.local`);
    this.witnessKeys = this.#witnesses.map((w, i) => vkey(this.#witnessNames[i] as string, 0x04, w.raw));
    this.#cosigners = n;
    this.append(options.initialSize ?? 0);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${this.#prefix}`;
  }

  get size(): number {
    return this.#rollback ?? this.#published;
  }

  get treeSize(): number {
    return this.#leaves.length;
  }

  clearStats(): void {
    this.requests.length = 0;
    this.tileBytes = 0;
  }

  rootHash(size = this.size): Uint8Array {
    return (this.#honest ?? this.#tree).root(BigInt(size));
  }

  append(n: number, options: { publish?: boolean } = {}): void {
    for (let i = 0; i < n; i++) {
      const leaf = sha256(`${this.#seed}/${this.#leaves.length}`);
      this.#leaves.push(leaf);
      this.#tree.append(leaf);
      this.#honest?.append(leaf);
    }
    if (options.publish ?? true) this.#published = this.#leaves.length;
  }

  publish(): void {
    this.#published = this.#leaves.length;
  }

  fork(): void {
    this.#forkRoot = sha256('fork', String(this.size));
  }

  rollback(toSize: number): void {
    if (toSize >= this.#published || toSize < 0)
      throw new Error(`rollback: ${toSize} is not below ${this.#published}`);
    this.#rollback = toSize;
  }

  rewriteLeaf(index: number): void {
    if (index >= this.#leaves.length) throw new Error(`rewriteLeaf: no leaf ${index}`);
    this.#honest ??= this.#tree;
    this.#leaves[index] = sha256('rewritten', String(index));
    this.#tree = new MemoryHashSource(this.#leaves);
  }

  forkTiles(options: FaultOptions & { level?: number } = {}): void {
    this.#tileFork = { value: { level: options.level }, times: options.times };
  }

  dropPartialTiles(options: { level?: number } = {}): void {
    this.#dropPartials = { level: options.level };
  }

  badSignature(options: { keyHint?: 'pinned' | 'signer' } = {}): void {
    this.#signatureFault = options.keyHint ?? 'pinned';
  }

  wrongOrigin(): void {
    this.#originFault = true;
  }

  cosignBy(k: number): void {
    this.#cosigners = k;
  }

  badCosignature(i: number): void {
    this.#badCosig = i;
  }

  signAt(timestampMs: number): void {
    this.#fixedTimestampMs = timestampMs;
  }

  serveForkedHeadOnce(toSize: number): void {
    this.#smaller(toSize, 'serveForkedHeadOnce');
    this.#once = { size: toSize, root: sha256('forked once', String(toSize)), timestampMs: Date.now() };
  }

  serveOldHeadOnce(toSize: number): void {
    this.#smaller(toSize, 'serveOldHeadOnce');
    this.#once = { size: toSize, root: this.#tree.root(BigInt(toSize)), timestampMs: Date.now() - 3_600_000 };
  }

  #smaller(toSize: number, what: string): void {
    if (!Number.isSafeInteger(toSize) || toSize < 1 || toSize >= this.size) {
      throw new RangeError(`${what}: expected 1 ≤ size < ${this.size}, got ${toSize}`);
    }
  }

  respondWith(kind: TileResponseKind, target: 'checkpoint' | 'tile', options: FaultOptions = {}): void {
    this.#faults.push({ target, fault: { value: kind, times: options.times } });
  }

  reset(): void {
    this.#forkRoot = undefined;
    this.#rollback = undefined;
    this.#tileFork = undefined;
    this.#dropPartials = undefined;
    this.#signatureFault = undefined;
    this.#originFault = false;
    this.#cosigners = this.#witnesses.length;
    this.#badCosig = undefined;
    this.#faults = [];
    this.#fixedTimestampMs = undefined;
    this.#once = undefined;
    if (this.#honest) {
      this.#tree = this.#honest;
      this.#honest = undefined;
      this.#leaves = [];
      for (let i = 0; i < Number(this.#tree.size); i++)
        this.#leaves.push(this.#tree.node({ level: 0, index: BigInt(i) }));
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // --- checkpoints ------------------------------------------------------------------------

  checkpoint(): string {
    const size = this.size;
    const root = this.#forkRoot ?? this.#tree.root(BigInt(size));
    return this.#signedCheckpoint(size, root, this.#fixedTimestampMs ?? Date.now());
  }

  #signedCheckpoint(size: number, root: Uint8Array, timestampMs: number): string {
    const origin = this.#originFault ? `evil.${this.origin}` : this.origin;
    const body = `${origin}\n${size}\n${b64(root)}\n`;
    const lines = [this.#logSignature(origin, body, size, root, timestampMs)];
    const ts = BigInt(Math.floor(Date.now() / 1000));
    for (let i = 0; i < this.#cosigners && i < this.#witnesses.length; i++) {
      const w = this.#witnesses[i] as Ed25519Signer;
      const name = this.#witnessNames[i] as string;
      const msg = Buffer.concat([Buffer.from(`cosignature/v1\ntime ${ts}\n`), Buffer.from(body)]);
      const sig = new Uint8Array(sign(null, msg, w.privateKey));
      if (this.#badCosig === i) sig[0] = (sig[0] as number) ^ 1;
      lines.push(`\u2014 ${name} ${b64(cat(c2spKeyId(name, 0x04, w.raw), u64(ts), sig))}`);
    }
    return `${body}\n${lines.map((l) => `${l}\n`).join('')}`;
  }

  #logSignature(origin: string, body: string, size: number, root: Uint8Array, timestampMs: number): string {
    const fault = this.#signatureFault;
    if (this.type === 'static-ct') {
      const signer = fault ? this.#other.p256 : (this.#p256 as TestSigner);
      const keyId = c2spKeyId(origin, 0x05, (fault === 'signer' ? signer : (this.#p256 as TestSigner)).logId);
      const ts = BigInt(timestampMs);
      const ths = treeHeadSignatureInput(ts, BigInt(size), root);
      return `\u2014 ${origin} ${b64(cat(keyId, u64(ts), digitallySigned(signP256(signer, ths))))}`;
    }
    if (this.#ed) {
      const signer = fault ? this.#other.ed : this.#ed;
      const keyId = c2spKeyId(origin, 0x01, (fault === 'signer' ? signer : this.#ed).raw);
      return `\u2014 ${origin} ${b64(cat(keyId, new Uint8Array(sign(null, Buffer.from(body), signer.privateKey))))}`;
    }
    const pinned = this.#p256 as TestSigner;
    const signer = fault ? this.#other.p256 : pinned;
    const hint = fault === 'signer' ? signer.keyHint : pinned.keyHint;
    return `\u2014 ${origin} ${b64(cat(hint, signP256(signer, Buffer.from(body))))}`;
  }

  // --- HTTP -------------------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (!url.startsWith(`${this.#prefix}/`)) {
      send(res, 404, 'not found');
      return;
    }
    const path = url.slice(this.#prefix.length);
    this.requests.push(path);
    const target = path === '/checkpoint' ? 'checkpoint' : path.startsWith('/tile/') ? 'tile' : undefined;
    if (!target) {
      send(res, 404, 'not found');
      return;
    }
    for (const f of this.#faults) {
      if (f.target !== target) continue;
      const kind = take(f.fault);
      if (kind) {
        sendBroken(res, kind);
        return;
      }
    }
    if (target === 'checkpoint') {
      const once = this.#once;
      this.#once = undefined;
      const text = once ? this.#signedCheckpoint(once.size, once.root, once.timestampMs) : this.checkpoint();
      return void send(res, 200, text, 'text/plain; charset=utf-8');
    }
    const tile = this.#tile(path);
    if (!tile) {
      send(res, 404, 'no such tile');
      return;
    }
    this.tileBytes += tile.length;
    send(res, 200, tile, 'application/octet-stream');
  }

  /** The tile at `path` from the tree (not the checkpoint: tiles may be ahead), or undefined. */
  #tile(path: string): Uint8Array | undefined {
    const m = /^\/tile\/([0-9]|[1-9][0-9])\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(
      path,
    );
    if (!m) return undefined;
    const level = Number(m[1]);
    const index = BigInt((m[2] as string).replace(/x|\//g, ''));
    const width = m[3] === undefined ? 256 : Number(m[3]);
    if (width > 255 && m[3] !== undefined) return undefined;
    const drop = this.#dropPartials;
    if (m[3] !== undefined && drop && (drop.level === undefined || drop.level === level)) return undefined;
    const nodes = BigInt(this.#leaves.length) >> BigInt(8 * level);
    if (index * 256n + BigInt(width) > nodes) return undefined;
    const out = new Uint8Array(width * 32);
    for (let j = 0; j < width; j++) {
      out.set(this.#tree.node({ level: 8 * level, index: index * 256n + BigInt(j) }), j * 32);
    }
    const fork = this.#tileFork;
    if (fork && (fork.value.level === undefined || fork.value.level === level) && take(fork)) {
      // every hash altered, so whatever node a proof derives from this tile changes
      for (let j = 0; j < width; j++) out[j * 32] = (out[j * 32] as number) ^ 0xff;
    }
    return out;
  }
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain'): void {
  const data = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': data.length });
  res.end(data);
}

function sendBroken(res: ServerResponse, kind: TileResponseKind): void {
  switch (kind) {
    case 'status500':
      send(res, 500, 'injected internal error');
      return;
    case 'status404':
      send(res, 404, 'injected not found');
      return;
    case 'garbage':
      send(res, 200, 'this is not a checkpoint or a tile\n');
      return;
    case 'short':
      send(res, 200, new Uint8Array(31), 'application/octet-stream');
      return;
    case 'huge':
      sendHuge(res, 'application/octet-stream', '', 0x41);
      return;
    case 'slow':
      sendSlow(res, 'text/plain', 'x', 'x');
      return;
  }
}

export async function startTileLog(options: StartTileLogOptions): Promise<TileLog> {
  const log = new TileLogServer(options);
  await log.listen();
  return log;
}
