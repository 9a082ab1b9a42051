/**
 * Entry point of `npm run bench`: runs the core benchmarks and prints Markdown tables.
 *
 *   npm run bench                  full run (54–62 s on 2 cores before the identity-scan sections,
 *                                  which add a few minutes: a 1,000,000-entry CT log scanned by us
 *                                  and, when it is on the PATH, by certspotter; see BENCHMARKS.md)
 *   npm run bench -- --quick       short samples, for checking that everything still runs
 *   npm run bench -- --json FILE   also write every result as JSON
 *
 * Figures are printed for people to read; nothing here asserts on timing. Each benchmark reports the
 * median of several timed batches after a warm-up.
 */

import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { entryHashingBenchmarks } from './entries/hashing.bench.ts';
import { entryLoopbackBenchmarks } from './entries/loopback.bench.ts';
import { configureHarness, FULL_CONFIG, QUICK_CONFIG, resultTable, sinkValue } from './harness.ts';
import { identityBenchmarks } from './identity.bench.ts';
import { identityPipelineBenchmarks } from './identity-pipeline.bench.ts';
import { merkleBenchmarks } from './merkle.bench.ts';
import { scanBenchmarks } from './scan.bench.ts';
import type { Section } from './section.ts';
import { signatureBenchmarks } from './signatures.bench.ts';
import { sigstoreBenchmarks } from './sigstore.bench.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) {
  process.stderr.write('--json needs a file name\n');
  process.exit(2);
}
const config = quick ? QUICK_CONFIG : FULL_CONFIG;
configureHarness(config);

const started = process.hrtime.bigint();
/** 1-minute load average: other processes on the machine make the figures noisier (see the spread column). */
const loadText = (): string => (loadavg()[0] ?? 0).toFixed(2);
const loadStart = loadText();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  `# tlog-monitor benchmarks\n\nnode ${process.version} · ${process.arch} · ${cpus().length} × ${cpu} · ` +
    `${quick ? 'quick' : 'full'} run: warm-up ${config.warmupMs} ms, median of ${config.samples} samples of ~${config.sampleMs} ms\n`,
);

function print(section: Section): void {
  const parts = [`\n## ${section.title}\n`];
  if (section.lines.length > 0) parts.push(`${section.lines.join('\n')}\n`);
  parts.push(`${resultTable(section.results)}\n`);
  for (const t of section.extraTables ?? []) parts.push(`\n${t}\n`);
  process.stdout.write(parts.join('\n'));
}

const sections: Section[] = [];
for (const make of [
  () => merkleBenchmarks(),
  () => signatureBenchmarks(quick ? 1 : 5),
  () => sigstoreBenchmarks(),
  () => scanBenchmarks(quick),
  () => identityBenchmarks(),
  () => identityPipelineBenchmarks(quick),
  () => entryHashingBenchmarks(),
  () => entryLoopbackBenchmarks(quick),
]) {
  const made = await make();
  for (const section of Array.isArray(made) ? made : [made]) {
    sections.push(section);
    print(section);
  }
}

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `\nTotal ${seconds.toFixed(1)} s; load average at start ${loadStart}, at end ${loadText()} (sink ${sinkValue()}).\n`,
);

if (jsonFile) {
  const out = {
    node: process.version,
    arch: process.arch,
    cpu,
    cpus: cpus().length,
    date: new Date().toISOString(),
    config,
    sections: sections.map((s) => ({ title: s.title, lines: s.lines, results: s.results })),
  };
  writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`Results written to ${jsonFile}\n`);
}
