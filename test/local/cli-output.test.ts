/**
 * What `watch` and `check` print for a person: a start line (logs, intervals, state directory),
 * the time on every result line and in the JSON, the evidence file's path (the file stamped with
 * its own time), and progress while a check runs long.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../lib/local/cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

const ISO = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?Z$/;

async function run(args: string[], progressEveryMs?: number) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(...l.split('\n')),
    err: (l) => err.push(...l.split('\n')),
    ...(progressEveryMs !== undefined ? { progressEveryMs } : {}),
  });
  return { code, out, err };
}

describe('CLI output for people', () => {
  let log: TestLog;
  let dir: string;
  let cfg: string;
  before(async () => {
    log = await startTestLog({ type: 'ct', initialSize: 5 });
    dir = await mkdtemp(join(tmpdir(), 'tlog-out-'));
    cfg = join(dir, 'c.json');
    const entry = { type: 'ct', url: log.url, publicKey: log.publicKeyPem, interval: '2m', timeoutMs: 1000 };
    await writeFile(
      cfg,
      JSON.stringify({
        logs: [
          { name: 'one', ...entry },
          { name: 'two', ...entry, interval: '1h' },
        ],
      }),
    );
  });
  after(() => log.close());

  it('watch prints a start line naming the logs, their intervals and the state directory', async () => {
    const state = join(dir, 'watch-state');
    const r = await run(['watch', '--config', cfg, '--state-dir', state, '--iterations', '1']);
    assert.equal(r.code, 0);
    assert.match(
      r.err[0] ?? '',
      /^tlog-monitor \S+ watching 2 logs \(one every 2m, two every 1h\); state in .*watch-state$/,
    );
    const results = r.out.filter((l) => / (one|two): /.test(l));
    assert.equal(results.length, 2);
    for (const line of results) {
      const time = line.split(' ')[0] ?? '';
      assert.match(time, ISO, line);
    }
  });

  it('every CheckResult JSON carries checkedAt', async () => {
    const r = await run(['check', '--config', cfg, '--state-dir', join(dir, 'json-state'), '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.out.length, 2);
    for (const line of r.out) assert.match(JSON.parse(line).checkedAt, ISO);
  });

  it('a misbehaviour names its evidence file, and the file carries its own time', async () => {
    log.reset();
    const state = join(dir, 'fork-state');
    await run(['check', '--config', cfg, '--state-dir', state, '--log', 'one']);
    log.fork();
    try {
      const r = await run(['check', '--config', cfg, '--state-dir', state, '--log', 'one']);
      assert.equal(r.code, 1);
      const line = r.out.find((l) => l.includes('evidence kept in ')) ?? '';
      const path = line.replace(/^.*evidence kept in /, '');
      assert.ok(path.startsWith(join(state, 'one.json.evidence')), line);
      const evidence = JSON.parse(await readFile(path, 'utf8'));
      assert.match(evidence.recordedAt, ISO);
      assert.equal(evidence.status, 'fork');
      assert.ok(evidence.evidence.previous && evidence.evidence.current);
      const json = await run(['check', '--config', cfg, '--state-dir', state, '--log', 'one', '--json']);
      assert.match(JSON.parse(json.out[0] ?? '').evidenceRef, /one\.json\.evidence/);
    } finally {
      log.reset();
    }
  });

  it('says on stderr that a slow check is still running', async () => {
    log.respondWith('slow');
    try {
      const r = await run(
        ['check', '--config', cfg, '--state-dir', join(dir, 'slow-state'), '--log', 'one'],
        50,
      );
      assert.equal(r.code, 2);
      const progress = r.err.filter((l) => / one: still checking \([0-9]+ s so far\)$/.test(l));
      assert.ok(progress.length > 0, r.err.join('\n'));
      assert.match(progress[0]?.split(' ')[0] ?? '', ISO);
    } finally {
      log.reset();
    }
  });
});
