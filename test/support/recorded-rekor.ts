/**
 * The real production Rekor v1 log (rekor.sigstore.dev, shard 2605736670972794746) replayed on
 * loopback from test/vectors/rekor/consistency-v1-production.json: its signed checkpoints (bodies
 * and ECDSA signatures as recorded, assembled into signed notes with Rekor's key hint) and its
 * real consistency proofs, served as GET /api/v1/log and /api/v1/log/proof. `advance()` moves to
 * the next recorded checkpoint. Served at http://127.0.0.1:<port>, so the URL's host is not the
 * signer name.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readVector, readVectorText } from './vectors.ts';

interface Recorded {
  readonly body: string;
  readonly treeSize: number;
  readonly rootHashHex: string;
  readonly signed: string;
}

export interface RecordedRekor {
  readonly url: string;
  readonly publicKeyPem: string;
  /** Recorded tree sizes, in order; `current` indexes them. */
  readonly sizes: readonly number[];
  readonly current: number;
  advance(): void;
  close(): Promise<void>;
}

/** DER INTEGER of a non-negative big-endian value. */
function derInteger(hex: string): Buffer {
  let bytes = Buffer.from(hex.replace(/^0x/i, '').padStart(64, '0'), 'hex');
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] as number) & 0x80) === 0) bytes = bytes.subarray(1);
  if (((bytes[0] as number) & 0x80) !== 0) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return Buffer.concat([Buffer.of(0x02, bytes.length), bytes]);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3). */
function ecdsaDer(r: string, s: string): Buffer {
  const inner = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.of(0x30, inner.length), inner]);
}

export async function startRecordedRekor(): Promise<RecordedRekor> {
  const vector = readVector('rekor/consistency-v1-production.json');
  const publicKeyPem = readVectorText('rekor/rekor.sigstore.dev.pub.pem');
  const spki = Buffer.from(publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const hint = createHash('sha256').update(spki).digest().subarray(0, 4);
  const checkpoints: Recorded[] = (
    vector.checkpointBodies as { body: string; r: string; s: string; treeSize: number; rootHashHex: string }[]
  )
    .map((c) => ({
      body: c.body,
      treeSize: c.treeSize,
      rootHashHex: c.rootHashHex,
      signed: `${c.body}\n\u2014 rekor.sigstore.dev ${Buffer.concat([hint, ecdsaDer(c.r, c.s)]).toString('base64')}\n`,
    }))
    .sort((a, b) => a.treeSize - b.treeSize);
  const proofs = (
    vector.consistencyProofs as { size1: number; size2: number; proofHex: string[]; expected: string }[]
  ).filter((p) => p.expected === 'valid');
  const treeId = (checkpoints[0] as Recorded).body.split('\n')[0]?.split(' - ')[1] as string;
  // Start at the first checkpoint some real proof starts from.
  let current = checkpoints.findIndex((c) => proofs.some((p) => p.size1 === c.treeSize));

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://recorded.invalid');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    const head = checkpoints[current] as Recorded;
    if (url.pathname === '/api/v1/log') {
      send(200, {
        rootHash: head.rootHashHex,
        treeSize: head.treeSize,
        signedTreeHead: head.signed,
        treeID: treeId,
      });
      return;
    }
    if (url.pathname === '/api/v1/log/proof') {
      const first = Number(url.searchParams.get('firstSize'));
      const last = Number(url.searchParams.get('lastSize'));
      const proof = proofs.find((p) => p.size1 === first && p.size2 === last);
      if (!proof || url.searchParams.get('treeID') !== treeId) {
        send(400, { code: 400, message: `no recorded proof ${first}→${last}` });
        return;
      }
      send(200, { rootHash: head.rootHashHex, hashes: proof.proofHex });
      return;
    }
    send(404, { code: 404, message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publicKeyPem,
    sizes: checkpoints.map((c) => c.treeSize),
    get current() {
      return current;
    },
    advance() {
      if (current + 1 >= checkpoints.length) throw new Error('no later recorded checkpoint');
      current++;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
