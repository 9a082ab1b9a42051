/**
 * The CLI end to end against the in-repo test log server (real signatures, real HTTP on
 * loopback): every status and exit code of docs/contracts.md for Rekor v1 and CT, recovery after each
 * lie, shard rotation, and concurrent checks on one state file.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import {
  AdHocCli,
  type CliRun,
  expectForkCaught,
  expectHeadKept,
  expectRollbackCaught,
  runCli,
} from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

const execFileP = promisify(execFile);

/** A P-256 public key PEM that is a valid CT log key for config validation. */
function generateCtKeyPem(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
/** The CLI as a process, from the sources (bin/tlog-monitor.js runs the same main() from dist/). */
const CLI = ['--import', 'tsx', new URL('../support/cli-process.ts', import.meta.url).pathname];

/** Ad-hoc checks of a test log; Rekor pins the signer name as the origin. */
const cliFor = (log: TestLog): Promise<AdHocCli> =>
  AdHocCli.create({
    type: log.type,
    url: log.url,
    keyText: log.publicKeyPem,
    ...(log.type === 'rekor-v1' ? { origin: log.keyName } : {}),
  });

for (const type of ['rekor-v1', 'ct'] as const) {
  describe(`tlog-monitor check (${type})`, () => {
    let log: TestLog;
    let cli: AdHocCli;
    before(async () => {
      log = await startTestLog({ type, initialSize: 20 });
    });
    after(() => log.close());
    const fresh = async () => {
      log.reset();
      cli = await cliFor(log);
      await cli.expect('initialized', 0);
    };

    it('initializes, verifies growth, reports unchanged', async () => {
      await fresh();
      assert.equal(await cli.storedSize(), String(log.size));
      log.append(13);
      const r = await cli.expect('verified', 0);
      assert.equal(r.current?.size, String(log.size));
      assert.equal(Number(r.current?.size) - Number(r.previous?.size), 13);
      await cli.expect('unchanged', 0);
    });

    it('uses only the pinned key: it never asks the log for a key, only for heads and proofs', async () => {
      const from = log.requests.length;
      await fresh();
      log.append(7);
      await cli.expect('verified', 0);
      const paths = log.requests.slice(from).map((raw) => new URL(raw, 'http://x.invalid').pathname);
      assert.ok(paths.length >= 3, `requests seen: ${paths.join(', ')}`);
      const allowed = type === 'rekor-v1' ? /\/api\/v1\/log(\/proof)?$/ : /\/ct\/v1\/get-sth(-consistency)?$/;
      for (const p of paths) assert.match(p, allowed, `unexpected request ${p}`);
      // A head signed by another key fails even though the log itself would vouch for that key.
      log.badSignature();
      await cli.expect('bad-signature', 1);
      log.reset();
    });

    it('fork: exit 1 with evidence, head kept, recovers when the log is honest again', async () => {
      await fresh();
      await expectForkCaught(cli, log);
    });

    it('rollback: exit 1, head kept', async () => {
      await fresh();
      await expectRollbackCaught(cli, log, 5, 3);
    });

    for (const mode of ['flip', 'truncate', 'extend', 'garbage'] as const) {
      it(`bad proof (${mode}) persisting: ${mode === 'garbage' ? 'invalid-response, exit 2' : 'inconsistent, exit 1'}; head kept`, async () => {
        await fresh();
        const stored = await cli.storedSize();
        log.append(9);
        log.badProof(mode);
        if (mode === 'garbage') {
          await cli.expect('invalid-response', 2);
        } else {
          const r = await cli.expect('inconsistent', 1);
          assert.ok(r.evidence?.proof, 'the proof is kept as evidence');
        }
        assert.equal(await cli.storedSize(), stored);
        log.reset();
        await cli.expect('verified', 0);
      });
    }

    it('a bad proof served once is re-fetched and the check verifies', async () => {
      await fresh();
      log.append(9);
      log.badProof('flip', { times: 1 });
      await cli.expect('verified', 0);
    });

    it('bad signature: exit 1 with the rejected head as evidence, head kept', async () => {
      await fresh();
      log.append(3);
      const lie = () => log.badSignature();
      const r = await expectHeadKept(cli, log, lie, {
        status: 'bad-signature',
        code: 1,
        recovered: 'verified',
      });
      assert.ok(r.evidence?.current);
    });

    const operational: [string, () => void, CheckResult['status']][] = [
      ['garbage', () => log.respondWith('garbage'), 'invalid-response'],
      ['a huge answer', () => log.respondWith('huge'), 'invalid-response'],
      ['a slow answer', () => log.respondWith('slow'), 'unreachable'],
      ['HTTP 500', () => log.respondWith('status500'), 'unreachable'],
      ['HTTP 404', () => log.respondWith('status404'), 'unreachable'],
    ];
    for (const [what, lie, status] of operational) {
      it(`${what}: ${status}, exit 2, head kept, recovers`, async () => {
        await fresh();
        await expectHeadKept(cli, log, lie, { status, code: 2, recovered: 'unchanged' });
      });
    }

    it('a tampered state file is refused (monitor-error, exit 2), never trusted', async () => {
      await fresh();
      const s = JSON.parse(await readFile(cli.stateFile, 'utf8'));
      const bump = (_: string, a: string, n: string, b: string) => `${a}${Number(n) + 1}${b}`;
      const tampered = s.logs.test.head.signed.replace(
        type === 'ct' ? /("tree_size":\s*)(\d+)()/ : /(\n)(\d+)(\n)/,
        bump,
      );
      assert.notEqual(tampered, s.logs.test.head.signed);
      s.logs.test.head.signed = tampered;
      await writeFile(cli.stateFile, JSON.stringify(s));
      const r = await cli.expect('monitor-error', 2);
      assert.match(r.message ?? '', /no longer verifies/);
    });

    it('concurrent checks on one state file lose no update and never regress the head', async () => {
      await fresh();
      const runs: Promise<CliRun>[] = [];
      for (let i = 0; i < 6; i++) {
        log.append(1 + i);
        runs.push(cli.run());
      }
      const done = await Promise.all(runs);
      for (const r of done) {
        assert.equal(r.code, 0, JSON.stringify(r.results));
        assert.ok(['verified', 'unchanged'].includes(r.results[0]?.status ?? ''), r.results[0]?.status);
      }
      await cli.expect('unchanged', 0);
      assert.equal(await cli.storedSize(), String(log.size));
    });
  });
}

describe('tlog-monitor check (rekor-v1 specifics)', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', initialSize: 8 });
  });
  after(() => log.close());

  it('wrong origin is bad-signature', async () => {
    log.reset();
    const cli = await cliFor(log);
    await cli.expect('initialized', 0);
    log.wrongOrigin();
    await cli.expect('bad-signature', 1);
    log.reset();
  });

  it('unsigned JSON fields that disagree with the signed head are invalid-response', async () => {
    log.reset();
    const cli = await cliFor(log);
    await cli.expect('initialized', 0);
    log.respondWith('json-mismatch');
    const r = await cli.expect('invalid-response', 2);
    assert.equal(r.errorCode, 'response/mismatch');
    log.reset();
  });

  it('follows a shard rotation, and refuses a stored shard that vanished', async () => {
    log.reset();
    const cli = await cliFor(log);
    await cli.expect('initialized', 0);
    const oldShard = log.treeId;
    log.append(4);
    log.rotateShard();
    log.append(5);
    const r = await cli.expect('verified', 0);
    assert.equal(r.shardRotation?.from, oldShard);
    assert.equal(r.shardRotation?.to, log.treeId);
    assert.equal(r.current?.shard, log.treeId);
    assert.equal(r.current?.size, '5');

    // A second monitor that still holds the old shard, after the log forgot it.
    const stale = await cliFor(log);
    log.reset();
    const rotatedAway = log.treeId;
    log.rotateShard();
    await stale.expect('initialized', 0); // on the newest shard
    log.rotateShard();
    log.dropInactiveShard();
    const gone = await stale.expect('invalid-response', 2);
    assert.equal(gone.errorCode, 'response/shard-missing');
    assert.notEqual(rotatedAway, log.treeId);
  });
});

describe('tlog-monitor check (several logs from a config file)', () => {
  it('prints one JSON line per log; misbehaviour (1) outranks could-not-check (2)', async () => {
    const liar = await startTestLog({ type: 'ct', initialSize: 4 });
    const down = await startTestLog({ type: 'rekor-v1', initialSize: 4 });
    try {
      const dir = await mkdtemp(join(tmpdir(), 'tlog-multi-'));
      const cfg = join(dir, 'c.json');
      await writeFile(
        cfg,
        JSON.stringify({
          logs: [
            { name: 'liar', type: 'ct', url: liar.url, publicKey: liar.publicKeyPem },
            {
              name: 'down',
              type: 'rekor-v1',
              url: down.url,
              publicKey: down.publicKeyPem,
              origin: down.keyName,
            },
          ],
        }),
      );
      const run = (extra: string[] = []) =>
        runCli(['check', '--config', cfg, '--state-dir', dir, '--json', '--timeout', '1', ...extra]);
      const first = await run();
      assert.equal(first.code, 0, first.err);
      assert.deepEqual(
        first.results.map((r) => [r.log, r.status]),
        [
          ['liar', 'initialized'],
          ['down', 'initialized'],
        ],
      );
      down.respondWith('status500');
      const onlyDown = await run();
      assert.equal(onlyDown.code, 2);
      liar.fork();
      const both = await run();
      assert.deepEqual(
        both.results.map((r) => [r.log, r.status]),
        [
          ['liar', 'fork'],
          ['down', 'unreachable'],
        ],
      );
      assert.equal(both.code, 1);
      const one = await run(['--log', 'down']);
      assert.deepEqual(
        one.results.map((r) => r.log),
        ['down'],
      );
      assert.equal(one.code, 2);
    } finally {
      await liar.close();
      await down.close();
    }
  });
});

describe('tlog-monitor check with a configured trustedHead', () => {
  it('proves the first head against it (initialized), and a log forked from it is caught', async () => {
    for (const type of ['rekor-v1', 'ct'] as const) {
      const log = await startTestLog({ type, initialSize: 9 });
      try {
        const trustedHead = log.signedHead();
        log.append(4);
        const dir = await mkdtemp(join(tmpdir(), 'tlog-trusted-'));
        const entry = {
          name: 't',
          type,
          url: log.url,
          publicKey: log.publicKeyPem,
          trustedHead,
          ...(type === 'rekor-v1' ? { origin: log.keyName } : {}),
        };
        const cfg = join(dir, 'c.json');
        await writeFile(cfg, JSON.stringify({ logs: [entry] }));
        const run = (stateDir: string) =>
          runCli(['check', '--config', cfg, '--state-dir', stateDir, '--json']);
        const first = await run(dir);
        assert.equal(first.code, 0, first.err);
        assert.equal(first.results[0]?.status, 'initialized');
        assert.deepEqual([first.results[0]?.previous?.size, first.results[0]?.current?.size], ['9', '13']);

        // A fresh monitor whose trusted head the log contradicts: nothing is trusted on first use.
        log.fork();
        const fresh = await mkdtemp(join(tmpdir(), 'tlog-trusted-'));
        await writeFile(cfg, JSON.stringify({ logs: [{ ...entry, trustedHead: log.signedHead() }] }));
        log.reset();
        const forked = await run(fresh);
        assert.equal(forked.code, 1, `${type}: ${JSON.stringify(forked.results)}`);
        assert.equal(forked.results[0]?.status, 'fork');
        await assert.rejects(readFile(join(fresh, 't.json')), /ENOENT/, 'no head was stored');
      } finally {
        await log.close();
      }
    }
  });
});

describe('tlog-monitor usage errors (exit 2, a message naming the problem)', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /Usage:/],
    ['an unknown command', ['verify'], /unknown command "verify"/],
    ['a stray argument', ['check', 'extra'], /unexpected argument "extra"/],
    ['an unknown flag', ['check', '--bogus'], /bogus/],
    [
      '--timeout 0',
      ['check', '--timeout', '0'],
      /--timeout must be a number of seconds from 0\.1 to 600, got "0"/,
    ],
    ['--timeout 0.01', ['check', '--timeout', '0.01'], /--timeout .* got "0\.01"/],
    ['--timeout 601', ['check', '--timeout', '601'], /--timeout .* got "601"/],
    ['--timeout 1e3', ['check', '--timeout', '1e3'], /--timeout .* got "1e3"/],
    ['--iterations 0', ['watch', '--iterations', '0'], /--iterations must be a positive integer/],
    ['--iterations on check', ['check', '--iterations', '2'], /--iterations is for "watch"/],
    [
      'an ad-hoc check without --state',
      ['check', '--type', 'ct', '--url', 'https://x', '--public-key', 'k'],
      /needs --state/,
    ],
    [
      'an ad-hoc check without --url',
      ['check', '--type', 'ct', '--public-key', 'k', '--state', 's'],
      /needs --url/,
    ],
    ['ad-hoc flags on watch', ['watch', '--type', 'ct'], /"watch" reads --config/],
    ['--state with a config', ['check', '--state', 's.json'], /--state is for an ad-hoc check/],
    [
      'a missing config file',
      ['check', '--config', '/nonexistent/c.json'],
      /--config: cannot read \/nonexistent\/c\.json: ENOENT/,
    ],
    [
      'a missing key file',
      ['check', '--type', 'ct', '--url', 'https://x', '--public-key', '/nonexistent/k', '--state', 's'],
      /--public-key: cannot read/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2);
      assert.deepEqual(r.results, []);
      assert.match(r.err, message);
    });
  }

  it('--log naming no configured log lists the configured ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlog-cfg-'));
    const cfg = join(dir, 'c.json');
    const log = { type: 'ct', url: 'https://ct.example', publicKey: generateCtKeyPem().trim() };
    await writeFile(
      cfg,
      JSON.stringify({
        logs: [
          { name: 'a', ...log },
          { name: 'b', ...log },
        ],
      }),
    );
    const r = await runCli(['check', '--config', cfg, '--log', 'c', '--json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no log named "c" .*\(configured: a, b\)/);
  });
});

describe('tlog-monitor binary', () => {
  it('prints help and exits 0', async () => {
    const { stdout } = await execFileP(process.execPath, [...CLI, '--help']);
    assert.match(stdout, /tlog-monitor check/);
  });

  it('exits 2 with a message naming the problem on a bad flag or config', async () => {
    await assert.rejects(
      execFileP(process.execPath, [...CLI, 'check', '--bogus']),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /bogus/);
        return true;
      },
    );
    const dir = await mkdtemp(join(tmpdir(), 'tlog-cfg-'));
    const cfg = join(dir, 'c.json');
    await writeFile(
      cfg,
      JSON.stringify({ logs: [{ name: 'x', type: 'ct', url: 'ftp://x', publicKey: 'nope' }] }),
    );
    await assert.rejects(
      execFileP(process.execPath, [...CLI, 'check', '--config', cfg]),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /logs\[0\] \("x"\)\.url/);
        return true;
      },
    );
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`watch stops on ${signal} in the middle of an interval and exits with the worst code seen`, {
      timeout: 60_000,
    }, async () => {
      const log = await startTestLog({ type: 'ct', initialSize: 4 });
      try {
        const dir = await mkdtemp(join(tmpdir(), 'tlog-watch-'));
        const cfg = join(dir, 'c.json');
        const entry = { name: 'w', type: 'ct', url: log.url, publicKey: log.publicKeyPem, interval: '1h' };
        await writeFile(cfg, JSON.stringify({ logs: [entry] }));
        const child = spawn(process.execPath, [
          ...CLI,
          'watch',
          '--config',
          cfg,
          '--state-dir',
          dir,
          '--json',
        ]);
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        let out = '';
        await new Promise<void>((resolve) => {
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('\n')) resolve();
          });
        });
        assert.equal(JSON.parse(out.split('\n')[0] ?? '').status, 'initialized');
        child.kill(signal);
        assert.equal(await exited, 0);
      } finally {
        await log.close();
      }
    });
  }

  it('exits 1 for a lying log when run as a process, and watch stops after --iterations', async () => {
    const log = await startTestLog({ type: 'ct', initialSize: 4 });
    try {
      const cli = await cliFor(log);
      const args = cli.args();
      await execFileP(process.execPath, [...CLI, ...args]);
      log.fork();
      await assert.rejects(
        execFileP(process.execPath, [...CLI, ...args]),
        (e: { code: number; stdout: string }) => {
          assert.equal(e.code, 1);
          assert.equal(JSON.parse(e.stdout).status, 'fork');
          return true;
        },
      );
      log.reset();
      const dir = await mkdtemp(join(tmpdir(), 'tlog-watch-'));
      const cfg = join(dir, 'c.json');
      await writeFile(
        cfg,
        JSON.stringify({
          logs: [{ name: 'w', type: 'ct', url: log.url, publicKey: log.publicKeyPem, interval: '10s' }],
        }),
      );
      const { stdout } = await execFileP(process.execPath, [
        ...CLI,
        'watch',
        '--config',
        cfg,
        '--state-dir',
        dir,
        '--iterations',
        '1',
      ]);
      assert.match(stdout, /w: initialized/);
    } finally {
      await log.close();
    }
  });
});
