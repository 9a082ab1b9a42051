/**
 * A trusted root that cannot be used is refused when the configuration is read, naming the file,
 * the entry and the field: never a monitor that quietly checks fewer logs than listed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandTrustedRoot } from '../../lib/trust/expand.ts';
import { parseSigningConfigApis } from '../../lib/trust/signing-config.ts';
import { parseTrustedRoot } from '../../lib/trust/trusted-root.ts';
import { readVector, readVectorText } from '../support/vectors.ts';

const PUBLIC = readVectorText('trust/sigstore-public-trusted_root.json');

/** The public root with one change applied to a parsed copy. */
function changed(edit: (root: ReturnType<typeof readVector>) => void): string {
  const root = readVector('trust/sigstore-public-trusted_root.json');
  edit(root);
  return JSON.stringify(root);
}

test('the real public root parses: 2 tlogs, 2 ctlogs, keys and validity', () => {
  const root = parseTrustedRoot(PUBLIC, 'tr.json');
  assert.deepEqual(
    root.tlogs.map((t) => [t.baseUrl, t.key.kind, t.validFor.end ?? null]),
    [
      ['https://rekor.sigstore.dev', 'p256', null],
      ['https://log2025-1.rekor.sigstore.dev', 'ed25519', null],
    ],
  );
  assert.deepEqual(
    root.ctlogs.map((t) => [t.baseUrl, t.validFor.end ?? null]),
    [
      ['https://ctfe.sigstore.dev/test', '2022-10-31T23:59:59.999Z'],
      ['https://ctfe.sigstore.dev/2022', null],
    ],
  );
});

const cases: Array<[string, (r: ReturnType<typeof readVector>) => void, RegExp]> = [
  [
    'media type',
    (r) => (r.mediaType = 'application/json'),
    /tr\.json: mediaType: must be a Sigstore trusted root/,
  ],
  ['hash', (r) => (r.tlogs[0].hashAlgorithm = 'SHA2_384'), /tlogs\[0\]\.hashAlgorithm: must be "SHA2_256"/],
  [
    'key type',
    (r) => (r.ctlogs[1].publicKey.keyDetails = 'PKIX_RSA_PKCS1V15_2048_SHA256'),
    /ctlogs\[1\]\.publicKey\.keyDetails: must be one of .* \(exclude this log otherwise\)/,
  ],
  [
    'details that contradict the key',
    (r) => (r.tlogs[1].publicKey.keyDetails = 'PKIX_ECDSA_P256_SHA_256'),
    /tlogs\[1\]\.publicKey\.keyDetails: says PKIX_ECDSA_P256_SHA_256 but rawBytes holds an ed25519 key/,
  ],
  [
    'key bytes',
    (r) => (r.tlogs[0].publicKey.rawBytes = 'AAAA'),
    /tlogs\[0\]\.publicKey\.rawBytes: not a usable DER public key/,
  ],
  [
    'validity',
    (r) => (r.ctlogs[0].publicKey.validFor.end = 'yesterday'),
    /ctlogs\[0\]\.publicKey\.validFor\.end: must be an RFC 3339/,
  ],
  [
    'log ID',
    (r) => (r.tlogs[0].logId.keyId = 'AAAA'),
    /tlogs\[0\]\.logId\.keyId: must be a base64 32-byte log ID/,
  ],
  [
    'URL',
    (r) => (r.ctlogs[0].baseUrl = 'http://ctfe.sigstore.dev/test'),
    /ctlogs\[0\]\.baseUrl: must be an https:\/\/ URL/,
  ],
  [
    'nothing to monitor',
    (r) => {
      r.tlogs = [];
      r.ctlogs = [];
    },
    /lists no transparency logs/,
  ],
];
for (const [what, edit, expected] of cases) {
  test(`refused: ${what}`, () => {
    assert.throws(() => parseTrustedRoot(changed(edit), 'tr.json'), expected);
  });
}

test('a log ID that is not the hash of its key is refused when the root is expanded', () => {
  const wrongId = changed((r) => (r.tlogs[0].logId.keyId = r.ctlogs[1].logId.keyId));
  assert.throws(
    () => expandTrustedRoot(parseTrustedRoot(wrongId, 'tr.json'), { nowMs: 0, where: 'tr.json' }),
    /"rekor\.sigstore\.dev".*tlogs\[0\]\.logId\.keyId: must be SHA-256 of the key, wNI9atQG.*got 3T0wasbH/,
  );
});

test('signing config: Rekor major version by URL; mistakes named', () => {
  const apis = parseSigningConfigApis(
    JSON.stringify({
      rekorTlogUrls: [
        { url: 'https://rekor.example/', majorApiVersion: 1 },
        { url: 'https://log2026-1.rekor.example', majorApiVersion: 2 },
      ],
    }),
    'sc.json',
  );
  assert.deepEqual(
    [...apis],
    [
      ['https://rekor.example', 1],
      ['https://log2026-1.rekor.example', 2],
    ],
  );
  assert.throws(
    () =>
      parseSigningConfigApis(
        JSON.stringify({ rekorTlogUrls: [{ url: 'https://r.example', majorApiVersion: 3 }] }),
        'sc.json',
      ),
    /sc\.json: rekorTlogUrls\[0\]\.majorApiVersion: must be 1 or 2, got number 3/,
  );
  assert.throws(() => parseSigningConfigApis('{}', 'sc.json'), /rekorTlogUrls: must be an array/);
});
