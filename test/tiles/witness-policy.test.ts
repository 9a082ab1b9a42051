/** The witness policy on generated keys: counting, duplicates, plain Ed25519 witness lines, bounds. */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { isTlogError } from '../../lib/errors.ts';
import { parseNote } from '../../lib/note/note.ts';
import { parseWitnessPolicy, verifyWitnesses } from '../../lib/tiles/witness-policy.ts';

const BODY = 'example.com/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

function witness(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const raw = spki.subarray(spki.length - 32);
  const id = (type: number) =>
    createHash('sha256').update(name).update(Uint8Array.of(0x0a, type)).update(raw).digest().subarray(0, 4);
  const vkey = (type: number) =>
    `${name}+${id(type).toString('hex')}+${Buffer.concat([Uint8Array.of(type), raw]).toString('base64')}`;
  return {
    name,
    vkey01: vkey(0x01),
    vkey04: vkey(0x04),
    /** A cosignature/v1 line (c2sp.org/tlog-cosignature). */
    cosign(ts = 1_700_000_000n): string {
      const t = Buffer.alloc(8);
      t.writeBigUInt64BE(ts);
      const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${ts}\n${BODY}`), privateKey);
      return `\u2014 ${name} ${Buffer.concat([id(0x04), t, sig]).toString('base64')}`;
    },
    /** A plain Ed25519 note signature (type 0x01), as older witnesses made. */
    plain(): string {
      return `\u2014 ${name} ${Buffer.concat([id(0x01), sign(null, Buffer.from(BODY), privateKey)]).toString('base64')}`;
    },
  };
}

const note = (...lines: string[]) => parseNote(`${BODY}\n${lines.map((l) => `${l}\n`).join('')}`);

describe('witness policy', () => {
  const [a, b, c] = [witness('a.example'), witness('b.example'), witness('c.example')];

  it('counts each configured witness once, in configuration order, whatever the line order', () => {
    const policy = parseWitnessPolicy([a.vkey04, b.vkey01, c.vkey04], 2);
    const n = note(c.cosign(), b.plain(), b.cosign(), a.cosign(2n));
    assert.deepEqual(verifyWitnesses(n.body, n.signatures, policy, true), [
      'a.example',
      'b.example',
      'c.example',
    ]);
  });

  it('a 0x01 witness key accepts both its cosignature/v1 and its plain Ed25519 lines', () => {
    const policy = parseWitnessPolicy([b.vkey01], 1);
    for (const line of [b.cosign(), b.plain()]) {
      const n = note(line);
      assert.deepEqual(verifyWitnesses(n.body, n.signatures, policy, true), ['b.example']);
    }
    // a 0x04 key does not accept a plain line (its key ID differs): unknown, so ignored
    const only04 = parseWitnessPolicy([b.vkey04], 1);
    const n = note(b.plain());
    assert.throws(
      () => verifyWitnesses(n.body, n.signatures, only04, true),
      (e) => isTlogError(e, 'note/no-verified-signature'),
    );
    assert.deepEqual(verifyWitnesses(n.body, n.signatures, only04, false), []);
  });

  it('unknown witnesses are ignored; fewer than minWitnesses is refused only when enforced', () => {
    const policy = parseWitnessPolicy([a.vkey04, b.vkey04], 2);
    const n = note(a.cosign(), c.cosign());
    assert.throws(
      () => verifyWitnesses(n.body, n.signatures, policy, true),
      (e) =>
        isTlogError(e, 'note/no-verified-signature') &&
        /1 of the configured witnesses \[a\.example\]/.test(String(e)),
    );
    assert.deepEqual(verifyWitnesses(n.body, n.signatures, policy, false), ['a.example']);
  });

  it('a configured witness line over another body is a bad signature', () => {
    const policy = parseWitnessPolicy([a.vkey04], 0);
    const n = parseNote(`${BODY.replace('42', '43')}\n${a.cosign()}\n`);
    assert.throws(
      () => verifyWitnesses(n.body, n.signatures, policy, false),
      (e) => isTlogError(e, 'note/bad-signature'),
    );
  });

  it('a cosignature timestamp above 2^63 - 1 is refused even when the signature over it is valid', () => {
    const policy = parseWitnessPolicy([a.vkey04], 1);
    const max = (1n << 63n) - 1n;
    const ok = note(a.cosign(max));
    assert.deepEqual(verifyWitnesses(ok.body, ok.signatures, policy, true), ['a.example']);
    const over = note(a.cosign(max + 1n));
    assert.throws(
      () => verifyWitnesses(over.body, over.signatures, policy, false),
      (e) => isTlogError(e, 'note/bad-signature'),
    );
  });

  it('refuses a witness configured twice, so one cosignature cannot count twice', () => {
    // The same witness by its 0x01 and its 0x04 key: one line would match both entries.
    assert.throws(
      () => parseWitnessPolicy([b.vkey01, b.vkey04], 2),
      (e) => isTlogError(e, 'config/invalid') && /same name b\.example/.test(String(e)),
    );
    // One key under two names: a cosignature/v1 message holds no name, so a line by one name can
    // be copied under the other with its key ID and verify.
    const alias = witness('alias.example');
    const aliasOfA = a.vkey04.replace(/^a\.example\+[0-9a-f]{8}\+/, () => {
      // base64 may itself hold '+': the key is everything after the second '+'.
      const raw = Buffer.from(a.vkey04.split('+').slice(2).join('+'), 'base64').subarray(1);
      const id = createHash('sha256')
        .update('alias.example')
        .update(Uint8Array.of(0x0a, 0x04))
        .update(raw)
        .digest()
        .subarray(0, 4);
      return `alias.example+${id.toString('hex')}+`;
    });
    assert.notEqual(aliasOfA, alias.vkey04);
    assert.throws(
      () => parseWitnessPolicy([a.vkey04, aliasOfA], 2),
      (e) => isTlogError(e, 'config/invalid') && /same public key/.test(String(e)),
    );
    // Distinct witnesses are still accepted.
    assert.equal(parseWitnessPolicy([a.vkey04, alias.vkey04], 2).witnesses.length, 2);
  });

  it('minWitnesses must be within 0..witnesses', () => {
    assert.throws(
      () => parseWitnessPolicy([a.vkey04], 2),
      (e) => isTlogError(e, 'config/invalid'),
    );
    assert.throws(
      () => parseWitnessPolicy([], -1),
      (e) => isTlogError(e, 'config/invalid'),
    );
    assert.equal(parseWitnessPolicy().witnesses.length, 0);
  });
});
