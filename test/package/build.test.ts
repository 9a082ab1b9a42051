/**
 * The package as a user gets it: `npm run build` compiles to dist/, bin/tlog-monitor.js runs the
 * compiled JavaScript with plain Node (no TypeScript loader), and `npm pack` ships the CLI, the
 * construct, docs and LICENSE but no tests, benchmarks or CI scripts.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** The environment without anything that could preload a loader into the child. */
const { NODE_OPTIONS: _ignored, ...plainEnv } = process.env;

function* jsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* jsFiles(path);
    else if (e.name.endsWith('.js')) yield path;
  }
}

describe('the built package', { timeout: 240_000 }, () => {
  before(async () => {
    await execFileP(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, env: plainEnv });
  });

  it('bin/tlog-monitor.js runs the compiled CLI with plain node', async () => {
    const version = await execFileP(process.execPath, ['bin/tlog-monitor.js', '--version'], {
      cwd: ROOT,
      env: plainEnv,
    });
    assert.equal(version.stdout, `${pkg.version}\n`);
    const help = await execFileP(process.execPath, ['bin/tlog-monitor.js', '--help'], {
      cwd: ROOT,
      env: plainEnv,
    });
    assert.match(help.stdout, /tlog-monitor status/);
  });

  it('a reader that stops early (`| head`) ends the CLI quietly, not with an EPIPE stack trace', async () => {
    const child = spawn(process.execPath, ['bin/tlog-monitor.js', '--help'], { cwd: ROOT, env: plainEnv });
    // Closed before the CLI has started (Node takes far longer to start than this takes to run).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('the compiled files import JavaScript only, and never tsx', () => {
    let count = 0;
    for (const file of jsFiles(join(ROOT, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      count++;
      assert.doesNotMatch(text, /from\s+["'][^"']+\.ts["']|import\(["'][^"']+\.ts["']\)/, file);
      assert.doesNotMatch(text, /["']tsx(\/[^"']*)?["']/, file);
    }
    assert.ok(count > 50, `only ${count} compiled files`);
  });

  it('npm pack ships the CLI, the construct, docs and LICENSE, and no tests', async () => {
    const { stdout } = await execFileP('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      env: plainEnv,
    });
    const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
    for (const needed of [
      'LICENSE',
      'README.md',
      'bin/tlog-monitor.js',
      'dist/lib/local/cli.js',
      'dist/infra/transparency-log-monitor.js',
      'dist/infra/transparency-log-monitor.d.ts',
      'dist/functions/monitor.ts',
      'docs/contracts.md',
      'deploy/kubernetes/prometheusrule.yaml',
    ]) {
      assert.ok(files.includes(needed), `${needed} missing from the package`);
    }
    for (const f of files) assert.doesNotMatch(f, /^(test|bench|\.ci|scripts|lib|infra|functions)\//, f);
    for (const target of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
      for (const path of typeof target === 'string' ? [target] : Object.values(target)) {
        assert.ok(files.includes(path.replace(/^\.\//, '')), `export ${path} is not packed`);
      }
    }
  });

  it('installing the CLI does not pull in the CDK libraries', () => {
    for (const cdk of ['aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild', 'tsx']) {
      assert.equal(pkg.dependencies[cdk], undefined, `${cdk} is a dependency`);
    }
    for (const peer of Object.keys(pkg.peerDependencies)) {
      assert.equal(pkg.peerDependenciesMeta[peer]?.optional, true, `${peer} peer is not optional`);
    }
  });
});
