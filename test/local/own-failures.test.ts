/**
 * The monitor's own failures are `monitor-error`, naming the path or resource, never a verdict
 * about the log: an unusable state directory (found before any request is made), a state store
 * that throws a plain error, an unexpected exception in the core (a bug).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLogConfig } from '../../lib/config/log-config.ts';
import { TlogError } from '../../lib/errors.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import { systemClock } from '../../lib/http/ports.ts';
import { FileStateStore } from '../../lib/local/file-state-store.ts';
import { createLogClient } from '../../lib/logs/create-client.ts';
import type { LogClient } from '../../lib/logs/log-client.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { statusForError } from '../../lib/monitor/classify-error.ts';
import type { StateStore } from '../../lib/monitor/state-store.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { runCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';
import { testLogKey, trustedRootJson } from '../support/trusted-root.ts';

describe("the monitor's own failures", () => {
  let log: TestLog;
  let dir: string;
  let config: string;
  /** A --state-dir that can never be created: its parent is a regular file (as root, too). */
  let badStateDir: string;
  /**
   * A --state-dir whose files read as absent but that cannot be created, by root either: under
   * /sys (Linux sysfs refuses mkdir with EPERM; elsewhere / is not writable or is read-only).
   */
  const uncreatable = '/sys/tlog-monitor-test-state';
  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', initialSize: 5 });
    dir = await mkdtemp(join(tmpdir(), 'tlog-own-failures-'));
    config = join(dir, 'config.json');
    const entry = {
      name: 'test',
      type: 'rekor-v1',
      url: log.url,
      publicKey: log.publicKeyPem,
      origin: log.keyName,
    };
    await writeFile(config, JSON.stringify({ logs: [entry] }));
    await writeFile(join(dir, 'not-a-dir'), 'x');
    badStateDir = join(dir, 'not-a-dir', 'state');
  });
  after(() => log.close());

  for (const [command, which] of [
    ['check', 'uncreatable'],
    ['watch', 'uncreatable'],
    ['check', 'under a file'],
  ] as const) {
    it(`${command}: an unusable --state-dir (${which}) is monitor-error naming it, before any request to the log`, async () => {
      const stateDir = which === 'uncreatable' ? uncreatable : badStateDir;
      const before = log.requests.length;
      const r = await runCli([
        command,
        '--config',
        config,
        '--state-dir',
        stateDir,
        '--json',
        ...(command === 'watch' ? ['--iterations', '1'] : []),
      ]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.results.length, 1, r.err);
      const result = r.results[0];
      assert.equal(result?.status, 'monitor-error', result?.message);
      assert.ok(result?.message?.includes(stateDir), result?.message);
      assert.equal(log.requests.length, before, 'no request was made to the log');
    });
  }

  for (const command of ['check', 'watch'] as const) {
    it(`${command}: with a trusted root to expand, an unusable --state-dir is monitor-error before any request (no API probe)`, async () => {
      // A Rekor log of unknown API: expanding the trusted root would probe it. This server only
      // counts what it is asked.
      const asked: string[] = [];
      const server = createServer((req, res) => {
        asked.push(req.url ?? '');
        res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const trustDir = await mkdtemp(join(tmpdir(), 'tlog-own-failures-trust-'));
        await writeFile(join(trustDir, 'trusted_root.json'), trustedRootJson([testLogKey(url, 'p256')]));
        const trustConfig = join(trustDir, 'config.json');
        await writeFile(trustConfig, JSON.stringify({ logs: [{ trustedRoot: 'trusted_root.json' }] }));
        const r = await runCli([
          command,
          '--config',
          trustConfig,
          '--state-dir',
          badStateDir,
          '--json',
          // check: a log of the trusted root, which cannot be known before it is expanded.
          ...(command === 'watch' ? ['--iterations', '1'] : ['--log', '127.0.0.1']),
        ]);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.results.length, 1, r.err);
        assert.equal(r.results[0]?.status, 'monitor-error', r.results[0]?.message);
        assert.ok(r.results[0]?.message?.includes(badStateDir), r.results[0]?.message);
        assert.deepEqual(asked, [], 'no request was made before the state directory was found unusable');
      } finally {
        await new Promise((r) => server.close(r));
      }
    });
  }

  it('check: a --state-dir without write permission (EACCES) is monitor-error, before any request', {
    skip: process.getuid?.() === 0 ? 'root may write anywhere' : false,
  }, async () => {
    const readOnly = join(dir, 'read-only');
    await mkdir(readOnly, { mode: 0o500 });
    const before = log.requests.length;
    const r = await runCli(['check', '--config', config, '--state-dir', readOnly, '--json']);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.results[0]?.status, 'monitor-error');
    assert.match(r.results[0]?.message ?? '', /EACCES/);
    assert.ok(r.results[0]?.message?.includes(readOnly));
    assert.equal(log.requests.length, before);
  });

  it('the file store names the path when it cannot write', async () => {
    const store = FileStateStore.directory(uncreatable);
    await assert.rejects(
      store.compareAndSet('test', 0, {
        signed: 's',
        size: '1',
        root: 'AAAA',
        origin: 'o',
        verifiedAt: new Date(0).toISOString(),
      }),
      (e: unknown) => e instanceof TlogError && e.code === 'state/io' && e.message.includes(uncreatable),
    );
  });

  it('any exception that is not a TlogError is monitor-error: a bug in the monitor, not a verdict on the log', () => {
    for (const e of [
      new Error('boom'),
      new TypeError('x is undefined'),
      new RangeError('r'),
      'thrown string',
    ]) {
      assert.equal(statusForError(e), 'monitor-error');
    }
  });

  it('a check whose state store throws a plain error (EACCES) ends monitor-error', async () => {
    const denied = Object.assign(new Error(`EACCES: permission denied, open '/var/lib/state.json'`), {
      code: 'EACCES',
    });
    const store: StateStore = {
      load: async () => undefined,
      compareAndSet: async () => {
        throw denied;
      },
      recordEvidence: async () => {},
    };
    const client = createLogClient(
      parseLogConfig(
        { name: 'test', type: 'rekor-v1', url: log.url, publicKey: log.publicKeyPem, origin: log.keyName },
        'test',
      ),
      createHttpClient({ fetch: globalThis.fetch, clock: systemClock }),
    );
    const r = await checkLog('test', { client, store, clock: systemClock });
    assert.equal(r.status, 'monitor-error', r.message);
    assert.match(r.message ?? '', /\/var\/lib\/state\.json/);
  });

  it('a log client that throws a plain exception (a bug in the core) ends monitor-error', async () => {
    const buggy: LogClient = {
      type: 'rekor-v1',
      fetchView: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'size')");
      },
      fetchConsistencyProof: async () => {
        throw new TypeError('unreachable');
      },
      verifyStoredHead: () => {
        throw new TypeError('unreachable');
      },
    };
    const r = await checkLog('test', { client: buggy, store: new MemoryStateStore(), clock: systemClock });
    assert.equal(r.status, 'monitor-error', r.message);
    assert.match(r.message ?? '', /reading 'size'/);
  });
});
