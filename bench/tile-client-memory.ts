/**
 * Memory of a warm tile-log client over a day of one-minute checks (issue 10, item 6): one
 * tileLogClient, as a warm Lambda keeps it between invocations, checks a tile log that grows by
 * `--jump` entries (default 1,000) before each of `--checks` checks (default 1,440). The heap
 * is measured after a full garbage collection at the start and every quarter, and printed as
 * Markdown. The log runs in a child process (bench/tile-log-process.ts), so only the client's
 * memory is measured.
 *
 *   node --import tsx bench/tile-client-memory.ts [--checks N] [--jump N]
 *
 * Figures are for people to read; nothing asserts on them.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHttpClient } from '../lib/http/bounded-client.ts';
import { systemClock } from '../lib/http/ports.ts';
import { tileLogClient, tileLogVerifier } from '../lib/logs/tiles.ts';
import { checkLog } from '../lib/monitor/check.ts';
import { MemoryStateStore } from '../test/support/memory-state-store.ts';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const checks = flag('--checks', 1440);
const jump = flag('--jump', 1000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMiB = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const child = fork(new URL('./tile-log-process.ts', import.meta.url).pathname, ['1000'], {
  execArgv: ['--import', 'tsx'],
});
const [log] = (await once(child, 'message')) as [{ url: string; origin: string; publicKey: string }];
const append = async (n: number): Promise<number> => {
  child.send({ append: n });
  const [reply] = (await once(child, 'message')) as [{ size: number }];
  return reply.size;
};

const client = tileLogClient({
  type: 'tiles',
  url: log.url,
  origin: log.origin,
  verifiers: [tileLogVerifier('tiles', log.publicKey, log.origin)],
  http: createHttpClient({ fetch: globalThis.fetch, clock: systemClock }),
});
const store = new MemoryStateStore();
const first = await checkLog('bench', { client, store, clock: systemClock });
if (first.status !== 'initialized') throw new Error(`${first.status}: ${first.message}`);

const rows = [
  '| checks done | log size | heap used (MiB) | tiles cached | tile requests so far |',
  '|---:|---:|---:|---:|---:|',
];
const row = (done: number, size: number) =>
  rows.push(
    `| ${done.toLocaleString('en')} | ${size.toLocaleString('en')} | ${heapMiB().toFixed(1)} | ${client.tiles.cachedTiles} | ${client.tiles.stats.requests.toLocaleString('en')} |`,
  );
let size = 1000;
row(0, size);
const started = process.hrtime.bigint();
for (let i = 1; i <= checks; i++) {
  size = await append(jump);
  const r = await checkLog('bench', { client, store, clock: systemClock });
  if (r.status !== 'verified') throw new Error(`check ${i}: ${r.status}: ${r.message}`);
  if (i % Math.max(1, Math.floor(checks / 4)) === 0 || i === checks) row(i, size);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
child.send({ stop: true });

process.stdout.write(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg()[0]?.toFixed(2)}\n` +
    `One warm tile-log client, ${checks.toLocaleString('en')} checks, +${jump.toLocaleString('en')} entries before each (${seconds.toFixed(1)} s)\n\n` +
    `${rows.join('\n')}\n`,
);
