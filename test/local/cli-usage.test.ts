/**
 * What a new user meets first: a usage error is one line naming the problem plus a pointer to
 * --help (not parseArgs' text and the whole usage); with --json, usage and config errors are
 * also JSON on stdout; --version prints the package's version.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../lib/local/cli.ts';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n').split('\n') };
}

describe('usage errors: one line and a pointer to --help', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown option',
      ['check', '--bogus'],
      /^tlog-monitor: unknown option "--bogus" \(see tlog-monitor --help\)$/,
    ],
    [
      'a missing value at the end',
      ['check', '--config'],
      /^tlog-monitor: option --config needs a value \(see tlog-monitor --help\)$/,
    ],
    [
      'a value swallowed by the next flag',
      ['check', '--config', '--log', 'x'],
      /option --config needs a value/,
    ],
    [
      'a value given to a switch',
      ['check', '--json=yes'],
      /^tlog-monitor: option --json takes no value \(see/,
    ],
    [
      'an unknown command',
      ['verify'],
      /^tlog-monitor: unknown command "verify" \(expected check, watch, status\) \(see/,
    ],
    ['a flag of another command', ['check', '--metrics-port', '9464'], /--metrics-port is for "watch" \(see/],
    [
      'a bad port',
      ['watch', '--metrics-port', '70000'],
      /--metrics-port must be a port number from 0 to 65535, got "70000"/,
    ],
    ['--table without --aws', ['status', '--table', 't'], /--table goes with --aws/],
    ['--aws without --table', ['status', '--aws'], /--aws needs --table/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.deepEqual(r.out, []);
      assert.equal(r.err.length, 1, r.err.join('\n'));
      assert.match(r.err[0] ?? '', message);
    });
  }
});

describe('--json reports errors as JSON on stdout too', () => {
  it('a usage error', async () => {
    const r = await run(['check', '--bogus', '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.out.length, 1);
    assert.deepEqual(JSON.parse(r.out[0] ?? ''), {
      error: { code: 'usage/invalid', message: 'unknown option "--bogus"' },
    });
  });

  it('a config error, with each problem listed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlog-cfg-'));
    const cfg = join(dir, 'c.json');
    await writeFile(
      cfg,
      JSON.stringify({ logs: [{ name: 'x', type: 'ct', url: 'ftp://x', publicKey: 'nope' }] }),
    );
    const r = await run(['check', '--config', cfg, '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.out.length, 1);
    const { error } = JSON.parse(r.out[0] ?? '');
    assert.equal(error.code, 'config/invalid');
    assert.ok(Array.isArray(error.issues) && error.issues.length >= 2, JSON.stringify(error));
    assert.ok(error.issues.some((i: string) => /logs\[0\] \("x"\)\.url/.test(i)));
  });

  it('a missing config file', async () => {
    const r = await run(['status', '--config', '/nonexistent/c.json', '--json']);
    assert.equal(r.code, 2);
    assert.match(
      JSON.parse(r.out[0] ?? '').error.message,
      /--config: cannot read \/nonexistent\/c\.json: ENOENT/,
    );
  });
});

describe('--version', () => {
  it("prints package.json's version", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.deepEqual(await run(['--version']), { code: 0, out: [pkg.version], err: [''] });
    const json = await run(['--version', '--json']);
    assert.deepEqual(JSON.parse(json.out[0] ?? ''), { version: pkg.version });
  });
});
