/**
 * A small benchmark harness: warm up, calibrate a batch size, then time several batches with
 * process.hrtime.bigint() and report the median. No assertions on timing anywhere: the figures
 * are printed, never checked.
 */

export interface BenchOptions {
  /** Time spent running the function before measuring (JIT warm-up and calibration). */
  readonly warmupMs?: number;
  /** Target duration of one timed batch. */
  readonly sampleMs?: number;
  /** Number of timed batches; the median is reported. */
  readonly samples?: number;
  /** Operations done by one call of the function (e.g. one pass over 16 entries = 16). */
  readonly opsPerCall?: number;
  /** Free text shown in the table. */
  readonly note?: string;
}

export interface BenchResult {
  readonly name: string;
  /** Median operations per second over the samples. */
  readonly opsPerSec: number;
  /** Median microseconds per operation (1e6 / opsPerSec). */
  readonly usPerOp: number;
  /** (slowest − fastest sample) / median, in percent: how noisy the figure is. */
  readonly spreadPct: number;
  readonly samples: number;
  /** Operations timed in each sample. */
  readonly opsPerSample: number;
  readonly note: string;
}

export interface HarnessConfig {
  readonly warmupMs: number;
  readonly sampleMs: number;
  readonly samples: number;
}

export const FULL_CONFIG: HarnessConfig = { warmupMs: 300, sampleMs: 150, samples: 7 };
export const QUICK_CONFIG: HarnessConfig = { warmupMs: 60, sampleMs: 40, samples: 3 };

let config: HarnessConfig = FULL_CONFIG;

/** Sets the defaults used by every later `bench` call (run.ts sets this from --quick). */
export function configureHarness(next: HarnessConfig): void {
  config = next;
}

/** Keeps results observable so the work cannot be optimised away. */
let sink = 0;
export function consume(value: unknown): void {
  if (value instanceof Uint8Array) sink ^= value[0] ?? 0;
  else if (value !== undefined) sink ^= 1;
}
export function sinkValue(): number {
  return sink;
}

const nowNs = (): bigint => process.hrtime.bigint();

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One function to time, for `benchGroup`. */
export interface BenchCase {
  readonly name: string;
  readonly fn: () => unknown;
  readonly options?: BenchOptions;
}

/** Times `fn` (synchronous). Any exception it throws propagates: a benchmark of a failing path is a bug. */
export function bench(name: string, fn: () => unknown, options: BenchOptions = {}): BenchResult {
  return benchGroup([{ name, fn, options }])[0] as BenchResult;
}

/** Warm-up doubles as calibration: calls until `warmupMs` has passed (at least 3); returns calls per sample. */
function calibrate(fn: () => unknown, warmupMs: number, sampleMs: number): number {
  const warmupNs = BigInt(Math.round(warmupMs * 1e6));
  const start = nowNs();
  let calls = 0;
  let elapsed = 0n;
  while (calls < 3 || elapsed < warmupNs) {
    consume(fn());
    calls++;
    elapsed = nowNs() - start;
  }
  return Math.max(1, Math.round((sampleMs * 1e6) / (Number(elapsed) / calls)));
}

/**
 * Times several functions with their samples interleaved (A B C, A B C, …), so that a burst of
 * load from other processes slows every case alike and the ratios between them stay meaningful.
 * Any exception propagates.
 */
export function benchGroup(cases: readonly BenchCase[]): BenchResult[] {
  const plans = cases.map((c) => {
    const o = c.options ?? {};
    const plan = {
      c,
      samples: o.samples ?? config.samples,
      opsPerCall: o.opsPerCall ?? 1,
      callsPerSample: calibrate(c.fn, o.warmupMs ?? config.warmupMs, o.sampleMs ?? config.sampleMs),
      opsPerSec: [] as number[],
    };
    return plan;
  });
  const rounds = Math.max(...plans.map((p) => p.samples));
  for (let s = 0; s < rounds; s++) {
    for (const p of plans) {
      if (s >= p.samples) continue;
      const t0 = nowNs();
      for (let i = 0; i < p.callsPerSample; i++) consume(p.c.fn());
      const ns = Number(nowNs() - t0);
      p.opsPerSec.push((p.callsPerSample * p.opsPerCall * 1e9) / ns);
    }
  }
  return plans.map((p) => {
    const opsPerSec = median(p.opsPerSec);
    return {
      name: p.c.name,
      opsPerSec,
      usPerOp: 1e6 / opsPerSec,
      spreadPct: ((Math.max(...p.opsPerSec) - Math.min(...p.opsPerSec)) / opsPerSec) * 100,
      samples: p.samples,
      opsPerSample: p.callsPerSample * p.opsPerCall,
      note: p.c.options?.note ?? '',
    };
  });
}

/** Formats a number with thousands separators and a sensible number of decimals. */
export function formatNumber(n: number): string {
  const digits = n >= 100 ? 0 : n >= 10 ? 1 : n >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A Markdown table (pastes straight into BENCHMARKS.md, and reads fine in a terminal). */
export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    formatNumber(r.opsPerSec),
    formatNumber(r.usPerOp),
    `±${(r.spreadPct / 2).toFixed(1)}%`,
    r.note,
  ]);
  return markdownTable(['benchmark', 'ops/s', 'µs/op', 'spread', 'notes'], rows, [
    'left',
    'right',
    'right',
    'right',
    'left',
  ]);
}

export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const pad = (cell: string, c: number): string =>
    align[c] === 'right' ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0);
  const line = (cells: readonly string[]): string => `| ${cells.map((x, c) => pad(x, c)).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map((r) => line(header.map((_, c) => r[c] ?? '')))].join('\n');
}
