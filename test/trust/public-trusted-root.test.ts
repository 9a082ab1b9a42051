/**
 * The real public Sigstore trusted root (test/vectors/trust, from @sigstore/tuf's seeds.json)
 * expands into exactly the four logs it lists, with the keys the presets pin.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigFile } from '../../lib/config/config-file.ts';
import type { LogConfig } from '../../lib/config/log-config.ts';
import { PRESETS } from '../../lib/config/presets.ts';
import { tlogApi } from '../../lib/trust/expand.ts';
import { expandTrustSource, withTrustedLogs } from '../../lib/trust/resolve.ts';
import { readVectorText } from '../support/vectors.ts';

const ROOT = readVectorText('trust/sigstore-public-trusted_root.json');
const NOW = Date.parse('2026-01-01T00:00:00Z');

function expand(entry: Record<string, unknown> = {}, nowMs = NOW): LogConfig[] {
  const config = parseConfigFile(JSON.stringify({ logs: [{ trustedRoot: 'tr.json', ...entry }] }), 'c.json');
  const source = config.trust?.[0];
  assert.ok(source);
  const logs = expandTrustSource({ source, trustedRoot: { text: ROOT, from: 'tr.json' } }, nowMs);
  return [...withTrustedLogs(config, logs).logs];
}

test('the public trusted root expands into its four logs with their types, keys and frozen flags', () => {
  const logs = expand();
  const byName = Object.fromEntries(logs.map((l) => [l.name, l]));
  assert.deepEqual(
    logs.map((l) => [l.name, l.type, l.url, l.origin ?? null, l.frozen === true]),
    [
      ['rekor.sigstore.dev', 'rekor-v1', 'https://rekor.sigstore.dev', null, false],
      [
        'log2025-1.rekor.sigstore.dev',
        'tiles',
        'https://log2025-1.rekor.sigstore.dev/api/v2',
        'log2025-1.rekor.sigstore.dev',
        false,
      ],
      ['ctfe.sigstore.dev-test', 'ct', 'https://ctfe.sigstore.dev/test', null, true],
      ['ctfe.sigstore.dev-2022', 'ct', 'https://ctfe.sigstore.dev/2022', null, false],
    ],
  );
  // The same keys as the presets, which cite sigstore/root-signing independently.
  assert.equal(byName['rekor.sigstore.dev']?.publicKey, PRESETS['sigstore-rekor'].publicKey);
  assert.equal(byName['ctfe.sigstore.dev-2022']?.publicKey, PRESETS['sigstore-ctfe-2022'].publicKey);
  assert.equal(byName['ctfe.sigstore.dev-test']?.publicKey, PRESETS['sigstore-ctfe-test'].publicKey);
  // The v2 key as PEM with the host as origin is the preset's verifier key log2025-1...+cf119915+...
  assert.match(
    byName['log2025-1.rekor.sigstore.dev']?.publicKey ?? '',
    /MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=/,
  );
  assert.equal(byName['rekor.sigstore.dev']?.publicKeys, undefined, 'one key: no per-shard list');
});

test('frozen follows validFor.end against the clock: ctfe /test was live in mid 2022', () => {
  const logs = expand({}, Date.parse('2022-06-01T00:00:00Z'));
  assert.equal(logs.find((l) => l.name === 'ctfe.sigstore.dev-test')?.frozen, undefined);
});

test('include / exclude by name or URL, and per-log overrides on top of the entry defaults', () => {
  const logs = expand({
    include: ['rekor.sigstore.dev', 'https://ctfe.sigstore.dev/2022/'],
    interval: '10m',
    overrides: { 'https://rekor.sigstore.dev': { interval: '1m' } },
  });
  assert.deepEqual(
    logs.map((l) => [l.name, l.interval]),
    [
      ['rekor.sigstore.dev', '1m'],
      ['ctfe.sigstore.dev-2022', '10m'],
    ],
  );
  assert.deepEqual(
    expand({ exclude: ['ctfe.sigstore.dev-test', 'log2025-1.rekor.sigstore.dev'] }).map((l) => l.name),
    ['rekor.sigstore.dev', 'ctfe.sigstore.dev-2022'],
  );
});

test('mistakes name the trust entry and the field', () => {
  assert.throws(() => expand({ include: ['no-such-log'] }), /include: "no-such-log" names no log/);
  assert.throws(
    () => expand({ overrides: { 'nope.example': { interval: '1m' } } }),
    /overrides\.nope\.example: names no log/,
  );
  assert.throws(
    () => expand({ overrides: { 'rekor.sigstore.dev': { publicKey: 'x' } } }),
    /publicKey: comes from the trusted root and cannot be overridden/,
  );
  assert.throws(
    () => expand({ overrides: { 'log2025-1.rekor.sigstore.dev': { type: 'rekor-v1' } } }),
    /Rekor v1 signs with ECDSA P-256, this key is ed25519/,
  );
  assert.throws(
    () => expand({ overrides: { 'log2025-1.rekor.sigstore.dev': { origin: 'other.example' } } }),
    /is not the C2SP key hash of origin "other.example"/,
  );
  assert.throws(() => expand({ interval: 'often' }), /interval: must be a duration/);
});

test('Rekor v1 or v2: override, then signing config, then probe, then the v2 shard name, then v1', () => {
  const url = 'https://log2026-1.rekor.example.dev';
  const apiVersions = new Map([[url, 1]]);
  const probed = new Map([[url, 'tiles' as const]]);
  assert.deepEqual(tlogApi(url, 'rekor-v1', { apiVersions, probed }), {
    api: 'rekor-v1',
    reason: 'override',
  });
  assert.deepEqual(tlogApi(url, undefined, { apiVersions, probed }), {
    api: 'rekor-v1',
    reason: 'signing-config',
  });
  assert.deepEqual(tlogApi(url, undefined, { probed: new Map([[url, 'rekor-v1' as const]]) }), {
    api: 'rekor-v1',
    reason: 'probe',
  });
  assert.deepEqual(tlogApi(url, undefined, {}), { api: 'tiles', reason: 'v2-shard-name' });
  assert.deepEqual(tlogApi('https://rekor.example.dev', undefined, {}), {
    api: 'rekor-v1',
    reason: 'default-v1',
  });
  assert.ok('error' in tlogApi(url, 'ct', {}));
});
