import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBase64, toHex } from '../../lib/bytes.ts';
import { type LogConfig, logConfigToJson, parseLogConfig } from '../../lib/config/log-config.ts';
import { TlogError } from '../../lib/errors.ts';
import { c2spKeyHash } from '../../lib/note/key-hash.ts';
import { readVector, readVectorText } from '../support/vectors.ts';
import { assertConfigIssue } from './support.ts';

const REKOR_PEM = readVectorText('rekor/rekor.sigstore.dev.pub.pem');
const rekorKeys = readVector('rekor/keys.json');
const REKOR_VKEY: string = rekorKeys.production['rekor.sigstore.dev (Rekor v1)'].noteVerifierKey;
const tileKeys = readVector('tiles/rekor-v2-checkpoints.json').keys;
const V2_VKEY: string = tileKeys['log2025-1.rekor.sigstore.dev (production)'].vkey;
const WITNESS_VKEYS: string[] = Object.values(tileKeys.witnessCosignatureVkeys.vkeys);
const NAVIGLI: string = tileKeys.witnessCosignatureVkeys.navigliVkeyAsPublished.vkey;
const rome = readVector('tiles/static-ct-rome2024h1.json');

function pem(derBase64: string): string {
  const lines = derBase64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}
const V2_ED25519_PEM = pem(
  rekorKeys.allTransparencyLogKeysFound.find(
    (k: { baseUrl: string }) => k.baseUrl === 'https://log2025-1.rekor.sigstore.dev',
  ).publicKeyDERBase64,
);

const REKOR = {
  name: 'rekor',
  type: 'rekor-v1',
  url: 'https://rekor.sigstore.dev',
  publicKey: REKOR_PEM,
  interval: '1m',
};
const TILES = {
  name: 'rekor-v2',
  type: 'tiles',
  url: 'https://log2025-1.rekor.sigstore.dev/api/v2',
  publicKey: V2_VKEY,
};

/** Parses REKOR with `changes` (undefined deletes a field) at logs[2]. */
function rekorWith(changes: Record<string, unknown>): () => LogConfig {
  return () => parseLogConfig(withChanges(REKOR, changes), 'logs[2]');
}
function tilesWith(changes: Record<string, unknown>): () => LogConfig {
  return () => parseLogConfig(withChanges(TILES, changes), 'logs[0]');
}
function withChanges(
  base: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete out[k];
  return out;
}

describe('parseLogConfig: valid entries', () => {
  it('parses the docs/contracts.md example entry', () => {
    const c = parseLogConfig(REKOR, 'logs[0]');
    assert.deepEqual(c, {
      name: 'rekor',
      type: 'rekor-v1',
      url: 'https://rekor.sigstore.dev',
      publicKey: REKOR_PEM,
      interval: '1m',
      intervalMs: 60_000,
    });
    assert.ok(Object.isFrozen(c));
  });

  it('defaults the interval to 5m', () => {
    const c = rekorWith({ interval: undefined })();
    assert.equal(c.interval, '5m');
    assert.equal(c.intervalMs, 300_000);
  });

  it('accepts intervals from 10s to 24h', () => {
    for (const [text, ms] of [
      ['10s', 10_000],
      ['30s', 30_000],
      ['1m', 60_000],
      ['5m', 300_000],
      ['1h', 3_600_000],
      ['1440m', 86_400_000],
      ['24h', 86_400_000],
    ] as const) {
      const c = rekorWith({ interval: text })();
      assert.equal(c.intervalMs, ms, text);
      assert.equal(c.interval, text);
    }
  });

  it('normalises the URL and removes trailing slashes', () => {
    for (const [given, want] of [
      ['https://Rekor.Sigstore.DEV/', 'https://rekor.sigstore.dev'],
      ['https://ctfe.sigstore.dev/2022/', 'https://ctfe.sigstore.dev/2022'],
      ['https://log2025-1.rekor.sigstore.dev/api/v2', 'https://log2025-1.rekor.sigstore.dev/api/v2'],
      ['https://example.com:8443/log//', 'https://example.com:8443/log'],
      ['http://localhost:8080/', 'http://localhost:8080'],
      ['http://127.0.0.1:3000/log', 'http://127.0.0.1:3000/log'],
      ['http://[::1]:9000', 'http://[::1]:9000'],
    ] as const) {
      assert.equal(rekorWith({ url: given })().url, want, given);
    }
  });

  it('takes the origin of a tile log from its verifier key name', () => {
    const c = parseLogConfig(TILES, 'logs[0]');
    assert.equal(c.origin, 'log2025-1.rekor.sigstore.dev');
    assert.equal(c.publicKey, V2_VKEY);
  });

  it('keeps an explicit origin', () => {
    assert.equal(tilesWith({ origin: 'something.else/log' })().origin, 'something.else/log');
  });

  it('accepts a PEM key for a tile log when the origin is given', () => {
    const c = tilesWith({ publicKey: V2_ED25519_PEM, origin: 'log2025-1.rekor.sigstore.dev' })();
    assert.equal(c.origin, 'log2025-1.rekor.sigstore.dev');
    const s = parseLogConfig(
      {
        name: 'rome2024h1',
        type: 'static-ct',
        url: 'https://rome.ct.filippo.io/2024h1/',
        publicKey: pem(rome.publicKeyDERBase64),
        origin: 'rome.ct.filippo.io/2024h1',
      },
      'logs[1]',
    );
    assert.equal(s.url, 'https://rome.ct.filippo.io/2024h1');
  });

  it('accepts real verifier keys from the vectors as tile log keys', () => {
    const vkeys: { vkey: string; valid: boolean }[] = [
      ...readVector('note/golang-mod-sumdb-note.json').vkeys,
      ...readVector('note/vkey-ecdsa-parsing.json').cases,
      { vkey: readVector('note/c2sp-signed-note-example.json').vkey, valid: true },
      { vkey: tileKeys['log2025-alpha3.rekor.sigstage.dev (staging)'].vkey, valid: true },
    ];
    let accepted = 0;
    for (const { vkey, valid } of vkeys) {
      const run = tilesWith({ publicKey: vkey });
      if (valid) {
        assert.equal(run().origin, vkey.slice(0, vkey.indexOf('+')), vkey);
        accepted++;
      } else assertConfigIssue(run, 'logs[0] ("rekor-v2").publicKey', 'verifier key');
    }
    assert.equal(accepted, 6);
    assert.equal(vkeys.length, 13);
  });

  it('accepts witness cosignature keys and minWitnesses', () => {
    assert.equal(WITNESS_VKEYS.length, 8);
    const c = tilesWith({ witnesses: WITNESS_VKEYS, minWitnesses: 2 })();
    assert.deepEqual(c.witnesses, WITNESS_VKEYS);
    assert.equal(c.minWitnesses, 2);
    assert.equal(tilesWith({ witnesses: [NAVIGLI], minWitnesses: 1 })().minWitnesses, 1);
    assert.equal(tilesWith({ witnesses: [], minWitnesses: 0 })().minWitnesses, 0);
    // Ed25519 (type 0x01) verifier keys are witness keys too.
    const peter: string = readVector('note/golang-mod-sumdb-note.json').vkeys[0].vkey;
    assert.deepEqual(tilesWith({ witnesses: [peter] })().witnesses, [peter]);
  });

  it('accepts a per-log timeout', () => {
    assert.equal(rekorWith({ timeoutMs: 5000 })().timeoutMs, 5000);
  });

  it('round-trips through JSON, with or without the derived intervalMs', () => {
    const c = tilesWith({ witnesses: WITNESS_VKEYS.slice(0, 3), minWitnesses: 1, timeoutMs: 2000 })();
    assert.deepEqual(parseLogConfig(JSON.parse(JSON.stringify(c)), 'LOG_CONFIG'), c);
    const plain = logConfigToJson(c);
    assert.equal('intervalMs' in plain, false);
    assert.deepEqual(parseLogConfig(JSON.parse(JSON.stringify(plain)), 'LOG_CONFIG'), c);
  });
});

describe('parseLogConfig: every rule names the log and the field', () => {
  it('rejects a non-object entry', () => {
    for (const raw of [null, 'rekor', [REKOR], 42]) {
      assertConfigIssue(() => parseLogConfig(raw, 'logs[4]'), 'logs[4]', 'must be a JSON object');
    }
  });

  it('name: required, and safe for file names, DynamoDB keys, dimensions and Lambda names', () => {
    assertConfigIssue(rekorWith({ name: undefined }), 'logs[2].name', 'is required');
    for (const bad of ['', '-rekor', '.hidden', 'rekor/prod', 'rekor prod', 'a'.repeat(65), 'rékor', 7]) {
      assertConfigIssue(rekorWith({ name: bad }), 'logs[2].name', 'must be 1 to 64 letters');
    }
    assert.equal(rekorWith({ name: 'a'.repeat(64) })().name.length, 64);
    assert.equal(rekorWith({ name: 'Rekor_v1.prod-2' })().name, 'Rekor_v1.prod-2');
  });

  it('other fields of an entry with a bad name are named by position only', () => {
    assertConfigIssue(rekorWith({ name: 'bad name', url: 'ftp://x' }), 'logs[2].url', 'https://');
  });

  it('unknown fields are rejected, with a suggestion and the known fields', () => {
    assertConfigIssue(
      rekorWith({ publicKey: undefined, publickey: REKOR_PEM }),
      'logs[2] ("rekor").publickey',
      'unknown field',
      'did you mean "publicKey"?',
      'known fields: name, type, url, publicKey, origin, interval, witnesses, minWitnesses, timeoutMs, trustedHead',
    );
    assertConfigIssue(
      rekorWith({ intervall: '1m' }),
      'logs[2] ("rekor").intervall',
      'did you mean "interval"?',
    );
    const issues = assertConfigIssue(
      rekorWith({ colour: 'blue' }),
      'logs[2] ("rekor").colour',
      'known fields:',
    );
    assert.ok(!issues.some((i) => i.includes('did you mean')), 'no far-fetched suggestion');
  });

  it('type: one of rekor-v1, ct, tiles, static-ct', () => {
    assertConfigIssue(
      rekorWith({ type: 'rekor' }),
      'logs[2] ("rekor").type',
      'must be one of rekor-v1, ct, tiles, static-ct, got "rekor"',
    );
    assertConfigIssue(rekorWith({ type: undefined }), 'logs[2] ("rekor").type', 'is required');
  });

  it('url: the message of the design brief', () => {
    const issues = assertConfigIssue(rekorWith({ url: 'ftp://x' }), 'logs[2] ("rekor").url');
    assert.ok(
      issues.includes(
        'logs[2] ("rekor").url: must be an https:// URL (http is allowed only for loopback hosts), got "ftp://x"',
      ),
      issues.join('\n'),
    );
  });

  it('url: https unless loopback, absolute, no credentials, query, fragment or whitespace', () => {
    const at = 'logs[2] ("rekor").url';
    for (const bad of ['http://rekor.sigstore.dev', 'http://10.0.0.1/', 'http://localhost.example.com', 42]) {
      assertConfigIssue(rekorWith({ url: bad }), at, 'http is allowed only for loopback hosts');
    }
    assertConfigIssue(rekorWith({ url: '/api/v1' }), at, 'not an absolute URL');
    assertConfigIssue(rekorWith({ url: 'https://user:pw@rekor.sigstore.dev' }), at, 'credentials');
    assertConfigIssue(rekorWith({ url: 'https://@rekor.sigstore.dev' }), at, 'credentials');
    assertConfigIssue(rekorWith({ url: 'https://rekor.sigstore.dev/?treeID=1' }), at, 'query');
    assertConfigIssue(rekorWith({ url: 'https://rekor.sigstore.dev/?' }), at, 'query');
    assertConfigIssue(rekorWith({ url: 'https://rekor.sigstore.dev/#top' }), at, 'fragment');
    assertConfigIssue(rekorWith({ url: ' https://rekor.sigstore.dev' }), at, 'whitespace');
    assertConfigIssue(rekorWith({ url: 'https://rekor.sig\nstore.dev' }), at, 'whitespace');
    assertConfigIssue(rekorWith({ url: undefined }), at, 'is required');
  });

  it('publicKey: must parse as PEM or a verifier key', () => {
    const at = 'logs[2] ("rekor").publicKey';
    assertConfigIssue(rekorWith({ publicKey: undefined }), at, 'is required');
    assertConfigIssue(rekorWith({ publicKey: 12 }), at, 'must be a string');
    assertConfigIssue(
      rekorWith({ publicKey: REKOR_PEM.replace('MFkw', 'MFkx') }),
      at,
      'not a usable PEM public key',
    );
    assertConfigIssue(
      rekorWith({ publicKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }),
      at,
      'private key',
    );
    assertConfigIssue(
      tilesWith({ publicKey: 'not a key' }),
      'logs[0] ("rekor-v2").publicKey',
      'verifier key',
    );
    assertConfigIssue(
      tilesWith({ publicKey: V2_VKEY.replace('+cf119915+', '+cf119916+') }),
      'logs[0] ("rekor-v2").publicKey',
      'key ID',
    );
  });

  it('publicKey: rekor-v1 and ct need PEM; ct needs P-256', () => {
    assertConfigIssue(
      rekorWith({ publicKey: REKOR_VKEY }),
      'logs[2] ("rekor").publicKey',
      'rekor-v1 logs need a PEM public key',
    );
    const ct = { name: 'ctfe', type: 'ct', url: 'https://ctfe.sigstore.dev/2022' };
    assertConfigIssue(
      () => parseLogConfig({ ...ct, publicKey: REKOR_VKEY }, 'logs[1]'),
      'logs[1] ("ctfe").publicKey',
      'ct logs need a PEM public key',
    );
    assertConfigIssue(
      () => parseLogConfig({ ...ct, publicKey: V2_ED25519_PEM }, 'logs[1]'),
      'logs[1] ("ctfe").publicKey',
      'ECDSA P-256',
      'ed25519',
    );
  });

  it('origin: required for tile logs with a PEM key, refused for ct, one clean line', () => {
    assertConfigIssue(
      tilesWith({ publicKey: V2_ED25519_PEM }),
      'logs[0] ("rekor-v2").origin',
      'is required for tiles logs when publicKey is PEM',
    );
    assertConfigIssue(
      () =>
        parseLogConfig(
          {
            name: 'rome',
            type: 'static-ct',
            url: 'https://rome.ct.filippo.io/2024h1',
            publicKey: pem(rome.publicKeyDERBase64),
          },
          'logs[3]',
        ),
      'logs[3] ("rome").origin',
      'is required for static-ct logs',
    );
    assertConfigIssue(
      () =>
        parseLogConfig(
          {
            name: 'ctfe',
            type: 'ct',
            url: 'https://ctfe.sigstore.dev/2022',
            publicKey: REKOR_PEM,
            origin: 'x',
          },
          'logs[1]',
        ),
      'logs[1] ("ctfe").origin',
      'ct logs have no checkpoint origin',
    );
    for (const bad of ['', ' padded', 'two\nlines', 5]) {
      assertConfigIssue(tilesWith({ origin: bad }), 'logs[0] ("rekor-v2").origin', "checkpoint's first line");
    }
    // rekor-v1 may pin an origin.
    assert.equal(rekorWith({ origin: 'rekor.sigstore.dev - 1193050959916656506' })().origin?.length, 40);
  });

  it('interval: <n>s|m|h, at least 10s, at most 24h', () => {
    const at = 'logs[2] ("rekor").interval';
    assertConfigIssue(rekorWith({ interval: '5s' }), at, 'must be at least 10s', 'got "5s"');
    assertConfigIssue(rekorWith({ interval: '9s' }), at, 'minimum');
    assertConfigIssue(rekorWith({ interval: '25h' }), at, 'must be at most 24h');
    assertConfigIssue(rekorWith({ interval: '1441m' }), at, 'at most 24h');
    for (const bad of ['1d', '1.5m', '0m', '01m', 'm', '5 m', '5M', 60, '']) {
      assertConfigIssue(rekorWith({ interval: bad }), at, 'like "30s", "5m" or "1h"');
    }
  });

  it('intervalMs: only as the echo of interval', () => {
    assertConfigIssue(
      rekorWith({ intervalMs: 1000 }),
      'logs[2] ("rekor").intervalMs',
      'derived from interval',
    );
    assert.equal(rekorWith({ intervalMs: 60_000 })().intervalMs, 60_000);
  });

  it('witnesses: tile logs only, an array of distinct verifier keys', () => {
    assertConfigIssue(
      rekorWith({ witnesses: WITNESS_VKEYS }),
      'logs[2] ("rekor").witnesses',
      'only tiles and static-ct logs',
    );
    assertConfigIssue(
      tilesWith({ witnesses: NAVIGLI }),
      'logs[0] ("rekor-v2").witnesses',
      'must be an array',
    );
    assertConfigIssue(
      tilesWith({ witnesses: [NAVIGLI, 'nonsense'] }),
      'logs[0] ("rekor-v2").witnesses[1]',
      'verifier key',
    );
    assertConfigIssue(
      tilesWith({ witnesses: [REKOR_PEM] }),
      'logs[0] ("rekor-v2").witnesses[0]',
      'witness verifier key string',
    );
    assertConfigIssue(
      tilesWith({ witnesses: [NAVIGLI.replace('+a3e00fe2+', '+a3e00fe3+')] }),
      'logs[0] ("rekor-v2").witnesses[0]',
      'key ID',
    );
    assertConfigIssue(
      tilesWith({ witnesses: [NAVIGLI, WITNESS_VKEYS[0], NAVIGLI] }),
      'logs[0] ("rekor-v2").witnesses[2]',
      'duplicates witnesses[0]',
    );
    // One key under a second name: a cosignature does not name its witness, so it would count twice.
    const b64 = NAVIGLI.slice(NAVIGLI.indexOf('+', NAVIGLI.indexOf('+') + 1) + 1);
    const key = fromBase64(b64).subarray(1);
    const renamed = `other.witness+${toHex(c2spKeyHash('other.witness', fromBase64(b64)[0] as number, key))}+${b64}`;
    assertConfigIssue(
      tilesWith({ witnesses: [NAVIGLI, renamed] }),
      'logs[0] ("rekor-v2").witnesses[1]',
      'same public key',
    );
  });

  it("witnesses: none may be the log itself, by name or by the log's own key under another name", () => {
    const at = 'logs[0] ("rekor-v2").witnesses';
    const b64 = V2_VKEY.slice(V2_VKEY.indexOf('+', V2_VKEY.indexOf('+') + 1) + 1);
    const raw = fromBase64(b64).subarray(1);
    const disguised = `witness.example+${toHex(c2spKeyHash('witness.example', 0x04, raw))}+${Buffer.concat([Uint8Array.of(0x04), raw]).toString('base64')}`;
    assertConfigIssue(
      tilesWith({ witnesses: [NAVIGLI, disguised] }),
      at,
      "the log's own key",
      'cannot witness itself',
    );
    // The same with the log key configured as PEM (Ed25519) and the origin given.
    assertConfigIssue(
      tilesWith({
        publicKey: V2_ED25519_PEM,
        origin: 'log2025-1.rekor.sigstore.dev',
        witnesses: [disguised],
      }),
      at,
      'cannot witness itself',
    );
  });

  it('minWitnesses: a whole number from 0 to the number of witnesses', () => {
    const at = 'logs[0] ("rekor-v2").minWitnesses';
    assertConfigIssue(
      tilesWith({ witnesses: WITNESS_VKEYS.slice(0, 2), minWitnesses: 3 }),
      at,
      'from 0 to 2',
    );
    assertConfigIssue(
      tilesWith({ witnesses: WITNESS_VKEYS.slice(0, 2), minWitnesses: -1 }),
      at,
      'from 0 to 2',
    );
    assertConfigIssue(
      tilesWith({ witnesses: WITNESS_VKEYS.slice(0, 2), minWitnesses: 1.5 }),
      at,
      'whole number',
    );
    assertConfigIssue(tilesWith({ minWitnesses: 1 }), at, 'from 0 to 0');
    assertConfigIssue(rekorWith({ minWitnesses: 0 }), 'logs[2] ("rekor").minWitnesses', 'only tiles');
  });

  it('trustedHead: the signed head text, kept as given', () => {
    const head = 'rekor.test - 1\n5\nAAAA\n\n— rekor.test AAAA\n';
    assert.equal(rekorWith({ trustedHead: head })().trustedHead, head);
    for (const bad of [42, '', 'x'.repeat(20_000)]) {
      assertConfigIssue(rekorWith({ trustedHead: bad }), 'logs[2] ("rekor").trustedHead', 'signed head');
    }
  });

  it('timeoutMs: whole milliseconds from 100 to 600000', () => {
    for (const bad of [0, 99, 600_001, 2.5, '10s']) {
      assertConfigIssue(rekorWith({ timeoutMs: bad }), 'logs[2] ("rekor").timeoutMs', 'from 100 to 600000');
    }
  });

  it('reports every problem of an entry at once', () => {
    let error: unknown;
    try {
      rekorWith({ url: 'http://x', interval: '1s', publickey: 'x', timeoutMs: -1 })();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof TlogError);
    const issues = error.details?.issues as string[];
    assert.deepEqual(
      issues.map((i) => i.slice(0, i.indexOf(':'))),
      [
        'logs[2] ("rekor").publickey',
        'logs[2] ("rekor").url',
        'logs[2] ("rekor").interval',
        'logs[2] ("rekor").timeoutMs',
      ],
    );
    assert.match(error.message, /4 problems/);
  });
});
