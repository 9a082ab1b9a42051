/**
 * Identity scan against the in-repo entry test logs on loopback (each log in its own process):
 * entries per second through each log type's EntrySource, with every leaf hashed and folded to
 * the signed root; certspotter side by side on the same RFC 6962 log when it is on the PATH; and
 * the model that turns these figures into a real-world rate and a monthly Lambda cost.
 */

import { createEntryMatcher } from '../../lib/identity/entry-matcher.ts';
import type { EntryLogSpec } from '../../test/support/entries/entry-log-worker.ts';
import { startEntryLogWorker } from '../../test/support/entries/entry-log-worker.ts';
import type { Section } from '../section.ts';
import { type CertspotterRun, certspotterVersion, runCertspotter } from './certspotter.ts';
import { nodeHasher } from './frontier.ts';
import { type ScanOptions, type ScanRun, scanLoopback } from './scan-loopback.ts';

interface Row {
  readonly what: string;
  readonly run: ScanRun;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(rows: readonly Row[]): string {
  const head =
    '| log, API | entries | s | entries/s | requests | client CPU µs/entry |\n|---|---:|---:|---:|---:|---:|';
  const body = rows.map(
    (r) =>
      `| ${r.what} | ${fmt(r.run.entries)} | ${fmt(r.run.seconds, 2)} | **${fmt(r.run.entriesPerSecond)}** | ${fmt(r.run.requests)} | ${fmt(r.run.cpuMicrosPerEntry, 1)} |`,
  );
  return [head, ...body].join('\n');
}

async function withLog<T>(
  spec: EntryLogSpec,
  f: (info: Awaited<ReturnType<typeof startEntryLogWorker>>['info']) => Promise<T>,
): Promise<T> {
  const worker = await startEntryLogWorker(spec);
  try {
    return await f(worker.info);
  } finally {
    await worker.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function entryLoopbackBenchmarks(quick: boolean): Promise<Section[]> {
  const rows: Row[] = [];
  const lines: string[] = [];
  const scan = (spec: EntryLogSpec, what: string, o: Omit<ScanOptions, 'hasher'>) =>
    withLog(spec, async (info) => {
      const run = await scanLoopback(spec, info, { ...o, hasher: nodeHasher });
      rows.push({ what, run });
      return run;
    });

  // Rekor v1: rekor-monitor's way (10 per request, one after another), then with requests in flight.
  const rekorSize = quick ? 2_000 : 10_000;
  const rekor = { type: 'rekor-v1', size: rekorSize } as const;
  const serial = await scan(rekor, "Rekor v1 retrieve ×10, 1 in flight (rekor-monitor's pattern)", {
    concurrency: 1,
  });
  const rekor16 = await scan(rekor, 'Rekor v1 retrieve ×10, 16 in flight', { concurrency: 16 });
  await scan(rekor, 'Rekor v1 retrieve ×10, 8 in flight', { concurrency: 8 });
  lines.push(
    `Rekor v1 with 16 requests in flight: ${fmt(rekor16.entriesPerSecond)} entries/s, ${(rekor16.entriesPerSecond / 4.5).toFixed(0)}× the 4.5 entries/s rekor-monitor users measured against rekor.sigstore.dev, ${(rekor16.entriesPerSecond / serial.entriesPerSecond).toFixed(1)}× the same 10-per-request API one request at a time on this loopback log.`,
  );

  // Tile logs.
  const tileSize = quick ? 20_000 : 100_000;
  await scan({ type: 'tiles', size: tileSize }, 'Rekor v2 (tlog-tiles) entry bundles, 8 in flight', {
    concurrency: 8,
  });
  await scan({ type: 'static-ct', size: tileSize }, 'static-ct data tiles, 8 in flight', { concurrency: 8 });

  // CT, with certspotter side by side (interleaved: certspotter, ours, certspotter, ours, …).
  const ctSize = quick ? 100_000 : 1_000_000;
  const rounds = quick ? 1 : 2;
  const version = certspotterVersion();
  const extra: string[] = [];
  await withLog({ type: 'ct', size: ctSize }, async (info) => {
    lines.push(
      `CT log: ${fmt(ctSize)} entries (the real Icarus x509_entry, ${fmt(1326)}-byte leaf and ${fmt(2029)}-byte chain, timestamp moved per index), pages capped at 1,000.`,
    );
    const ours: ScanRun[] = [];
    const oursMatching: ScanRun[] = [];
    const theirs: CertspotterRun[] = [];
    // certspotter's watch list is `.example.com`: the same names as a `subjects` rule (DNS SANs and CN).
    const matcher = createEntryMatcher({ subjects: ['(.*\\.)?example\\.com'] });
    for (let r = 0; r < rounds; r++) {
      if (version !== undefined) theirs.push(await runCertspotter(info, ctSize, 30 * 60_000));
      const options = { concurrency: 2, pageSize: 1000, hasher: nodeHasher };
      const run = await scanLoopback({ type: 'ct', size: ctSize }, info, options);
      ours.push(run);
      rows.push({ what: `CT get-entries ×1000, 2 in flight (round ${r + 1})`, run });
      const matching = await scanLoopback({ type: 'ct', size: ctSize }, info, { ...options, matcher });
      oursMatching.push(matching);
      rows.push({
        what: `CT get-entries ×1000, 2 in flight, + matcher \`subjects\` (.*\\.)?example\\.com (round ${r + 1}, ${fmt(matching.matches)} matches)`,
        run: matching,
      });
    }
    const oursRate = median(ours.map((x) => x.entriesPerSecond));
    const oursMatchingRate = median(oursMatching.map((x) => x.entriesPerSecond));
    if (version === undefined) {
      lines.push(
        'certspotter is not on the PATH (Debian: `apt-get install certspotter`): the side-by-side run was skipped.',
      );
      return;
    }
    const theirRate = median(theirs.map((x) => x.entriesPerSecond));
    extra.push(
      [
        `| CT scan of the same loopback log, ${fmt(ctSize)} entries, 1,000-entry pages | entries/s (median of ${rounds}) | runs (s) |`,
        '|---|---:|---|',
        `| ${version}: download, watch-list match, tree rebuilt and STH verified | ${fmt(theirRate)} | ${theirs.map((t) => fmt(t.seconds, 1)).join(', ')} |`,
        `| tlog-monitor: ctEntrySource + leaf hash + frontier fold to the signed root | ${fmt(oursRate)} | ${ours.map((t) => fmt(t.seconds, 1)).join(', ')} |`,
        `| tlog-monitor: the same + createEntryMatcher({ subjects: ['(.*\\.)?example\\.com'] }) on every entry | ${fmt(oursMatchingRate)} | ${oursMatching.map((t) => fmt(t.seconds, 1)).join(', ')} |`,
      ].join('\n'),
    );
    lines.push(
      `**CT get-entries, ours / certspotter: ${(oursRate / theirRate).toFixed(2)}× without matching, ${(oursMatchingRate / theirRate).toFixed(2)}× with the matcher in the loop** (same log, same pages, runs interleaved: certspotter, ours, ours + matcher).`,
    );
  });

  const model = costModel(rekor16, rows.find((r) => r.what.startsWith('CT'))?.run);
  return [
    {
      title: 'Identity scan: entry sources against loopback test logs',
      lines: [
        ...lines,
        'Each row: one full scan (head verified, every entry fetched, leaf-hashed with node:crypto and folded; the fold must equal the signed root). The log runs in its own process on this machine.',
      ],
      results: [],
      extraTables: [table(rows), ...extra],
    },
    model,
  ];
}

/** A 1,024 MB Lambda has 1024/1769 of a vCPU (AWS: one full vCPU at 1,769 MB). */
const LAMBDA_1GB_CPU_FACTOR = 1769 / 1024;
/** Lambda x86 price (us-east-1): per GB-second and per request. */
const GB_SECOND_USD = 0.0000166667;
const REQUEST_USD = 0.2e-6;
const SECONDS_PER_MONTH = 30.44 * 24 * 3600;

/**
 * Real-world rate = concurrency × page size / round-trip time (while the CPU keeps up, i.e. below
 * 1 / CPU time per entry), and the Lambda time and cost of keeping up with a log's growth.
 */
function costModel(rekor: ScanRun, ct: ScanRun | undefined): Section {
  const lines = [
    'rate ≈ min(concurrency × entries per request / round-trip time, 1 / client CPU per entry). Lambda cost of keeping up = entries per month × (1 / rate) × memory (GB) × $0.0000166667 per GB-s, plus $0.20 per million invocations (one invocation per 5-minute check).',
  ];
  const rows = [
    '| log (growth) | entries per request | in flight | RTT | rate (entries/s) | Lambda | GB-s per month | USD per month |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const cases: { log: string; growth: number; perRequest: number; cpuUs: number }[] = [
    { log: 'Rekor v1 (~230/s)', growth: 230, perRequest: 10, cpuUs: rekor.cpuMicrosPerEntry },
    ...(ct ? [{ log: 'CT log (~130/s)', growth: 130, perRequest: 256, cpuUs: ct.cpuMicrosPerEntry }] : []),
  ];
  for (const c of cases) {
    for (const [inFlight, rttMs] of [
      [8, 100],
      [16, 200],
    ] as const) {
      const network = (inFlight * c.perRequest) / (rttMs / 1000);
      const cpu = 1e6 / (c.cpuUs * LAMBDA_1GB_CPU_FACTOR);
      const rate = Math.min(network, cpu);
      const memoryGb = 1;
      const seconds = (c.growth * SECONDS_PER_MONTH) / rate;
      const gbs = seconds * memoryGb;
      const usd = gbs * GB_SECOND_USD + (SECONDS_PER_MONTH / 300) * REQUEST_USD;
      rows.push(
        `| ${c.log} | ${c.perRequest} | ${inFlight} | ${rttMs} ms | ${fmt(rate)}${rate === cpu ? ' (CPU-bound)' : ''} | 1 GB | ${fmt(gbs)} | $${usd.toFixed(2)} |`,
      );
    }
  }
  lines.push(
    `Client CPU per entry measured above on loopback: Rekor v1 ${fmt(rekor.cpuMicrosPerEntry, 1)} µs${ct ? `, CT ${fmt(ct.cpuMicrosPerEntry, 1)} µs` : ''} (this machine; the CPU bound counts a 1 GB Lambda as 0.58 vCPU). CT logs cap get-entries pages (often at 256); RTTs are assumptions, not measurements.`,
  );
  return {
    title: 'Identity scan: real-world rate and Lambda cost model',
    lines,
    results: [],
    extraTables: [rows.join('\n')],
  };
}
