/**
 * Built-in presets for Sigstore's public logs. The keys are pinned facts, copied as data from the
 * test vectors in test/vectors, which cite sigstore/root-signing; test/config/presets.test.ts
 * compares them with those files, so a changed byte fails the tests.
 *
 * A config file names a preset as `{ "preset": "sigstore-rekor" }`, optionally with overrides
 * (see PRESET_OVERRIDABLE_FIELDS).
 */
import type { LogType } from '../logs/log-client.ts';
import { DEFAULT_INTERVAL } from './interval.ts';

export interface PresetEntry {
  readonly name: string;
  readonly type: LogType;
  readonly url: string;
  readonly publicKey: string;
  readonly interval: string;
  /** What the log is, for listings and documentation. */
  readonly description: string;
}

/** The fields a `{ "preset": ... }` entry may set. The log's url, type and key stay pinned. */
export const PRESET_OVERRIDABLE_FIELDS = ['name', 'interval', 'timeoutMs', 'identities'] as const;

export const PRESETS = {
  // Production Rekor v1. Key: test/vectors/rekor/rekor.sigstore.dev.pub.pem, byte for byte, an
  // exact copy of sigstore/root-signing targets/rekor.pub (commit 60cf2ce8); the same DER is
  // `production["rekor.sigstore.dev (Rekor v1)"].publicKeyDERBase64` in test/vectors/rekor/keys.json.
  // LogID (SHA-256 of the DER) wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=.
  'sigstore-rekor': {
    name: 'sigstore-rekor',
    type: 'rekor-v1',
    url: 'https://rekor.sigstore.dev',
    publicKey:
      '-----BEGIN PUBLIC KEY-----\n' +
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwr\n' +
      'kBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==\n' +
      '-----END PUBLIC KEY-----\n',
    interval: DEFAULT_INTERVAL,
    description: 'Sigstore production Rekor v1 transparency log',
  },
  // Sigstore's CT log for Fulcio certificates. Key: test/vectors/ct/sigstore-ctlogs.json,
  // `logs[0].publicKeyDERBase64` (baseUrl https://ctfe.sigstore.dev/2022), from sigstore/root-signing
  // targets/trusted_root.json (commit 36800755), wrapped here as PEM.
  // LogID 3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=.
  'sigstore-ctfe-2022': {
    name: 'sigstore-ctfe-2022',
    type: 'ct',
    url: 'https://ctfe.sigstore.dev/2022',
    publicKey:
      '-----BEGIN PUBLIC KEY-----\n' +
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiPSlFi0CmFTfEjCUqF9HuCEcYXNK\n' +
      'AaYalIJmBZ8yyezPjTqhxrKBpMnaocVtLJBI1eM3uXnQzQGAJdJ4gs9Fyw==\n' +
      '-----END PUBLIC KEY-----\n',
    interval: DEFAULT_INTERVAL,
    description: 'Sigstore public CT log for Fulcio certificates (2022 shard, current)',
  },
  // Sigstore's first CT log, still listed in the public-good trusted root but no longer issued to
  // (Fulcio moved to /2022). A frozen log must never change, so it is worth watching, but it is
  // not in the default config. Key: test/vectors/ct/sigstore-ctlogs.json,
  // `logs[1].publicKeyDERBase64` (baseUrl https://ctfe.sigstore.dev/test), from
  // sigstore/root-signing targets/trusted_root.json (commit 36800755), wrapped here as PEM.
  // LogID CGCS8ChS/2hF0dFrJ4ScRWcYrBY9wzjSbea8IgY2b3I=.
  'sigstore-ctfe-test': {
    name: 'sigstore-ctfe-test',
    type: 'ct',
    url: 'https://ctfe.sigstore.dev/test',
    publicKey:
      '-----BEGIN PUBLIC KEY-----\n' +
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEbfwR+RJudXscgRBRpKX1XFDy3Pyu\n' +
      'dDxz/SfnRi1fT8ekpfBd2O1uoz7jr3Z8nKzxA69EUQ+eFCFI3zeubPWU7w==\n' +
      '-----END PUBLIC KEY-----\n',
    interval: DEFAULT_INTERVAL,
    description: 'Sigstore original CT log (retired from issuance; frozen)',
  },
  // Production Rekor v2 (C2SP tlog-tiles), shard log2025-1. Key: test/vectors/tiles/
  // rekor-v2-checkpoints.json `keys["log2025-1.rekor.sigstore.dev (production)"].vkey` (from
  // transparency-dev/witness omniwitness/logs.yaml; its log ID is in sigstore/root-signing
  // targets/trusted_root.json). The key name is the checkpoint origin. The /api/v2 read prefix is
  // from sigstore/rekor-tiles docs and must be confirmed against the live service.
  'sigstore-rekor-v2-log2025-1': {
    name: 'sigstore-rekor-v2-log2025-1',
    type: 'tiles',
    url: 'https://log2025-1.rekor.sigstore.dev/api/v2',
    publicKey: 'log2025-1.rekor.sigstore.dev+cf119915+AbfK5adZJxsI323FwGD2AJJ9F4i89cfDuLdGJBIYntuO',
    interval: DEFAULT_INTERVAL,
    description: 'Sigstore production Rekor v2 (tlog-tiles), shard log2025-1',
  },
} as const satisfies Readonly<Record<string, PresetEntry>>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function getPreset(name: string): PresetEntry | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name as PresetName] : undefined;
}
