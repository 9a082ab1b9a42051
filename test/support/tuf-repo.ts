/**
 * A TUF repository on 127.0.0.1 for tests, signed here with @tufjs/models and a node:crypto P-256
 * key (the key type repo-mock uses): root, timestamp, snapshot and targets metadata (no
 * consistent snapshots) and one target, trusted_root.json. `publish` signs a new version of
 * everything; `expire` and `tamper` break it the ways a repository can break.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Key,
  Metadata,
  MetaFile,
  Root,
  Signature,
  Snapshot,
  TargetFile,
  Targets,
  Timestamp,
} from '@tufjs/models';

const DAY_MS = 86_400_000;

export class TestTufRepo {
  private readonly files = new Map<string, Buffer>();
  private readonly privateKey: KeyObject;
  private readonly key: Key;
  private version = 0;
  /** The initial root.json, to pin in the config. */
  readonly rootJson: string;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const meta = {
      keyType: 'ecdsa-sha2-nistp256',
      scheme: 'ecdsa-sha2-nistp256',
      keyVal: { public: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
    };
    this.key = new Key({ keyID: createHash('sha256').update(JSON.stringify(meta)).digest('hex'), ...meta });
    const root = new Metadata(
      new Root({ version: 1, specVersion: '1.0.0', expires: iso(365 * DAY_MS), consistentSnapshot: false }),
    );
    for (const role of ['root', 'timestamp', 'snapshot', 'targets']) root.signed.addKey(this.key, role);
    this.sign(root);
    this.rootJson = JSON.stringify(root.toJSON());
    this.files.set('/1.root.json', Buffer.from(this.rootJson));
  }

  static async start(): Promise<TestTufRepo> {
    let repo: TestTufRepo | undefined;
    const server = createServer((req, res) => {
      const body = repo?.files.get(req.url ?? '');
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    repo = new TestTufRepo(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return repo;
  }

  /** Signs a new version of targets, snapshot and timestamp listing this trusted_root.json. */
  publish(trustedRoot: string, options: { timestampExpiresInMs?: number } = {}): void {
    this.version++;
    const content = Buffer.from(trustedRoot);
    const targets = new Metadata(
      new Targets({ version: this.version, specVersion: '1.0.0', expires: iso(30 * DAY_MS) }),
    );
    targets.signed.addTarget(
      new TargetFile({
        path: 'trusted_root.json',
        length: content.length,
        hashes: { sha256: sha256Hex(content) },
      }),
    );
    const targetsBytes = this.signed(targets);
    const snapshot = new Metadata(
      new Snapshot({
        version: this.version,
        specVersion: '1.0.0',
        expires: iso(7 * DAY_MS),
        meta: { 'targets.json': metaFile(this.version, targetsBytes) },
      }),
    );
    const snapshotBytes = this.signed(snapshot);
    const timestamp = new Metadata(
      new Timestamp({
        version: this.version,
        specVersion: '1.0.0',
        expires: iso(options.timestampExpiresInMs ?? DAY_MS),
        snapshotMeta: metaFile(this.version, snapshotBytes),
      }),
    );
    this.files.set('/targets/trusted_root.json', content);
    this.files.set('/targets.json', targetsBytes);
    this.files.set('/snapshot.json', snapshotBytes);
    this.files.set('/timestamp.json', this.signed(timestamp));
  }

  /** Changes a signed field of timestamp.json without re-signing it (a forged timestamp). */
  tamperTimestamp(): void {
    const ts = JSON.parse((this.files.get('/timestamp.json') as Buffer).toString());
    ts.signed.version += 1;
    ts.signed.expires = iso(365 * DAY_MS);
    this.files.set('/timestamp.json', Buffer.from(JSON.stringify(ts)));
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private signed(m: Metadata<Targets | Snapshot | Timestamp>): Buffer {
    this.sign(m);
    return Buffer.from(JSON.stringify(m.toJSON()));
  }

  private sign(m: Metadata<Root | Targets | Snapshot | Timestamp>): void {
    m.sign(
      (data) =>
        new Signature({
          keyID: this.key.keyID,
          sig: createSign('sha256').update(data).sign(this.privateKey).toString('hex'),
        }),
    );
  }
}

function iso(fromNowMs: number): string {
  return new Date(Date.now() + fromNowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function metaFile(version: number, bytes: Buffer): MetaFile {
  return new MetaFile({ version, length: bytes.length, hashes: { sha256: sha256Hex(bytes) } });
}
