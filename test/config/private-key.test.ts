/**
 * A private key configured by mistake as a log's `publicKey` or as a witness is named as a
 * private key, and no part of it is shown: not in the config error, not on the CLI's stderr.
 * Keys are generated here with node:crypto.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLogConfig } from '../../lib/config/log-config.ts';
import { isTlogError } from '../../lib/errors.ts';
import { main } from '../../lib/local/cli.ts';

/** Every private key form a user might paste: PKCS#8, SEC1, PKCS#1, and a C2SP note signer key. */
function privateKeys(): Array<{ label: string; text: string }> {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ed25519 = generateKeyPairSync('ed25519').privateKey;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const seed = ed25519.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return [
    { label: 'P-256 PKCS#8', text: p256.export({ format: 'pem', type: 'pkcs8' }) as string },
    { label: 'P-256 SEC1', text: p256.export({ format: 'pem', type: 'sec1' }) as string },
    { label: 'Ed25519 PKCS#8', text: ed25519.export({ format: 'pem', type: 'pkcs8' }) as string },
    { label: 'RSA PKCS#8', text: rsa.export({ format: 'pem', type: 'pkcs8' }) as string },
    { label: 'RSA PKCS#1', text: rsa.export({ format: 'pem', type: 'pkcs1' }) as string },
    {
      label: 'Ed25519 note signer key',
      text: `PRIVATE+KEY+log.example+0a1b2c3d+${Buffer.concat([Buffer.of(1), seed]).toString('base64')}`,
    },
  ];
}

/** Every 8-character piece of the key's secret text: none may appear in what is shown. */
function secretPieces(text: string): string[] {
  const body = text
    .split('\n')
    .filter((l) => !l.startsWith('-----'))
    .join('')
    .replace(/^PRIVATE\+KEY\+log\.example\+0a1b2c3d\+/, '');
  const pieces: string[] = [];
  for (let i = 0; i + 8 <= body.length; i++) pieces.push(body.slice(i, i + 8));
  return pieces;
}

function assertNothingShown(shown: string, key: { label: string; text: string }): void {
  assert.match(shown, /private key/i, `${key.label}: the message names it as a private key:\n${shown}`);
  // Whatever escaping a preview applies, line breaks become '?' or '\n': compare without them.
  const flat = shown.replace(/\\n|\?/g, '');
  const leaked = secretPieces(key.text).find((p) => flat.includes(p));
  assert.equal(leaked, undefined, `${key.label}: part of the private key is shown:\n${shown}`);
}

function configError(entry: Record<string, unknown>): string {
  try {
    parseLogConfig(entry, 'logs[0]');
  } catch (e) {
    assert.ok(isTlogError(e, 'config/invalid'), String(e));
    return e.message;
  }
  assert.fail('expected config/invalid');
}

describe('a private key configured by mistake', () => {
  for (const key of privateKeys()) {
    it(`${key.label}: as a rekor-v1 publicKey, named and not shown`, () => {
      const shown = configError({
        name: 'rekor',
        type: 'rekor-v1',
        url: 'https://rekor.example',
        publicKey: key.text,
      });
      assertNothingShown(shown, key);
    });

    it(`${key.label}: as a tile log's publicKey or witness, named and not shown`, () => {
      const tiles = { name: 't', type: 'tiles', url: 'https://t.example/api', origin: 't.example/log' };
      assertNothingShown(configError({ ...tiles, publicKey: key.text }), key);
      const vkey = 'log.example+01234567+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=';
      assertNothingShown(configError({ ...tiles, publicKey: vkey, witnesses: [key.text] }), key);
    });
  }

  it('on the CLI (--public-key FILE): stderr names it as a private key and shows none of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlog-private-key-'));
    for (const key of privateKeys()) {
      const file = join(dir, 'key.pem');
      await writeFile(file, key.text);
      const err: string[] = [];
      const code = await main(
        [
          'check',
          '--type',
          'rekor-v1',
          '--url',
          'https://rekor.example',
          '--public-key',
          file,
          '--state',
          join(dir, 'state.json'),
        ],
        { out: () => {}, err: (l) => err.push(l) },
      );
      assert.equal(code, 2);
      assertNothingShown(err.join('\n'), key);
    }
  });
});
