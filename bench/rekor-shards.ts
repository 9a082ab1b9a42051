/**
 * CPU of one Rekor v1 check whose `/api/v1/log` answer lists many inactive shards (issue 10,
 * item 11): every shard carries a validly signed final head, so a client that verifies each
 * listed shard pays one ECDSA verification per shard on every check.
 *
 *   node --import tsx bench/rekor-shards.ts [shards ...]     (default: 3 100 3366)
 *
 * Prints the median process CPU time (user + system) of one `unchanged` check over a few runs,
 * after the first check (which stores the head, and with it the shard memory). The log is served
 * from memory (no network); nothing is asserted.
 */
import { toHex, utf8 } from '../lib/bytes.ts';
import type { HttpClient } from '../lib/http/ports.ts';
import { parsePemPublicKey } from '../lib/keys/public-key.ts';
import { rekorV1Client } from '../lib/logs/rekor-v1.ts';
import { checkLog } from '../lib/monitor/check.ts';
import { MemoryStateStore } from '../test/support/memory-state-store.ts';
import { generateP256Signer, sha256, signNote } from '../test/support/test-log-signing.ts';

const HOST = 'r';
const RUNS = 5;

function logInfo(shards: number): string {
  const signer = generateP256Signer();
  const tree = (id: number, size: number) => {
    const root = sha256(utf8(`tree ${id} size ${size}`));
    const signedTreeHead = signNote(
      // No Timestamp line (it is optional), so 3,366 shards fit the client's 1 MiB answer cap.
      `${HOST} - ${id}\n${size}\n${Buffer.from(root).toString('base64')}\n`,
      HOST,
      signer,
    );
    return { rootHash: toHex(root), treeSize: size, signedTreeHead, treeID: String(id) };
  };
  const info = {
    ...tree(shards, 42),
    inactiveShards: Array.from({ length: shards }, (_, i) => tree(i, 1000 + i)),
  };
  return JSON.stringify({ ...info, publicKeyPem: signer.publicKeyPem });
}

async function measure(shards: number): Promise<{ cpuMs: number; status: string; bytes: number }> {
  const parsed = JSON.parse(logInfo(shards));
  const pem = parsed.publicKeyPem as string;
  delete parsed.publicKeyPem;
  const body = utf8(JSON.stringify(parsed));
  const http: HttpClient = {
    get: async (_url, options) => {
      // As the bounded client does: an answer over the cap is refused.
      if (options?.maxBytes !== undefined && body.length > options.maxBytes) throw new Error('over the cap');
      return { status: 200, body, headers: {} };
    },
  };
  const client = rekorV1Client({
    url: 'https://rekor.bench.local',
    key: parsePemPublicKey(pem),
    http,
    signerName: HOST,
  });
  const store = new MemoryStateStore();
  const clock = { now: () => Date.now(), sleep: async () => {} };
  // The first check stores the head (and, with shard memory, remembers the listed shards).
  let status = (await checkLog('bench', { client, store, clock })).status;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = process.cpuUsage();
    status = (await checkLog('bench', { client, store, clock })).status;
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { cpuMs: samples[Math.floor(RUNS / 2)] as number, status, bytes: body.length };
}

const counts = process.argv.slice(2).map(Number);
process.stdout.write(
  '| listed inactive shards | answer size | CPU per check (median) | status |\n|---:|---:|---:|---|\n',
);
for (const n of counts.length > 0 ? counts : [3, 100, 3366]) {
  const r = await measure(n);
  process.stdout.write(
    `| ${n} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.cpuMs.toFixed(1)} ms | ${r.status} |\n`,
  );
}
