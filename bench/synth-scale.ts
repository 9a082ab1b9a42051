/**
 * How the CDK app scales with the number of logs: synth time (the app as `cdk synth` builds it:
 * the cdk.json feature flags, the handler bundle, cdk-nag's AwsSolutions pack), and for each
 * template its resources and bytes. Figures go to BENCHMARKS.md ("100 logs in one deployment").
 *
 *   node --import tsx bench/synth-scale.ts [N ...]     default: 2 20 100
 *
 * Each N is synthesized in this process after the others, so module loading is paid once (by the
 * first); nothing is asserted.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMonitorApp } from '../infra/create-app.ts';

const counts = process.argv.slice(2).map(Number);
const sizes = counts.length > 0 ? counts : [2, 20, 100];
const context = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;

console.log(
  `node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · load ${loadavg()[0]?.toFixed(2)}\n`,
);
console.log('| logs | synth s | templates | resources (parent; nested) | bytes (parent; largest nested) |');
console.log('|---:|---:|---:|---|---|');
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-synth-scale-'));
  const logs = Array.from({ length: n }, (_, i) => ({
    preset: 'sigstore-rekor',
    name: `rekor-${i + 1}`,
    interval: '1m',
  }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ logs }));
  const t0 = performance.now();
  const { app } = createMonitorApp({
    cwd: dir,
    env: {},
    context: { ...context, config: join(dir, 'config.json') },
    outdir: join(dir, 'out'),
  });
  app.synth();
  const seconds = (performance.now() - t0) / 1000;
  const files = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.template.json'));
  const parent = files.find((f) => !f.includes('.nested.')) as string;
  const nested = files.filter((f) => f.includes('.nested.'));
  const resources = (f: string) =>
    Object.keys(JSON.parse(readFileSync(join(dir, 'out', f), 'utf8')).Resources).length;
  const bytes = (f: string) => statSync(join(dir, 'out', f)).size;
  console.log(
    `| ${n} | ${seconds.toFixed(1)} | ${files.length} | ${resources(parent)}; ${nested.map(resources).join(', ') || '-'} | ` +
      `${bytes(parent).toLocaleString('en')}; ${nested.length ? Math.max(...nested.map(bytes)).toLocaleString('en') : '-'} |`,
  );
}
