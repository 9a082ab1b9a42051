/**
 * A tile log on loopback that serves ENTRIES, for the entry sources, the identity scan and the
 * benchmarks:
 * - `tiles` (c2sp.org/tlog-tiles; Rekor v2): Ed25519 checkpoint, hash tiles, entry bundles
 *   `tile/entries/<N>[.p/<W>]` of uint16-length-prefixed entries, by default the real Rekor v2
 *   `canonicalizedBody` bytes from test/vectors (cycled);
 * - `static-ct` (c2sp.org/static-ct-api): RFC6962NoteSignature checkpoint, hash tiles, data tiles
 *   `tile/data/<N>[.p/<W>]` of TileLeafs, by default the real Icarus x509_entry (timestamp moved
 *   by the index) with the SHA-256 fingerprints of its real chain.
 *
 *   GET <prefix>/checkpoint
 *   GET <prefix>/tile/<L>/<N>[.p/<W>]           hash tiles (404 unless complete at that width)
 *   GET <prefix>/tile/entries|data/<N>[.p/<W>]   bundles (404 unless complete at that width)
 *
 * Misbehaviour: forgeEntry (a bundle serves bytes not in the signed tree; optionally the level-0
 * hash tile agrees with the forgery, so only the signed root gives it away), dropPartialBundles
 * (partial bundles 404, as after a log deletes them), faults on the bundle endpoint (429 with
 * Retry-After, garbage, an overrunning length, trailing bytes, …).
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  digitallySigned,
  generateP256Signer,
  signP256,
  type TestSigner,
  treeHeadSignatureInput,
} from '../test-log-signing.ts';
import {
  closeServer,
  type EntryFault,
  type EntryFaultOptions,
  EntryFaults,
  listenLoopback,
  send,
  sendGenericFault,
} from './entry-log-http.ts';
import { EntryTree, leafHashOf } from './entry-tree.ts';
import {
  chainCertificates,
  ctEntryVariant,
  realCtEntry,
  realRekorV2Entries,
  tileLeafOf,
} from './real-entries.ts';

export type TileEntryLogType = 'tiles' | 'static-ct';

export interface TileEntryLogOptions {
  readonly type: TileEntryLogType;
  /** Entries at start. Default 0. */
  readonly initialSize?: number;
  /** Checkpoint origin. Default `rekor2.test.local` (tiles) or `ct.test.local/2026h1` (static-ct). */
  readonly origin?: string;
  /** Monitoring prefix. Default `/log`. */
  readonly pathPrefix?: string;
}

export interface TileEntryLog {
  readonly type: TileEntryLogType;
  readonly url: string;
  readonly origin: string;
  /** What to configure as `publicKey`: an Ed25519 vkey (tiles) or PEM (static-ct). */
  readonly publicKey: string;
  readonly size: number;
  /** Bundle requests received (paths without the prefix). */
  readonly requests: string[];
  /** The honest leaf at `index` (the entry for tiles, the MerkleTreeLeaf for static-ct). */
  leaf(index: number): Uint8Array;
  checkpoint(): string;
  rootHash(size?: number): Uint8Array;
  append(n: number): void;
  /** Appends exact leaves (tiles: entries; static-ct: MerkleTreeLeafs of x509 entries, served with the real chain). */
  appendEntries(leaves: readonly Uint8Array[]): void;
  /**
   * Serve another leaf at `index` in the bundles (default: another real entry); the signed tree is
   * unchanged. `tiles: true`: the level-0 hash tile carries the forged leaf's hash too.
   */
  forgeEntry(index: number, options?: { leaf?: Uint8Array; tiles?: boolean }): void;
  /** Partial bundles answer 404. */
  dropPartialBundles(): void;
  respondWith(kind: EntryFault, options?: EntryFaultOptions): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startTileEntryLog(options: TileEntryLogOptions): Promise<TileEntryLog> {
  const log = new TileEntryLogImpl(options);
  await log.listen();
  return log;
}

const sha256 = (...parts: (Uint8Array | string)[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const u64 = (v: bigint): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
};
/** C2SP key ID: SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]. */
const keyId = (name: string, type: number, key: Uint8Array) =>
  sha256(name, Uint8Array.of(0x0a, type), key).slice(0, 4);

class TileEntryLogImpl implements TileEntryLog {
  readonly type: TileEntryLogType;
  readonly origin: string;
  readonly publicKey: string;
  readonly requests: string[] = [];
  url = '';
  readonly #prefix: string;
  readonly #tree = new EntryTree();
  readonly #leaves: Uint8Array[] = [];
  readonly #forged = new Map<number, { leaf: Uint8Array; tiles: boolean }>();
  readonly #faults = new EntryFaults();
  #dropPartials = false;
  #server: Server | undefined;
  readonly #ed?: { privateKey: KeyObject; raw: Uint8Array };
  readonly #p256?: TestSigner;
  readonly #rekorV2 = realRekorV2Entries().map((e) => e.body);
  readonly #ct = realCtEntry();
  readonly #chain = chainCertificates(this.#ct.extraData);

  constructor(options: TileEntryLogOptions) {
    this.type = options.type;
    this.origin = options.origin ?? (options.type === 'tiles' ? 'rekor2.test.local' : 'ct.test.local/2026h1');
    this.#prefix = options.pathPrefix ?? '/log';
    if (options.type === 'tiles') {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      const raw = new Uint8Array(spki.subarray(spki.length - 32));
      this.#ed = { privateKey, raw };
      this.publicKey = `${this.origin}+${Buffer.from(keyId(this.origin, 0x01, raw)).toString('hex')}+${b64(cat(Uint8Array.of(1), raw))}`;
    } else {
      this.#p256 = generateP256Signer();
      this.publicKey = this.#p256.publicKeyPem;
    }
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

  leaf(index: number): Uint8Array {
    const l = this.#leaves[index];
    if (l === undefined) throw new RangeError(`no entry ${index}`);
    return l;
  }

  rootHash(size?: number): Uint8Array {
    return this.#tree.root(size);
  }

  /** A generated leaf: a real Rekor v2 body (cycled), or the real CT entry with its timestamp moved. */
  #generated(index: number): Uint8Array {
    return this.type === 'tiles'
      ? (this.#rekorV2[index % this.#rekorV2.length] as Uint8Array)
      : ctEntryVariant(this.#ct, index);
  }

  append(n: number): void {
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < n; i++) leaves.push(this.#generated(this.size + i));
    this.appendEntries(leaves);
  }

  appendEntries(leaves: readonly Uint8Array[]): void {
    for (const l of leaves) {
      if (this.type === 'tiles' && l.length > 0xffff)
        throw new RangeError('a tlog-tiles entry is at most 65535 bytes');
      this.#leaves.push(l);
      this.#tree.append(leafHashOf(l));
    }
  }

  forgeEntry(index: number, options: { leaf?: Uint8Array; tiles?: boolean } = {}): void {
    const honest = this.leaf(index);
    const other =
      options.leaf ??
      (this.type === 'tiles'
        ? this.#rekorV2.find((b) => Buffer.compare(Buffer.from(b), Buffer.from(honest)) !== 0)
        : ctEntryVariant(this.#ct, index + 1_000_000_007));
    if (other === undefined) throw new Error('forgeEntry: no other entry to serve');
    this.#forged.set(index, { leaf: other, tiles: options.tiles ?? false });
  }

  dropPartialBundles(): void {
    this.#dropPartials = true;
  }

  respondWith(kind: EntryFault, options?: EntryFaultOptions): void {
    this.#faults.add(kind, options);
  }

  reset(): void {
    this.#forged.clear();
    this.#faults.clear();
    this.#dropPartials = false;
  }

  async close(): Promise<void> {
    if (this.#server) await closeServer(this.#server);
  }

  // --- checkpoint -------------------------------------------------------------------------

  checkpoint(): string {
    const size = this.size;
    const root = this.#tree.root();
    const body = `${this.origin}\n${size}\n${b64(root)}\n`;
    let sig: Uint8Array;
    if (this.#ed) {
      sig = cat(
        keyId(this.origin, 0x01, this.#ed.raw),
        new Uint8Array(sign(null, Buffer.from(body), this.#ed.privateKey)),
      );
    } else {
      const signer = this.#p256 as TestSigner;
      const ts = BigInt(Date.now());
      const ths = treeHeadSignatureInput(ts, BigInt(size), root);
      sig = cat(keyId(this.origin, 0x05, signer.logId), u64(ts), digitallySigned(signP256(signer, ths)));
    }
    return `${body}\n\u2014 ${this.origin} ${b64(sig)}\n`;
  }

  // --- HTTP -------------------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '';
    if (!raw.startsWith(`${this.#prefix}/`)) return void send(res, 404, 'not found', 'text/plain');
    const path = raw.slice(this.#prefix.length);
    if (path === '/checkpoint') return void send(res, 200, this.checkpoint(), 'text/plain; charset=utf-8');
    const m =
      /^\/tile\/(entries|data|[0-9]|[1-9][0-9])\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(
        path,
      );
    if (!m) return void send(res, 404, 'not found', 'text/plain');
    const index = Number((m[2] as string).replace(/x|\//g, ''));
    const partial = m[3] !== undefined;
    const width = partial ? Number(m[3]) : 256;
    if (width > 256 || (partial && width === 256)) return void send(res, 404, 'bad width', 'text/plain');
    const kind = m[1] as string;
    if (kind === 'entries' || kind === 'data') {
      if (kind !== (this.type === 'tiles' ? 'entries' : 'data'))
        return void send(res, 404, 'not found', 'text/plain');
      this.requests.push(path);
      const fault = this.#faults.take();
      if (fault && sendGenericFault(res, fault)) return;
      if (partial && this.#dropPartials) return void send(res, 404, 'partial bundle gone', 'text/plain');
      if (index * 256 + width > this.size) return void send(res, 404, 'not yet', 'text/plain');
      return void send(res, 200, this.#bundle(index, width, fault?.kind), 'application/octet-stream');
    }
    const level = Number(kind);
    const nodes = Math.floor(this.size / 256 ** level);
    if (index * 256 + width > nodes) return void send(res, 404, 'not yet', 'text/plain');
    const out = new Uint8Array(width * 32);
    for (let j = 0; j < width; j++) {
      const at = index * 256 + j;
      const forged = level === 0 ? this.#forged.get(at) : undefined;
      out.set(forged?.tiles ? leafHashOf(forged.leaf) : this.#tree.node(8 * level, at), j * 32);
    }
    send(res, 200, out, 'application/octet-stream');
  }

  #bundle(index: number, width: number, fault: EntryFault | undefined): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let j = 0; j < width; j++) {
      const at = index * 256 + j;
      const leaf = this.#forged.get(at)?.leaf ?? (this.#leaves[at] as Uint8Array);
      if (this.type === 'tiles') {
        const n = fault === 'bad-base64' && j === 0 ? leaf.length + 70_000 : leaf.length;
        parts.push(Uint8Array.of((n >> 8) & 0xff, n & 0xff), leaf);
      } else {
        parts.push(tileLeafOf(leaf, this.#chain));
      }
    }
    if (fault === 'mismatch') parts.push(Uint8Array.of(0, 1, 0x41));
    if (fault === 'bad-base64' && this.type === 'static-ct') parts.push(Uint8Array.of(0xff));
    return cat(...parts);
  }
}
