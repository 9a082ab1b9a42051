import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64 } from '../../lib/bytes.ts';
import { parseLogConfig } from '../../lib/config/log-config.ts';
import { getPreset, PRESET_NAMES, PRESETS } from '../../lib/config/presets.ts';
import { keyId, parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector, readVectorText } from '../support/vectors.ts';

const rekorProduction = readVector('rekor/keys.json').production['rekor.sigstore.dev (Rekor v1)'];
const sigstoreCtLogs: { baseUrl: string; publicKeyDERBase64: string; logIdBase64: string }[] =
  readVector('ct/sigstore-ctlogs.json').logs;

describe('presets', () => {
  it('has the Sigstore Rekor and CT presets', () => {
    assert.ok(PRESET_NAMES.includes('sigstore-rekor'));
    assert.ok(PRESET_NAMES.includes('sigstore-ctfe-2022'));
  });

  it('every preset is a valid log entry with a 5m interval and a key of its log type', () => {
    for (const name of PRESET_NAMES) {
      const { description, ...entry } = PRESETS[name];
      assert.ok(description.length > 0);
      const config = parseLogConfig(entry, `preset ${name}`);
      assert.equal(config.name, name);
      assert.equal(config.interval, '5m');
      assert.equal(config.intervalMs, 300_000);
      assert.equal(config.url, entry.url, 'preset URLs are already normalised');
      if (config.type === 'tiles') {
        // Tile logs are pinned by their C2SP verifier key, whose name is the checkpoint origin.
        assert.equal(parseVerifierKey(config.publicKey).name, config.origin);
      } else {
        assert.equal(parsePemPublicKey(config.publicKey).kind, 'p256');
      }
    }
  });

  it('the Rekor v2 preset pins the log2025-1 verifier key from the vectors', () => {
    const preset = PRESETS['sigstore-rekor-v2-log2025-1'];
    const keys = readVector('tiles/rekor-v2-checkpoints.json').keys;
    assert.equal(preset.publicKey, keys['log2025-1.rekor.sigstore.dev (production)'].vkey);
    assert.equal(preset.url, 'https://log2025-1.rekor.sigstore.dev/api/v2');
    const config = parseLogConfig((({ description: _, ...e }) => e)(preset), 'preset');
    assert.equal(config.origin, 'log2025-1.rekor.sigstore.dev');
  });

  it('sigstore-rekor pins the production Rekor v1 key from the vectors', () => {
    const preset = PRESETS['sigstore-rekor'];
    assert.equal(preset.type, 'rekor-v1');
    assert.equal(preset.url, 'https://rekor.sigstore.dev');
    assert.equal(preset.publicKey, readVectorText('rekor/rekor.sigstore.dev.pub.pem'));
    const key = parsePemPublicKey(preset.publicKey);
    assert.equal(toBase64(key.spki), rekorProduction.publicKeyDERBase64);
    assert.equal(toBase64(keyId(key)), rekorProduction.logIdKeyIdBase64);
    assert.equal(toBase64(keyId(key)), 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=');
  });

  it('every ct preset pins the key that sigstore-ctlogs.json gives for its URL', () => {
    const ctPresets = PRESET_NAMES.map((n) => PRESETS[n]).filter((p) => p.type === 'ct');
    assert.ok(ctPresets.length >= 1);
    for (const preset of ctPresets) {
      const log = sigstoreCtLogs.find((l) => l.baseUrl === preset.url);
      assert.ok(log, `${preset.url} is in ct/sigstore-ctlogs.json`);
      const key = parsePemPublicKey(preset.publicKey);
      assert.equal(toBase64(key.spki), log.publicKeyDERBase64, preset.name);
      assert.equal(toBase64(keyId(key)), log.logIdBase64, preset.name);
    }
    const ctfe2022 = PRESETS['sigstore-ctfe-2022'];
    assert.equal(ctfe2022.url, 'https://ctfe.sigstore.dev/2022');
    assert.equal(
      toBase64(keyId(parsePemPublicKey(ctfe2022.publicKey))),
      '3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=',
    );
  });

  it('looks presets up by own name only', () => {
    assert.equal(getPreset('sigstore-rekor'), PRESETS['sigstore-rekor']);
    for (const name of ['nope', 'toString', '__proto__', 'constructor', 'Sigstore-Rekor']) {
      assert.equal(getPreset(name), undefined, name);
    }
  });
});
