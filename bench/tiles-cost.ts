/**
 * What a consistency check costs on a tile-based log (c2sp.org/tlog-tiles), printed as Markdown:
 *
 * 1. Tile fetches and bytes per consistency proof as the jump grows (10, 10^3, 10^6 entries) at
 *    several tree sizes, against the minimum the proof needs. Which tiles are fetched depends
 *    only on the two sizes, so this part serves zero-filled tiles of the right length from
 *    memory (no tree is built, the proof is not verified) and counts.
 * 2. Wall time per check (checkLog: checkpoint, tiles, proof, verification, store) against the
 *    in-repo tile log server on loopback, for a generated log of more than 2^17 entries.
 *
 *   node --import tsx bench/tiles-cost.ts [--quick]
 *
 * Figures are for people to read; nothing asserts on them.
 */
import { cpus, loadavg } from 'node:os';
import { createHttpClient } from '../lib/http/bounded-client.ts';
import { type HttpClient, systemClock } from '../lib/http/ports.ts';
import { tileLogClient, tileLogVerifier } from '../lib/logs/tiles.ts';
import { consistencyProof, type NodeId } from '../lib/merkle/index.ts';
import { checkLog } from '../lib/monitor/check.ts';
import type { NoteVerifier } from '../lib/note/verifier.ts';
import { locateNode } from '../lib/tiles/layout.ts';
import { MemoryStateStore } from '../test/support/memory-state-store.ts';
import { startTileLog } from '../test/support/tile-log-server.ts';

const quick = process.argv.includes('--quick');
const BASE = 'https://tiles.example/log';

/** Serves zero-filled tiles of exactly the requested width; counts requests and bytes. */
function countingHttp(): { http: HttpClient; requests: number; partial: number; bytes: number } {
  const counter = { requests: 0, partial: 0, bytes: 0, http: undefined as unknown as HttpClient };
  counter.http = {
    async get(url) {
      counter.requests++;
      const m = /\.p\/([0-9]+)$/.exec(url);
      if (m) counter.partial++;
      const body = new Uint8Array(32 * (m ? Number(m[1]) : 256));
      counter.bytes += body.length;
      return { status: 200, body, headers: {} };
    },
  };
  return counter;
}

/** A HashSource that records which nodes a proof needs (and answers zeros). */
function recordingSource() {
  const nodes: NodeId[] = [];
  return {
    nodes,
    async hashes(ids: readonly NodeId[]) {
      nodes.push(...ids);
      return ids.map(() => new Uint8Array(32));
    },
  };
}

const fmtBytes = (n: number): string => (n >= 10_240 ? `${(n / 1024).toFixed(1)} KiB` : `${Math.round(n)} B`);
const noKey: NoteVerifier = { name: 'x', keyHash: new Uint8Array(4), verify: () => false };

async function fetchCost(): Promise<string[]> {
  const rows: string[] = [
    '| tree size before | jump | tiles fetched (partial) | bytes fetched | proof hashes | proof bytes | tile hashes used | bytes / proof bytes |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  // 547,662: a real Rekor v2 production size (test/vectors); 115,474,666: Rome 2024h1; 2^30 + 12,345.
  for (const size1 of [547_662n, 115_474_666n, 2n ** 30n + 12_345n]) {
    for (const jump of [10n, 1_000n, 1_000_000n]) {
      const size2 = size1 + jump;
      const counter = countingHttp();
      const client = tileLogClient({
        type: 'tiles',
        url: BASE,
        origin: 'x',
        verifiers: [noKey],
        http: counter.http,
      });
      const head = (size: bigint) => ({ size, rootHash: new Uint8Array(32), signed: '', origin: 'x' });
      const proof = await client.fetchConsistencyProof(head(size1), head(size2));
      const rec = recordingSource();
      await consistencyProof(size1, size2, rec);
      const used = rec.nodes.reduce((n, id) => n + locateNode(id).count, 0);
      rows.push(
        `| ${size1.toLocaleString('en')} | ${jump.toLocaleString('en')} | ${counter.requests} (${counter.partial}) | ${fmtBytes(counter.bytes)} | ${proof.hashes.length} | ${proof.hashes.length * 32} B | ${used} | ${(counter.bytes / (proof.hashes.length * 32)).toFixed(0)}× |`,
      );
    }
  }
  return rows;
}

async function wallTime(): Promise<string[]> {
  const start = 2 ** 17 + 1000;
  const log = await startTileLog({ type: 'tiles', initialSize: start });
  const http = createHttpClient({ fetch: globalThis.fetch, clock: systemClock, timeoutMs: 10_000 });
  const rows = [
    '| jump | checks | median ms / check | min | max | tile requests / check | tile bytes / check |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const runs = quick ? 3 : 9;
  try {
    for (const jump of [10, 1000, 65_536]) {
      const times: number[] = [];
      let requests = 0;
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const store = new MemoryStateStore();
        const client = () =>
          tileLogClient({
            type: 'tiles',
            url: log.url,
            origin: log.origin,
            verifiers: [tileLogVerifier('tiles', log.publicKey, log.origin)],
            http,
          });
        const init = await checkLog('b', { client: client(), store, clock: systemClock });
        if (init.status !== 'initialized') throw new Error(init.message);
        log.append(jump);
        log.clearStats();
        const t0 = process.hrtime.bigint();
        const r = await checkLog('b', { client: client(), store, clock: systemClock });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.status !== 'verified') throw new Error(`${r.status}: ${r.message}`);
        requests += log.requests.filter((p) => p.startsWith('/tile/')).length;
        bytes += log.tileBytes;
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] as number;
      rows.push(
        `| ${jump.toLocaleString('en')} | ${runs} | ${median.toFixed(1)} | ${(times[0] as number).toFixed(1)} | ${(times.at(-1) as number).toFixed(1)} | ${(requests / runs).toFixed(1)} | ${fmtBytes(bytes / runs)} |`,
      );
    }
    rows.push('', `Log size at the end: ${log.treeSize.toLocaleString('en')} entries.`);
  } finally {
    await log.close();
  }
  return rows;
}

const out: string[] = [];
out.push(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg()[0]?.toFixed(2)}`,
);
out.push('', '### Tile fetches and bytes per consistency proof', '');
out.push(...(await fetchCost()));
out.push('', '### Wall time per check against the local tile log server (loopback HTTP)', '');
out.push(...(await wallTime()));
out.push('', `load average at the end: ${loadavg()[0]?.toFixed(2)}`);
process.stdout.write(`${out.join('\n')}\n`);
