/**
 * `tlog-monitor check` with trusted roots, end to end on loopback: `--trusted-root FILE` alone;
 * and a config entry whose Rekor v1 and v2 logs are told apart by probing them once.
 */
import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';
import { startTileLog, type TileLog } from '../support/tile-log-server.ts';
import { type TestLogKey, trustedRootJson } from '../support/trusted-root.ts';

let rekor: TestLog;
let ct: TestLog;
let tiles: TileLog;
before(async () => {
  rekor = await startTestLog({ type: 'rekor-v1', initialSize: 7 });
  ct = await startTestLog({ type: 'ct', initialSize: 3 });
  tiles = await startTileLog({ type: 'tiles', initialSize: 5 });
});
after(async () => {
  await rekor.close();
  await ct.close();
  await tiles.close();
});

function listed(baseUrl: string, publicKey: KeyObject, origin?: string): TestLogKey {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    baseUrl,
    kind: publicKey.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'p256',
    publicKey,
    privateKey: publicKey, // unused: the test logs sign their own heads
    spki,
    start: '2025-01-01T00:00:00Z',
    ...(origin === undefined ? {} : { origin }),
  };
}

/** The tile log's Ed25519 key from its verifier key string `<name>+<hash>+<base64(0x01 ‖ key)>`. */
function tileKey(log: TileLog): KeyObject {
  // The base64 may itself contain "+": everything after the second "+" is the key.
  const raw = Buffer.from(log.publicKey.split('+').slice(2).join('+'), 'base64').subarray(1);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

test('--trusted-root FILE alone checks every log of the root', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tlog-tr-cli-'));
  const file = join(dir, 'trusted_root.json');
  await writeFile(file, trustedRootJson([], [listed(ct.url, createPublicKey(ct.publicKeyPem))]));
  const args = ['check', '--trusted-root', file, '--state-dir', join(dir, 'state'), '--json'];
  const first = await runCli(args);
  assert.equal(first.code, 0, first.err);
  assert.deepEqual(
    first.results.map((r) => r.status),
    ['initialized'],
  );
  ct.append(4);
  const second = await runCli(args);
  assert.deepEqual(
    second.results.map((r) => [r.status, r.current?.size]),
    [['verified', '7']],
  );
});

test('Rekor v1 and v2 on hosts that say nothing are told apart by one probe each', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tlog-tr-probe-'));
  const tilesBase = tiles.url.replace(/\/api\/v2$/, '');
  await writeFile(
    join(dir, 'trusted_root.json'),
    trustedRootJson([
      listed(rekor.url, createPublicKey(rekor.publicKeyPem)),
      listed(tilesBase, tileKey(tiles), tiles.origin),
    ]),
  );
  const overrides = {
    // The test logs sign under names that are not their URL's host.
    [rekor.url]: { origin: rekor.keyName },
    [tilesBase]: { origin: tiles.origin },
  };
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ logs: [{ trustedRoot: 'trusted_root.json', overrides }] }),
  );
  const run = await runCli([
    'check',
    '--config',
    join(dir, 'config.json'),
    '--state-dir',
    join(dir, 'state'),
    '--json',
  ]);
  assert.equal(run.code, 0, run.err + JSON.stringify(run.results));
  assert.deepEqual(
    run.results.map((r) => [r.status, r.current?.size]),
    [
      ['initialized', '7'],
      ['initialized', '5'],
    ],
  );
  assert.ok(rekor.requests.includes('/api/v2/checkpoint') && rekor.requests.includes('/api/v1/log'));
});
