/**
 * Hostile entries never crash or stop anything: whatever bytes a proven entry holds, the matcher
 * returns a verdict, and an entry over a cap is `skipped` with the cap named (unreadable.ts LIMITS).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { EntryFormat, ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { createEntryMatcher } from '../../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../../lib/identity/identities-config.ts';
import type { EntryVerdict } from '../../lib/identity/identity-match.ts';
import { LIMITS } from '../../lib/identity/unreadable.ts';
import { b64Pem, ctExtraData, ctLeaf, icarus, rekorBody, rekorV1Production, rekorV2 } from './fixtures.ts';
import { mintCertificate, utf8StringDer } from './mint.ts';

const ca = mintCertificate({ commonName: 'Hostile Test CA', ca: true });
/** Every kind of rule, matching anything readable, so every decoding path and the chain check run. */
const EVERYTHING: IdentitiesConfig = {
  certIdentities: [{ certSubject: '.*', issuers: ['.*'] }, { certSubject: '.*' }],
  subjects: ['.*'],
  fingerprints: ['00'.repeat(32)],
  oidMatchers: [
    { objectIdentifier: '1.3.6.1.4.1.57264.1.8', extensionValues: ['x'] },
    { objectIdentifier: '1.3.6.1.4.1.57264.1.1', extensionValues: ['x'] },
  ],
};
const matchers = [createEntryMatcher(EVERYTHING), createEntryMatcher({ ...EVERYTHING, caRoots: ca.pem })];
const FORMATS: EntryFormat[] = ['rekor-v1', 'rekor-v2', 'ct', 'static-ct'];

/** A verdict, and never one from an error the readers did not anticipate (a TypeError would be a bug). */
function wellFormed(v: EntryVerdict): void {
  if ('skipped' in v) assert.doesNotMatch(v.skipped, /^unexpected error/);
  else assert.ok(Array.isArray(v.matches));
}

const realLeaves: { format: EntryFormat; entry: ReceivedEntry }[] = [
  ...rekorV1Production().map((entry) => ({ format: 'rekor-v1' as const, entry })),
  ...rekorV2().map((entry) => ({ format: 'rekor-v2' as const, entry })),
  { format: 'ct', entry: icarus() },
];

describe('hostile entries', () => {
  it('random bytes in the leaf and the unsigned data never throw, for every format', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMATS),
        fc.uint8Array({ maxLength: 600 }),
        fc.option(fc.uint8Array({ maxLength: 600 })),
        (format, leaf, unsigned) => {
          for (const m of matchers)
            wellFormed(m.match(format, { index: 0n, leaf, ...(unsigned ? { unsigned } : {}) }));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('real entries with bytes changed, cut or inserted in any position never throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realLeaves),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        ({ format, entry }, edits) => {
          let leaf = entry.leaf;
          for (const [at, byte, op] of edits) {
            const i = at % (leaf.length + 1);
            if (op === 'set' && i < leaf.length) leaf = Uint8Array.from(leaf, (b, j) => (j === i ? byte : b));
            else if (op === 'cut') leaf = leaf.subarray(0, i);
            else leaf = new Uint8Array([...leaf.subarray(0, i), byte, ...leaf.subarray(i)]);
          }
          for (const m of matchers) wellFormed(m.match(format, { ...entry, leaf }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any JSON value in any position of a real Rekor body never throws', () => {
    const bodies = rekorV1Production().map((e) => JSON.parse(Buffer.from(e.leaf).toString()));
    const paths = (v: unknown, at: string[] = []): string[][] =>
      typeof v === 'object' && v !== null
        ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))]
        : [at];
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.nat(), fc.jsonValue(), (body, pick, value) => {
        const all = paths(body);
        const path = all[pick % all.length] as string[];
        const copy = structuredClone(body);
        let target = copy;
        for (const k of path.slice(0, -1)) target = target[k];
        if (path.length === 0) return;
        target[path[path.length - 1] as string] = value;
        const leaf = new Uint8Array(Buffer.from(JSON.stringify(copy)));
        for (const m of matchers) wellFormed(m.match('rekor-v1', { index: 0n, leaf }));
      }),
      { numRuns: 300 },
    );
  });

  it('malformed JSON, bad base64 and garbage DER are skipped with the reason', () => {
    const m = matchers[0] as (typeof matchers)[0];
    const skipped = (format: EntryFormat, leaf: Uint8Array): string => {
      const v = m.match(format, { index: 0n, leaf });
      assert.ok('skipped' in v, JSON.stringify(v));
      return v.skipped;
    };
    assert.match(skipped('rekor-v1', new Uint8Array(Buffer.from('{"kind":'))), /not JSON/);
    const pemOf = (content: string) =>
      rekorBody('hashedrekord', '0.0.1', { signature: { publicKey: { content } } });
    assert.match(skipped('rekor-v1', pemOf('!!!not base64!!!')), /no PEM CERTIFICATE or PUBLIC KEY block/);
    assert.match(
      skipped(
        'rekor-v1',
        pemOf(b64Pem('-----BEGIN CERTIFICATE-----\nAAECAw==\n-----END CERTIFICATE-----\n')),
      ),
      /DER/,
    );
    assert.match(skipped('rekor-v1', pemOf(b64Pem('-----BEGIN CERTIFICATE-----\nMIIB'))), /no END line/);
    assert.match(
      skipped('ct', ctLeaf({ x509: new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]) })),
      /DER/,
    );
    assert.match(skipped('ct', new Uint8Array([1, 0, 0, 0])), /too short|version/);
  });

  it(`thousands of SANs: more than ${LIMITS.maxSubjectAltNames} is skipped, naming the cap`, () => {
    const many = mintCertificate({
      commonName: 'many',
      dnsNames: Array.from({ length: 3000 }, (_, i) => `host${i}.example`),
    });
    const v = matchers[0]?.match('ct', { index: 0n, leaf: ctLeaf({ x509: many.der }) });
    assert.deepEqual(v, { skipped: `subjectAltName: more than ${LIMITS.maxSubjectAltNames} elements` });
  });

  it(`a certificate over ${LIMITS.maxCertBytes} bytes is skipped, naming the cap`, () => {
    const huge = mintCertificate({
      commonName: 'huge',
      extensions: [{ oid: '1.2.3.4', value: new Uint8Array(LIMITS.maxCertBytes) }],
    });
    const v = matchers[0]?.match('ct', { index: 0n, leaf: ctLeaf({ x509: huge.der }) });
    assert.deepEqual(v, {
      skipped: `certificate of ${huge.der.length} bytes is over the ${LIMITS.maxCertBytes}-byte cap`,
    });
  });

  it(`a name over ${LIMITS.maxNameChars} characters, and more than ${LIMITS.maxSigners} signers, are skipped`, () => {
    const long = mintCertificate({
      commonName: 'long',
      uris: [`https://example.com/${'a'.repeat(LIMITS.maxNameChars)}`],
    });
    const v = matchers[0]?.match('ct', { index: 0n, leaf: ctLeaf({ x509: long.der }) });
    assert.ok(
      v && 'skipped' in v && v.skipped.includes(`${LIMITS.maxNameChars}-character cap`),
      JSON.stringify(v),
    );
    const signer = mintCertificate({
      commonName: 's',
      extensions: [{ oid: '1.3.6.1.4.1.57264.1.8', value: utf8StringDer('x') }],
    });
    const signatures = Array.from({ length: LIMITS.maxSigners + 1 }, () => ({
      signature: 'AA==',
      verifier: b64Pem(signer.pem),
    }));
    const dsse = rekorBody('dsse', '0.0.1', { signatures });
    assert.deepEqual(matchers[0]?.match('rekor-v1', { index: 0n, leaf: dsse }), {
      skipped: `spec.signatures: more than ${LIMITS.maxSigners} signers`,
    });
  });

  it('a chain of certificates that all issue each other is searched once per certificate, not once per path', () => {
    // Six CA certificates with one name and one key: each verifies as the issuer of every other, so a
    // search that explores paths rather than certificates makes about 5^10 signature checks.
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const loop = Array.from({ length: 6 }, () => mintCertificate({ commonName: 'Loop CA', ca: true, keys }));
    const leaf = mintCertificate({
      commonName: 'x',
      dnsNames: ['x.example'],
      issuer: loop[0] as (typeof loop)[0],
    });
    const entry: ReceivedEntry = {
      index: 0n,
      leaf: ctLeaf({ x509: leaf.der }),
      unsigned: ctExtraData(loop.map((c) => c.der)),
    };
    const matcher = createEntryMatcher({ subjects: ['x\\.example'], caRoots: ca.pem });
    const verify = X509Certificate.prototype.verify;
    let calls = 0;
    X509Certificate.prototype.verify = function (this: X509Certificate, key) {
      calls++;
      return calls > 1000 ? false : verify.call(this, key);
    };
    try {
      assert.deepEqual(matcher.match('ct', entry), { matches: [] });
    } finally {
      X509Certificate.prototype.verify = verify;
    }
    assert.ok(calls <= 7 * 7, `${calls} signature checks for 7 certificates`);
  });

  it('a hostile chain in extra_data makes a certificate not under caRoots, never a crash', () => {
    const leaf = mintCertificate({ commonName: 'x', dnsNames: ['x.example'], issuer: ca });
    const garbage = [new Uint8Array([0x30, 0x03, 1, 2, 3]), new Uint8Array(0)];
    const other = mintCertificate({ commonName: 'Hostile Test CA', ca: true });
    const entry: ReceivedEntry = {
      index: 0n,
      leaf: ctLeaf({ x509: leaf.der }),
      unsigned: ctExtraData([...garbage, other.der]),
    };
    const withRoots = createEntryMatcher({ subjects: ['x\\.example'], caRoots: other.pem });
    assert.deepEqual(withRoots.match('ct', entry), { matches: [] });
    const truncated: ReceivedEntry = { ...entry, unsigned: new Uint8Array([0, 0, 9, 1]) };
    const v = createEntryMatcher({ subjects: ['x\\.example'], caRoots: ca.pem }).match('ct', truncated);
    assert.ok('skipped' in v && /certificate_chain/.test(v.skipped), JSON.stringify(v));
  });
});
