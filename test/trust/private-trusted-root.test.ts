/**
 * A private deployment's trusted root, built here as RHTAS publishes one: a Rekor v1 log that
 * rotated its key (two shards, two keys), a Rekor v2 log on a host Sigstore's naming says nothing
 * about, and a CT log. Plus: the per-shard keys verify each shard's head with its own key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigFile } from '../../lib/config/config-file.ts';
import type { LogConfig } from '../../lib/config/log-config.ts';
import type { HttpClient } from '../../lib/http/ports.ts';
import { createLogClient } from '../../lib/logs/create-client.ts';
import { expandTrustSource } from '../../lib/trust/resolve.ts';
import {
  generateP256Signer,
  rekorCheckpointBody,
  signNote,
  type TestSigner,
} from '../support/test-log-signing.ts';
import { pemOf, testLogKey, trustedRootJson } from '../support/trusted-root.ts';

const REKOR = 'https://rekor-server-trusted-artifact-signer.apps.ocp.example.com';
const TILES = 'https://rekor-tiles.tas.svc.cluster.local';
const CT = 'https://ctlog-trusted-artifact-signer.apps.ocp.example.com/trusted-artifact-signer';
const NOW = Date.parse('2026-06-01T00:00:00Z');

const oldKey = testLogKey(REKOR, 'p256', { start: '2024-01-01T00:00:00Z', end: '2025-03-01T00:00:00Z' });
const newKey = testLogKey(REKOR, 'p256', { start: '2025-03-01T00:00:00Z' });
const tilesKey = testLogKey(TILES, 'ed25519', {
  start: '2025-10-01T00:00:00Z',
  origin: 'rekor-tiles.tas.svc.cluster.local',
});
const ctKey = testLogKey(CT, 'p256', { start: '2024-01-01T00:00:00Z' });
const ROOT = trustedRootJson([oldKey, newKey, tilesKey], [ctKey]);
const SIGNING_CONFIG = JSON.stringify({
  mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
  rekorTlogUrls: [
    { url: REKOR, majorApiVersion: 1, operator: 'example', validFor: { start: '2024-01-01T00:00:00Z' } },
    { url: TILES, majorApiVersion: 2, operator: 'example', validFor: { start: '2025-10-01T00:00:00Z' } },
  ],
});

function expand(entry: Record<string, unknown>, signingConfig?: string): LogConfig[] {
  const config = parseConfigFile(JSON.stringify({ logs: [{ trustedRoot: 'tr.json', ...entry }] }), 'c.json');
  const source = config.trust?.[0];
  assert.ok(source);
  return expandTrustSource(
    {
      source,
      trustedRoot: { text: ROOT, from: 'tr.json' },
      ...(signingConfig === undefined ? {} : { signingConfig: { text: signingConfig, from: 'sc.json' } }),
    },
    NOW,
  );
}

test('Rekor v1 keys of one URL form one sharded log; the signing config makes the other URL Rekor v2', () => {
  const logs = expand({ signingConfig: 'sc.json' }, SIGNING_CONFIG);
  const [rekor, tiles, ct] = logs;
  assert.equal(logs.length, 3);
  assert.equal(rekor?.name, 'rekor-server-trusted-artifact-signer.apps.ocp.example.com');
  assert.equal(rekor?.type, 'rekor-v1');
  assert.equal(rekor?.publicKey, pemOf(newKey), 'the newest key is the active shard key');
  assert.deepEqual(rekor?.publicKeys, [
    { key: pemOf(oldKey), validFor: { start: '2024-01-01T00:00:00Z', end: '2025-03-01T00:00:00Z' } },
    { key: pemOf(newKey), validFor: { start: '2025-03-01T00:00:00Z' } },
  ]);
  assert.equal(rekor?.frozen, undefined, 'one key still valid: the log still grows');
  assert.deepEqual(
    [tiles?.type, tiles?.url, tiles?.origin],
    ['tiles', `${TILES}/api/v2`, 'rekor-tiles.tas.svc.cluster.local'],
  );
  // Longer than 64 characters: a readable prefix and a hash of the URL.
  assert.match(ct?.name ?? '', /^ctlog-trusted-artifact-signer\.apps\.ocp\.example\.com-trus-[0-9a-f]{8}$/);
  assert.equal(ct?.type, 'ct');
});

test('without a signing config, probe or override the Ed25519 log is taken for Rekor v1 and refused, saying how to fix it', () => {
  assert.throws(
    () => expand({}),
    /rekor-tiles\.tas\.svc\.cluster\.local.*Rekor v1 signs with ECDSA P-256.*set type "tiles"/s,
  );
  assert.equal(expand({ overrides: { [TILES]: { type: 'tiles' } } })[1]?.type, 'tiles');
});

test('an in-cluster URL override keeps the key and name from the root', () => {
  const [rekor] = expand({
    overrides: { [TILES]: { type: 'tiles' }, [REKOR]: { url: 'http://127.0.0.1:3000', interval: '1m' } },
  });
  assert.deepEqual(
    [rekor?.url, rekor?.interval, rekor?.publicKey],
    ['http://127.0.0.1:3000', '1m', pemOf(newKey)],
  );
});

/** /api/v1/log with an active shard signed by one key and a retired shard signed by another. */
function logInfo(active: TestSigner, retired: TestSigner): HttpClient {
  const root = new Uint8Array(32).fill(7);
  const head = (tree: string, size: number, s: TestSigner) => ({
    rootHash: Buffer.from(root).toString('hex'),
    treeSize: size,
    treeID: tree,
    signedTreeHead: signNote(rekorCheckpointBody(`127.0.0.1 - ${tree}`, size, root, 1n), '127.0.0.1', s),
  });
  const body = { ...head('2', 10, active), inactiveShards: [head('1', 99, retired)] };
  return {
    get: async () => ({ status: 200, body: new TextEncoder().encode(JSON.stringify(body)), headers: {} }),
  };
}

test('per-shard keys: a retired shard verifies with its own key, and only the listed keys count', async () => {
  const a = generateP256Signer();
  const b = generateP256Signer();
  const config = (keys: TestSigner[]) =>
    parseConfigFile(
      JSON.stringify({
        logs: [
          {
            name: 'sharded',
            type: 'rekor-v1',
            url: 'http://127.0.0.1:1',
            publicKey: b.publicKeyPem,
            publicKeys: keys.map((k) => ({ key: k.publicKeyPem, validFor: {} })),
          },
        ],
      }),
      'c',
    ).logs[0] as LogConfig;
  const both = await createLogClient(config([a, b]), logInfo(b, a)).fetchView();
  assert.equal(both.head.shard, '2');
  assert.deepEqual(
    both.retiredShards?.map((s) => s.shard),
    ['1'],
  );
  assert.equal(
    both.retiredShards?.[0]?.verify().shard,
    '1',
    "the retired shard's head verifies with its own key",
  );
  // With the active key alone, the retired shard's head does not verify (kept aside until a check needs it).
  const one = await createLogClient(config([b]), logInfo(b, a)).fetchView();
  assert.deepEqual(
    one.retiredShards?.map((s) => s.shard),
    ['1'],
  );
  assert.throws(
    () => one.retiredShards?.[0]?.verify(),
    /no signature from a known key|note\/no-verified-signature/,
  );
});
