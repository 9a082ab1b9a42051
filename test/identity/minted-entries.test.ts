/**
 * Cases the real vectors do not cover, with certificates minted in the test: chains to caRoots
 * through an intermediate, precertificates, the deprecated Fulcio issuer, otherName SANs, other
 * Rekor v1 kinds, and certificates that must not match.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { EntryFormat, ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { createEntryMatcher } from '../../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../../lib/identity/identities-config.ts';
import type { EntryVerdict } from '../../lib/identity/identity-match.ts';
import { b64Pem, ctExtraData, ctLeaf, rekorBody } from './fixtures.ts';
import { type MintedCert, mintCertificate, toPem, utf8StringDer } from './mint.ts';

const ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const GOOGLE = 'https://accounts.google.com';

const root = mintCertificate({ commonName: 'Test Root', ca: true });
const intermediate = mintCertificate({ commonName: 'Test Intermediate', ca: true, issuer: root });
const alice = mintCertificate({
  commonName: 'alice',
  emails: ['alice@example.com'],
  extensions: [{ oid: ISSUER_V2, value: utf8StringDer(GOOGLE) }],
  issuer: intermediate,
});

function verdict(config: IdentitiesConfig, format: EntryFormat, entry: ReceivedEntry): EntryVerdict {
  return createEntryMatcher(config).match(format, entry);
}
function matched(config: IdentitiesConfig, format: EntryFormat, entry: ReceivedEntry): string[][] {
  const v = verdict(config, format, entry);
  assert.ok('matches' in v, `skipped: ${'skipped' in v ? v.skipped : ''}`);
  return v.matches.map((m) => [m.matcher, ...m.values]);
}
const hashedrekord = (pem: string): ReceivedEntry => ({
  index: 0n,
  leaf: rekorBody('hashedrekord', '0.0.1', {
    data: { hash: { algorithm: 'sha256', value: '00'.repeat(32) } },
    signature: { content: 'AA==', publicKey: { content: b64Pem(pem) } },
  }),
});
const keyHash = (c: MintedCert) => new Uint8Array(createHash('sha256').update(c.spki).digest());

describe('caRoots with minted chains', () => {
  const ALICE: IdentitiesConfig = {
    certIdentities: [{ certSubject: 'alice@example\\.com', issuers: ['https://accounts\\.google\\.com'] }],
  };

  it('a leaf issued by an intermediate in caRoots matches; by the root alone only with the chain in the entry', () => {
    assert.equal(
      matched({ ...ALICE, caRoots: intermediate.pem }, 'rekor-v1', hashedrekord(alice.pem)).length,
      1,
    );
    assert.equal(matched({ ...ALICE, caRoots: root.pem }, 'rekor-v1', hashedrekord(alice.pem)).length, 0);
    const bundle = hashedrekord(alice.pem + intermediate.pem);
    assert.equal(matched({ ...ALICE, caRoots: root.pem }, 'rekor-v1', bundle).length, 1);
  });

  it('the same identity from another CA is not a match', () => {
    const otherRoot = mintCertificate({ commonName: 'Test Root', ca: true }); // same name, other key
    const mallory = mintCertificate({
      commonName: 'alice',
      emails: ['alice@example.com'],
      extensions: [{ oid: ISSUER_V2, value: utf8StringDer(GOOGLE) }],
      issuer: otherRoot,
    });
    assert.equal(matched(ALICE, 'rekor-v1', hashedrekord(mallory.pem)).length, 1, 'matches without caRoots');
    assert.equal(
      matched({ ...ALICE, caRoots: root.pem + intermediate.pem }, 'rekor-v1', hashedrekord(mallory.pem))
        .length,
      0,
    );
  });

  it('a leaf certificate cannot act as a CA, even one under caRoots', () => {
    const notCa = mintCertificate({
      commonName: 'bob',
      emails: ['bob@example.com'],
      issuer: intermediate,
      ca: false,
    });
    const forged = mintCertificate({ commonName: 'alice', emails: ['alice@example.com'], issuer: notCa });
    const entry = hashedrekord(forged.pem + notCa.pem);
    assert.equal(
      matched(
        { certIdentities: [{ certSubject: 'alice@example\\.com' }], caRoots: intermediate.pem },
        'rekor-v1',
        entry,
      ).length,
      0,
    );
  });

  it('a precertificate matches when the CA its issuer_key_hash names chains to caRoots', () => {
    const precert = mintCertificate({
      commonName: 'shop.example',
      dnsNames: ['shop.example'],
      issuer: intermediate,
    });
    const tbs = tbsOf(precert.der);
    const entry = (issuerKeyHash: Uint8Array, chain: Uint8Array[]): ReceivedEntry => ({
      index: 7n,
      leaf: ctLeaf({ tbs, issuerKeyHash }),
      unsigned: ctExtraData(chain, precert.der),
    });
    const rule: IdentitiesConfig = { subjects: ['shop\\.example'] };
    const good = entry(keyHash(intermediate), [intermediate.der, root.der]);
    assert.deepEqual(matched(rule, 'ct', good), [['subjects', 'shop.example']]);
    assert.equal(matched({ ...rule, caRoots: root.pem }, 'ct', good).length, 1);
    assert.equal(matched({ ...rule, caRoots: intermediate.pem }, 'ct', good).length, 1);
    // issuer_key_hash names a CA that is not in the chain and not an anchor.
    const stranger = mintCertificate({ commonName: 'Other CA', ca: true });
    assert.equal(
      matched({ ...rule, caRoots: root.pem }, 'ct', entry(keyHash(stranger), [intermediate.der, root.der]))
        .length,
      0,
    );
    // static-ct brings no chain: only an anchor's own key can be named.
    assert.equal(matched({ ...rule, caRoots: intermediate.pem }, 'static-ct', good).length, 1);
    assert.equal(matched({ ...rule, caRoots: root.pem }, 'static-ct', good).length, 0);
  });

  it('a CT x509_entry chains through extra_data', () => {
    const site = mintCertificate({
      commonName: 'shop.example',
      dnsNames: ['shop.example', 'www.shop.example'],
      issuer: intermediate,
    });
    const entry: ReceivedEntry = {
      index: 1n,
      leaf: ctLeaf({ x509: site.der }),
      unsigned: ctExtraData([intermediate.der, root.der]),
    };
    assert.deepEqual(
      matched(
        { certIdentities: [{ certSubject: '(.*\\.)?shop\\.example' }], caRoots: root.pem },
        'ct',
        entry,
      ),
      [['certIdentities', 'shop.example', 'www.shop.example']],
    );
  });
});

describe('Fulcio names', () => {
  it('the deprecated issuer extension (.1.1, raw bytes) when .1.8 is absent', () => {
    const old = mintCertificate({
      commonName: 'old',
      emails: ['alice@example.com'],
      extensions: [{ oid: '1.3.6.1.4.1.57264.1.1', value: new Uint8Array(Buffer.from(GOOGLE)) }],
    });
    const rule: IdentitiesConfig = {
      certIdentities: [{ certSubject: 'alice@example\\.com', issuers: ['https://accounts\\.google\\.com'] }],
    };
    assert.deepEqual(matched(rule, 'rekor-v1', hashedrekord(old.pem)), [
      ['certIdentities', 'alice@example.com', GOOGLE],
    ]);
  });

  it('.1.8 wins over .1.1 when both are present', () => {
    const both = mintCertificate({
      commonName: 'both',
      emails: ['alice@example.com'],
      extensions: [
        { oid: '1.3.6.1.4.1.57264.1.1', value: new Uint8Array(Buffer.from(GOOGLE)) },
        { oid: ISSUER_V2, value: utf8StringDer('https://evil.example') },
      ],
    });
    const rule: IdentitiesConfig = {
      certIdentities: [{ certSubject: 'alice@example\\.com', issuers: ['https://accounts\\.google\\.com'] }],
    };
    assert.deepEqual(matched(rule, 'rekor-v1', hashedrekord(both.pem)), []);
  });

  it('a Fulcio username otherName SAN and the subject commonName', () => {
    const user = mintCertificate({
      commonName: 'Alice Example',
      otherNames: [{ typeId: '1.3.6.1.4.1.57264.1.7', value: 'alice!example.com' }],
    });
    assert.deepEqual(
      matched(
        { certIdentities: [{ certSubject: 'alice!example\\.com' }], subjects: ['Alice Example'] },
        'rekor-v1',
        hashedrekord(user.pem),
      ),
      [
        ['certIdentities', 'alice!example.com'],
        ['subjects', 'Alice Example'],
      ],
    );
  });

  it('a .1.8 value that is not a DER string matches nothing', () => {
    const raw = mintCertificate({
      commonName: 'x',
      emails: ['alice@example.com'],
      extensions: [{ oid: ISSUER_V2, value: new Uint8Array(Buffer.from(GOOGLE)) }],
    });
    assert.deepEqual(
      matched(
        { oidMatchers: [{ objectIdentifier: ISSUER_V2, extensionValues: [GOOGLE] }] },
        'rekor-v1',
        hashedrekord(raw.pem),
      ),
      [],
    );
  });
});

describe('other Rekor v1 kinds', () => {
  const rule: IdentitiesConfig = { certIdentities: [{ certSubject: 'alice@example\\.com' }] };

  it('rekord x509, intoto 0.0.1 and cose read their certificate', () => {
    const pem = b64Pem(alice.pem);
    const entries: [string, Uint8Array][] = [
      [
        'rekord',
        rekorBody('rekord', '0.0.1', {
          signature: { format: 'x509', content: 'AA==', publicKey: { content: pem } },
          data: {},
        }),
      ],
      ['intoto', rekorBody('intoto', '0.0.1', { publicKey: pem, content: {} })],
      ['cose', rekorBody('cose', '0.0.1', { publicKey: pem, data: {} })],
    ];
    for (const [kind, leaf] of entries) {
      const v = verdict(rule, 'rekor-v1', { index: 0n, leaf });
      assert.ok('matches' in v && v.matches[0]?.entryType === kind, `${kind}: ${JSON.stringify(v)}`);
    }
  });

  it('rekord pgp and unknown kinds are skipped with the reason; rfc3161 has no signer', () => {
    const pgp = rekorBody('rekord', '0.0.1', {
      signature: { format: 'pgp', content: 'AA==', publicKey: { content: 'AA==' } },
    });
    assert.deepEqual(verdict(rule, 'rekor-v1', { index: 0n, leaf: pgp }), {
      skipped: 'rekord "pgp" keys are not read (only x509)',
    });
    assert.deepEqual(verdict(rule, 'rekor-v1', { index: 0n, leaf: rekorBody('helm', '0.0.1', {}) }), {
      skipped: 'Rekor v1 entry kind "helm" is not read',
    });
    assert.deepEqual(verdict(rule, 'rekor-v1', { index: 0n, leaf: rekorBody('hashedrekord', '0.0.9', {}) }), {
      skipped: '"hashedrekord" apiVersion "0.0.9" is not read',
    });
    assert.deepEqual(verdict(rule, 'rekor-v1', { index: 0n, leaf: rekorBody('rfc3161', '0.0.1', {}) }), {
      matches: [],
    });
  });

  it('a certificate with the same extension twice is skipped, not read either way (RFC 5280 §4.2)', () => {
    const twice = mintCertificate({
      commonName: 'x',
      emails: ['alice@example.com'],
      extensions: [
        { oid: ISSUER_V2, value: utf8StringDer(GOOGLE) },
        { oid: ISSUER_V2, value: utf8StringDer('https://evil.example') },
      ],
    });
    const v = verdict(
      { certIdentities: [{ certSubject: '.*', issuers: ['.*'] }] },
      'rekor-v1',
      hashedrekord(twice.pem),
    );
    assert.deepEqual(v, { skipped: 'certificate has the same extension twice (RFC 5280 §4.2)' });
  });

  it('a bare PUBLIC KEY block matches by fingerprint; an RSA PUBLIC KEY block is not read', () => {
    const fp = createHash('sha256').update(alice.spki).digest('hex');
    assert.deepEqual(
      matched({ fingerprints: [fp] }, 'rekor-v1', hashedrekord(toPem(alice.spki, 'PUBLIC KEY'))),
      [['fingerprints', fp]],
    );
    const v = verdict({ fingerprints: [fp] }, 'rekor-v1', hashedrekord(toPem(alice.spki, 'RSA PUBLIC KEY')));
    assert.ok('skipped' in v && v.skipped.includes('"RSA PUBLIC KEY" is not read'));
  });
});

/** The TBSCertificate of a DER certificate: the first element inside the outer SEQUENCE. */
function tbsOf(der: Uint8Array): Uint8Array {
  const lenBytes = (der[1] as number) & 0x80 ? (der[1] as number) & 0x7f : 0;
  const start = 2 + lenBytes;
  const inner = der[start + 1] as number;
  const innerLenBytes = inner & 0x80 ? inner & 0x7f : 0;
  let len = inner & 0x80 ? 0 : inner;
  for (let i = 0; i < innerLenBytes; i++) len = len * 256 + (der[start + 2 + i] as number);
  return der.subarray(start, start + 2 + innerLenBytes + len);
}
