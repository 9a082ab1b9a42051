/**
 * Keys through TUF, end to end with the CLI: a TUF repository on 127.0.0.1 (metadata signed in
 * the test) serves a trusted_root.json listing CT test logs. Fetched and verified from the pinned
 * root; expired or forged metadata is `monitor-error` (exit 2), never a run with nothing to check;
 * a log added to the trusted root (a new shard) is checked from the next run on; and each check
 * takes its keys afresh through TUF, so a long `watch` follows a key rotation.
 */
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseLogConfig } from '../../lib/config/log-config.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import { systemClock } from '../../lib/http/ports.ts';
import { FileStateStore } from '../../lib/local/file-state-store.ts';
import { runOne } from '../../lib/local/run.ts';
import { runCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';
import { type TestLogKey, trustedRootJson } from '../support/trusted-root.ts';
import { TestTufRepo } from '../support/tuf-repo.ts';

let repo: TestTufRepo;
let logA: TestLog;
let logB: TestLog;
before(async () => {
  repo = await TestTufRepo.start();
  logA = await startTestLog({ type: 'ct', initialSize: 5 });
  logB = await startTestLog({ type: 'ct', initialSize: 9 });
});
after(async () => {
  await repo.close();
  await logA.close();
  await logB.close();
});

/** A ctlogs entry for a test log (its own key). */
function ctKey(log: TestLog): TestLogKey {
  const publicKey = createPublicKey(log.publicKeyPem);
  return {
    baseUrl: log.url,
    kind: 'p256',
    publicKey,
    privateKey: publicKey, // unused: the test log signs its own heads
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    start: '2025-01-01T00:00:00Z',
  };
}

async function setup(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tlog-tuf-'));
  await writeFile(join(dir, 'root.json'), repo.rootJson);
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ logs: [{ tuf: { url: repo.url, root: 'root.json' } }] }),
  );
  return ['check', '--config', join(dir, 'config.json'), '--state-dir', join(dir, 'state'), '--json'];
}

test('the trusted root is fetched, verified and cached; a log added to it is followed', async () => {
  repo.publish(trustedRootJson([], [ctKey(logA)]));
  const args = await setup();
  const first = await runCli(args);
  assert.equal(first.code, 0, first.err);
  assert.deepEqual(
    first.results.map((r) => [r.log, r.status]),
    [[logA.url.replace('http://', '').replace(':', '-'), 'initialized']],
  );
  const stateDir = args[args.indexOf('--state-dir') + 1] as string;
  assert.ok(
    existsSync(join(stateDir, 'tuf', repo.url.replace('http://', '').replace(':', '-'), 'timestamp.json')),
  );

  repo.publish(trustedRootJson([], [ctKey(logA), ctKey(logB)]));
  logA.append(3);
  const second = await runCli(args);
  assert.equal(second.code, 0, second.err);
  assert.deepEqual(
    second.results.map((r) => r.status),
    ['verified', 'initialized'],
  );
});

test('expired timestamp metadata is a monitor-error naming TUF, and nothing passes silently', async () => {
  repo.publish(trustedRootJson([], [ctKey(logA)]));
  const args = await setup();
  assert.equal((await runCli(args)).code, 0);
  repo.publish(trustedRootJson([], [ctKey(logA)]), { timestampExpiresInMs: -60_000 });
  const run = await runCli(args);
  assert.equal(run.code, 2);
  assert.equal(run.results.length, 1);
  const r = run.results[0];
  assert.equal(r?.status, 'monitor-error');
  assert.equal(r?.errorCode, 'trust/unavailable');
  assert.match(r?.message ?? '', /ExpiredMetadataError/);
});

test('forged (re-written, not re-signed) metadata is a monitor-error', async () => {
  repo.publish(trustedRootJson([], [ctKey(logA)]));
  repo.tamperTimestamp();
  const run = await runCli(await setup());
  assert.equal(run.code, 2);
  assert.equal(run.results[0]?.status, 'monitor-error');
  assert.match(run.results[0]?.message ?? '', /UnsignedMetadataError|signature/i);
});

test('an unreachable repository is a monitor-error', async () => {
  const args = await setup();
  const config = args[args.indexOf('--config') + 1] as string;
  await writeFile(
    config,
    JSON.stringify({ logs: [{ tuf: { url: 'http://127.0.0.1:9', root: 'root.json' } }] }),
  );
  const run = await runCli(args);
  assert.equal(run.code, 2);
  assert.equal(run.results[0]?.status, 'monitor-error');
  assert.match(run.results[0]?.message ?? '', /TUF repository http:\/\/127\.0\.0\.1:9/);
});

test('every check takes the keys afresh from TUF (a long watch follows a rotation)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tlog-tuf-run-'));
  const stale = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  const log = parseLogConfig(
    {
      name: 'followed',
      type: 'ct',
      url: logB.url,
      publicKey: stale,
      tufKeys: { url: repo.url, root: repo.rootJson, baseUrl: logB.url },
    },
    'test',
  );
  const deps = {
    httpFor: () => createHttpClient({ fetch: globalThis.fetch, clock: systemClock, retries: 0 }),
    store: FileStateStore.directory(join(dir, 'state')),
    clock: systemClock,
    tufCacheDir: () => join(dir, 'tuf'),
  };
  repo.publish(trustedRootJson([], [ctKey(logB)]));
  assert.equal((await runOne(log, deps)).status, 'initialized', 'the deployed stale key was replaced');
  repo.publish(trustedRootJson([], [ctKey(logB)]), { timestampExpiresInMs: -60_000 });
  const failed = await runOne(log, deps);
  assert.deepEqual([failed.status, failed.errorCode], ['monitor-error', 'trust/unavailable']);
});
