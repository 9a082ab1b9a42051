/**
 * Checkpoint signatures of tile logs against real vectors (test/vectors/tiles, note/):
 * Rekor v2 (Ed25519), Sunlight rome2024h1 (RFC6962NoteSignature, type 0x05) and real witness
 * cosignatures (cosignature/v1, type 0x04), positives and negatives, through the tile client's
 * head verification (signature, origin, witness policy).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual, fromBase64, toHex } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import type { HttpClient } from '../../lib/http/ports.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import { statusForError } from '../../lib/monitor/classify-error.ts';
import { verifyCheckpoint } from '../../lib/note/checkpoint.ts';
import { cosignatureV1Verifier } from '../../lib/note/cosignature-verifier.ts';
import { rfc6962NoteVerifier } from '../../lib/note/rfc6962-verifier.ts';
import { verifyNote } from '../../lib/note/verify-note.ts';
import { parseRfc6962VerifierKey, parseWitnessVerifierKey } from '../../lib/note/vkey.ts';
import { readVector } from '../support/vectors.ts';

const noHttp: HttpClient = {
  get: async () => {
    throw new Error('no network in this test');
  },
};
const code = (c: string) => (e: unknown) => isTlogError(e) && e.code === c;
const badSignature = (e: unknown) => statusForError(e) === 'bad-signature';
const pem = (derB64: string) =>
  `-----BEGIN PUBLIC KEY-----\n${derB64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;

function client(
  type: 'tiles' | 'static-ct',
  publicKey: string,
  origin: string,
  witnesses?: string[],
  minWitnesses?: number,
) {
  return tileLogClient({
    type,
    url: 'https://log.invalid',
    origin,
    verifiers: [tileLogVerifier(type, publicKey, origin)],
    http: noHttp,
    ...(witnesses ? { witnesses } : {}),
    ...(minWitnesses !== undefined ? { minWitnesses } : {}),
  });
}

describe('static-ct-api: Sunlight rome2024h1 (RFC6962NoteSignature, type 0x05)', () => {
  const rome = readVector('tiles/static-ct-rome2024h1.json');
  const ORIGIN = 'rome.ct.filippo.io/2024h1';

  it('the 0x05 vkey parses, and its key ID is SHA-256(name ‖ 0x0A ‖ 0x05 ‖ LogID)[:4]', () => {
    const v = parseRfc6962VerifierKey(rome.vkey);
    assert.equal(v.name, ORIGIN);
    assert.equal(toHex(v.keyHash), '78f4abae');
    const fromPem = rfc6962NoteVerifier(ORIGIN, parsePemPublicKey(pem(rome.publicKeyDERBase64)));
    assert.ok(bytesEqual(fromPem.keyHash, v.keyHash));
  });

  it('the real checkpoint verifies (vkey and PEM), with the signed timestamp', () => {
    for (const key of [rome.vkey, pem(rome.publicKeyDERBase64)]) {
      const head = client('static-ct', key, ORIGIN).verifyStoredHead(rome.checkpoint);
      assert.equal(head.size, 115474666n);
      assert.equal(head.timestamp, 1711519390034n);
      assert.equal(head.origin, ORIGIN);
    }
  });

  it('the B0rked copy (origin line altered, signature intact) is a bad signature', () => {
    const c = client('static-ct', rome.vkey, ORIGIN);
    assert.throws(() => c.verifyStoredHead(rome.negative.checkpoint), code('note/bad-signature'));
    // Even without an origin pin the verifier refuses: the TreeHeadSignature does not cover the origin.
    assert.throws(
      () => verifyNote(rome.negative.checkpoint, [parseRfc6962VerifierKey(rome.vkey)]),
      badSignature,
    );
  });

  it('a changed size, root, timestamp or an added extension line fails', () => {
    const v = parseRfc6962VerifierKey(rome.vkey);
    const cp: string = rome.checkpoint;
    const variants = [
      cp.replace('\n115474666\n', '\n115474667\n'),
      cp.replace('2q1K6aiIJR', '2q1K6aiIJS'),
      cp.replace(
        `${ORIGIN}\n115474666\n2q1K6aiIJR+F7TyhiWOghoWOjY0/3dVBLsBbAvB4xCw=\n`,
        `${ORIGIN}\n115474666\n2q1K6aiIJR+F7TyhiWOghoWOjY0/3dVBLsBbAvB4xCw=\nextra\n`,
      ),
      cp.replace('ePSrrgAAAY5+gVlS', 'ePSrrgAAAY5+gVlT'),
    ];
    for (const text of variants) {
      assert.notEqual(text, cp);
      assert.throws(() => verifyNote(text, [v]), badSignature, text);
    }
  });

  it('the related Argon2024 0x05 vkey parses but does not verify Rome', () => {
    const argon = parseRfc6962VerifierKey(rome.relatedVkeyArgon2024);
    assert.equal(toHex(argon.keyHash), '7deb49d0');
    assert.throws(() => verifyNote(rome.checkpoint, [argon]), code('note/no-verified-signature'));
  });

  it('a 0x05 vkey with a wrong key ID or a non-0x05 type is refused', () => {
    assert.throws(
      () => parseRfc6962VerifierKey(rome.vkey.replace('+78f4abae+', '+78f4abaf+')),
      code('key/malformed'),
    );
    assert.throws(
      () => parseRfc6962VerifierKey('example.com/foo+530d903a+AUcExampleKeyIsNotHereAAAAAAAAAAAAAAAAAAAAAAA'),
      (e) => isTlogError(e, 'key/'),
    );
  });
});

describe('Rekor v2 checkpoints (Ed25519, tiles)', () => {
  const v = readVector('tiles/rekor-v2-checkpoints.json');
  const keys: { logIdKeyIdBase64: string; publicKeyDERBase64: string; keyDetails: string }[] =
    readVector('rekor/keys.json').allTransparencyLogKeysFound;
  const PROD = 'log2025-1.rekor.sigstore.dev';
  const prodVkey: string = v.keys[`${PROD} (production)`].vkey;

  it('the 3 production checkpoints verify with the published vkey and with the PEM key', () => {
    const prod = v.entries.filter((e: { origin: string }) => e.origin === PROD);
    assert.equal(prod.length, 3);
    const pemKey = pem(
      (
        keys.find((k) => k.logIdKeyIdBase64 === v.keys[`${PROD} (production)`].trustedRootLogIdBase64) ?? {
          publicKeyDERBase64: '',
        }
      ).publicKeyDERBase64,
    );
    for (const e of prod) {
      for (const key of [prodVkey, pemKey]) {
        const head = client('tiles', key, PROD).verifyStoredHead(e.checkpoint);
        assert.equal(head.size, BigInt(e.inclusionProof.treeSize));
        assert.ok(bytesEqual(head.rootHash, fromBase64(e.inclusionProof.rootHash)));
      }
    }
  });

  it('all 18 entries verify with their log key as PEM Ed25519 (witness and foreign lines ignored)', () => {
    let n = 0;
    for (const e of v.entries) {
      const k = keys.find((x) => x.logIdKeyIdBase64 === e.logId);
      assert.ok(k, e.logId);
      const head = client('tiles', pem(k.publicKeyDERBase64), e.origin).verifyStoredHead(e.checkpoint);
      assert.equal(head.size.toString(), e.inclusionProof.treeSize);
      n++;
    }
    assert.equal(n, 18);
  });

  it('the production key does not verify another origin (origin pinned)', () => {
    const c = client('tiles', prodVkey, PROD);
    const staging = v.entries.find((e: { origin: string }) => e.origin !== PROD);
    assert.throws(() => c.verifyStoredHead(staging.checkpoint), badSignature);
  });

  it('the 5 negatives are rejected as bad signatures', () => {
    const ALPHA1 = 'log2025-alpha1.rekor.sigstage.dev';
    assert.equal(v.negative.length, 5);
    for (const e of v.negative) {
      const k = keys.find((x) => x.logIdKeyIdBase64 === e.logId);
      assert.ok(k);
      const c = client('tiles', pem(k.publicKeyDERBase64), ALPHA1);
      assert.throws(
        () => c.verifyStoredHead(e.checkpoint),
        (err) => badSignature(err) || code('note/malformed')(err),
      );
    }
  });
});

describe('witness cosignatures (cosignature/v1, type 0x04)', () => {
  const v = readVector('tiles/rekor-v2-checkpoints.json');
  const real = readVector('note/real-checkpoints.json');
  const ALPHA3 = 'log2025-alpha3.rekor.sigstage.dev';
  const alpha3Vkey: string = v.keys[`${ALPHA3} (staging)`].vkey;
  const wk: Record<string, string> = v.keys.witnessCosignatureVkeys.vkeys;
  const cosigned = v.entries.find((e: { checkpoint: string }) => e.checkpoint.includes('\n4026479\n'));
  const navigli = wk['witness.navigli.sunlight.geomys.org'] as string;
  const stagemole = wk['witness.stagemole.eu'] as string;
  const nisse = wk['poc.sigsum.org/nisse'] as string;

  it('navigli and stagemole cosign the alpha3 checkpoint; the policy counts them', () => {
    const c = client('tiles', alpha3Vkey, ALPHA3, [navigli, stagemole, nisse], 2);
    const head = c.verifyStoredHead(cosigned.checkpoint);
    assert.deepEqual(head.witnesses, ['witness.navigli.sunlight.geomys.org', 'witness.stagemole.eu']);
  });

  it('navigli as published (same 0x04 vkey) and all 8 witness vkeys parse', () => {
    assert.equal(v.keys.witnessCosignatureVkeys.navigliVkeyAsPublished.vkey, navigli);
    assert.equal(Object.values(wk).flatMap((k) => parseWitnessVerifierKey(k)).length, 8);
  });

  it('too few cosignatures for minWitnesses: bad-signature, with the head as evidence', async () => {
    const c = client('tiles', alpha3Vkey, ALPHA3, [navigli, stagemole, nisse], 3);
    const http: HttpClient = {
      get: async () => ({ status: 200, body: new TextEncoder().encode(cosigned.checkpoint), headers: {} }),
    };
    const live = tileLogClient({
      type: 'tiles',
      url: 'https://x.invalid',
      origin: ALPHA3,
      verifiers: [tileLogVerifier('tiles', alpha3Vkey, ALPHA3)],
      http,
      witnesses: [navigli, stagemole, nisse],
      minWitnesses: 3,
    });
    await assert.rejects(live.fetchView(), (e) => {
      assert.ok(badSignature(e));
      assert.match(String(e), /witness policy.*2 of the configured witnesses.*at least 3/);
      assert.equal((e as { details: { received: string } }).details.received, cosigned.checkpoint);
      return true;
    });
    // A stored head is re-verified without the policy (it was enforced when it was stored).
    assert.equal(c.verifyStoredHead(cosigned.checkpoint).witnesses?.length, 2);
  });

  it('a corrupted cosignature from a configured witness rejects the checkpoint', () => {
    const line = cosigned.checkpoint.split('\n').find((l: string) => l.startsWith('\u2014 witness.navigli'));
    const sig = fromBase64(line.split(' ')[2]);
    sig[20] = (sig[20] as number) ^ 1;
    const bad = cosigned.checkpoint.replace(
      line,
      `\u2014 witness.navigli.sunlight.geomys.org ${Buffer.from(sig).toString('base64')}`,
    );
    const c = client('tiles', alpha3Vkey, ALPHA3, [navigli], 0);
    assert.throws(() => c.verifyStoredHead(bad), code('note/bad-signature'));
    // Unconfigured, the same line is ignored.
    assert.equal(
      client('tiles', alpha3Vkey, ALPHA3, [stagemole], 1).verifyStoredHead(bad).witnesses?.length,
      1,
    );
  });

  it('a cosignature moved to another timestamp does not verify', () => {
    const key = parseWitnessVerifierKey(stagemole)[0];
    assert.ok(key);
    const line = cosigned.checkpoint
      .split('\n')
      .find((l: string) => l.startsWith('\u2014 witness.stagemole'));
    const sig = fromBase64(line.split(' ')[2]).subarray(4);
    const body = `${cosigned.checkpoint.split('\n\n')[0]}\n`;
    assert.ok(key.verify(new TextEncoder().encode(body), sig));
    const moved = sig.slice();
    moved[7] = (moved[7] as number) ^ 1;
    assert.equal(key.verify(new TextEncoder().encode(body), moved), false);
    assert.equal(key.verify(new TextEncoder().encode(body), sig.subarray(0, 71)), false);
  });

  it('Armored Witness cosignatures verify with the published 0x01 keys and the 0x04 forms', () => {
    const cases = real.checkpoints.filter(
      (c: { witnessVkeysAsPublished?: string[] }) => c.witnessVkeysAsPublished,
    );
    assert.equal(cases.length, 2);
    let verified = 0;
    for (const c of cases) {
      for (const keys of [c.witnessVkeysAsPublished, c.verifierKeys.slice(1)] as string[][]) {
        const note = verifyNote(
          c.note,
          keys.flatMap((k) => parseWitnessVerifierKey(k)),
        );
        assert.equal(note.verifiedBy.length, 2);
        verified += 2;
      }
      // the 0x01 key itself does not verify a cosignature line under the 0x01 key ID
      const plain = c.witnessVkeysAsPublished.map((k: string) => parseWitnessVerifierKey(k)[0]);
      assert.throws(() => verifyNote(c.note, plain), code('note/no-verified-signature'));
    }
    assert.equal(verified, 8);
  });

  it('cosignatureV1Verifier refuses a wrong-length key and parseWitnessVerifierKey a wrong key ID', () => {
    assert.throws(() => cosignatureV1Verifier('w', new Uint8Array(31)), code('key/malformed'));
    assert.throws(
      () => parseWitnessVerifierKey(navigli.replace('+a3e00fe2+', '+a3e00fe3+')),
      code('key/malformed'),
    );
  });

  it('the log key alone still verifies the checkpoint; witness lines need no configuration', () => {
    const { note } = verifyCheckpoint(
      cosigned.checkpoint,
      [tileLogVerifier('tiles', alpha3Vkey, ALPHA3)],
      ALPHA3,
    );
    assert.equal(note.verifiedBy.length, 1);
  });
});
