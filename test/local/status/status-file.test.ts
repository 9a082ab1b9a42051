/**
 * `tlog-monitor status [--json]` on the CLI's state files: every configured log, with its
 * verified head, when it was last verified and how long ago, the last status and open alerts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../lib/local/cli.ts';
import type { LogStatus } from '../../../lib/status/status-report.ts';
import { startTestLog, type TestLog } from '../../support/test-log-server.ts';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('tlog-monitor status (state files)', () => {
  let log: TestLog;
  let dir: string;
  let cfg: string;
  before(async () => {
    log = await startTestLog({ type: 'ct', initialSize: 9 });
    dir = await mkdtemp(join(tmpdir(), 'tlog-status-'));
    cfg = join(dir, 'c.json');
    const entry = { type: 'ct', url: log.url, publicKey: log.publicKeyPem, timeoutMs: 1000 };
    await writeFile(
      cfg,
      JSON.stringify({
        logs: [
          { name: 'checked', ...entry, interval: '1m' },
          { name: 'never', ...entry, interval: '1h' },
        ],
        stateDir: join(dir, 'state'),
      }),
    );
    assert.equal((await run(['check', '--config', cfg, '--log', 'checked'])).code, 0);
    log.respondWith('status500');
    assert.equal((await run(['check', '--config', cfg, '--log', 'checked'])).code, 2);
    assert.equal((await run(['check', '--config', cfg, '--log', 'checked'])).code, 2);
    log.reset();
  });
  after(() => log.close());

  it('--json: one object per configured log', async () => {
    const r = await run(['status', '--config', cfg, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const [checked, never] = r.out.map((l) => JSON.parse(l) as LogStatus);
    assert.equal(r.out.length, 2);
    assert.equal(checked?.log, 'checked');
    assert.equal(checked?.head?.size, '9');
    assert.equal(checked?.head?.root, Buffer.from(log.rootHash()).toString('base64'));
    assert.equal(checked?.lastStatus, 'unreachable');
    assert.match(checked?.lastMessage ?? '', /500/);
    assert.ok(checked?.lastVerifiedAt && checked.lastVerifiedAgeSeconds !== undefined);
    // The initializing check was the last clean one: it finished just after it stored the head.
    assert.ok((checked?.lastVerifiedAt ?? '') >= (checked?.headStoredAt ?? '~'));
    assert.equal(checked?.openAlerts.length, 1);
    assert.equal(checked?.openAlerts[0]?.status, 'unreachable');
    assert.equal(checked?.openAlerts[0]?.count, 2);
    assert.deepEqual(checked?.problems, []);
    assert.equal(never?.log, 'never');
    assert.equal(never?.head, undefined);
    assert.equal(never?.lastStatus, undefined);
    assert.deepEqual(never?.openAlerts, []);
  });

  it('human: a block per log', async () => {
    const r = await run(['status', '--config', cfg]);
    assert.equal(r.code, 0);
    const text = r.out.join('\n');
    assert.match(text, /^2 logs from state directory .*state, at /);
    assert.match(text, /\nchecked \(ct, every 1m\) http:\/\/127\.0\.0\.1:[0-9]+\n {2}head {6}size 9, root /);
    assert.match(text, /\n {2}verified {2}\S+ \([0-9]+s ago\); head stored /);
    assert.match(text, /\n {2}last {6}unreachable at \S+: .*500/);
    assert.match(text, /\n {2}alert {5}unreachable since \S+ \(2×\)/);
    assert.match(text, /\nnever \(ct, every 1h\) .*\n {2}head {6}none stored yet/);
  });

  it('a clean check closes the open alerts', async () => {
    assert.equal((await run(['check', '--config', cfg, '--log', 'checked'])).code, 0);
    const r = await run(['status', '--config', cfg, '--log', 'checked', '--json']);
    const s = JSON.parse(r.out[0] ?? '') as LogStatus;
    assert.equal(s.lastStatus, 'unchanged');
    assert.deepEqual(s.openAlerts, []);
    assert.equal(s.lastVerifiedAt, s.lastCheckedAt);
  });

  it('a stored head that no longer verifies is a problem (exit 2), not a head', async () => {
    const stateFile = join(dir, 'state', 'checked.json');
    const saved = await readFile(stateFile, 'utf8');
    try {
      const s = JSON.parse(saved);
      s.logs.checked.head.signed = s.logs.checked.head.signed.replace('"tree_size":9', '"tree_size":10');
      await writeFile(stateFile, JSON.stringify(s));
      const r = await run(['status', '--config', cfg, '--log', 'checked', '--json']);
      assert.equal(r.code, 2);
      const status = JSON.parse(r.out[0] ?? '') as LogStatus;
      assert.equal(status.head, undefined);
      assert.match(status.problems[0] ?? '', /^stored head: .*no longer verifies with the pinned key/);
    } finally {
      await writeFile(stateFile, saved);
    }
  });
});
