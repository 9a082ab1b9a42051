/**
 * Identity matching on real entries: Rekor v1 and v2 entries with Fulcio certificates, a bare-key
 * entry, and the real Icarus CT leaf with its extra_data. Real identities match; decoys do not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntryFormat, ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { createEntryMatcher } from '../../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../../lib/identity/identities-config.ts';
import type { EntryVerdict } from '../../lib/identity/identity-match.ts';
import {
  createHashHex,
  icarus,
  productionFulcioPem,
  rekorV1Other,
  rekorV1Production,
  rekorV2,
  spkiFingerprint,
} from './fixtures.ts';
import { mintCertificate } from './mint.ts';

const BEACON =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const BEACON_RE = 'https://github\\.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.*';
const ACTIONS = 'https://token\\.actions\\.githubusercontent\\.com';

function matchesOf(v: EntryVerdict) {
  assert.ok('matches' in v, `expected matches, got skipped: ${'skipped' in v ? v.skipped : ''}`);
  return v.matches;
}

function run(config: IdentitiesConfig, format: EntryFormat, entries: readonly ReceivedEntry[]) {
  const m = createEntryMatcher(config);
  return entries.map((e) => matchesOf(m.match(format, e)));
}

describe('Rekor v1 production entries', () => {
  const entries = rekorV1Production();

  it('reads every entry: hashedrekord, dsse and intoto 0.0.2, certificates and a bare key', () => {
    const m = createEntryMatcher({ subjects: ['.*'] });
    const types = entries.map((e) => matchesOf(m.match('rekor-v1', e))[0]?.entryType ?? 'no subject');
    assert.deepEqual(new Set(types), new Set(['dsse', 'intoto', 'hashedrekord', 'no subject']));
  });

  it('certIdentities: an email SAN with its OIDC issuer', () => {
    const found = run(
      {
        certIdentities: [
          { certSubject: 'brian@dehamer\\.com', issuers: ['https://github\\.com/login/oauth'] },
        ],
      },
      'rekor-v1',
      entries,
    );
    const hits = found.flatMap((ms, i) => ms.map((m) => ({ i, ...m })));
    assert.deepEqual(
      hits.map((h) => h.i),
      [0, 1, 13, 14, 15],
    );
    assert.deepEqual(hits[0], {
      i: 0,
      matcher: 'certIdentities',
      rule: 'brian@dehamer\\.com (issuers: https://github\\.com/login/oauth)',
      values: ['brian@dehamer.com', 'https://github.com/login/oauth'],
      entryType: 'dsse',
    });
  });

  it('certIdentities: a workflow URI SAN; the wrong issuer is not a match', () => {
    const right = run(
      { certIdentities: [{ certSubject: BEACON_RE, issuers: [ACTIONS] }] },
      'rekor-v1',
      entries,
    );
    assert.deepEqual(
      right.flatMap((ms, i) => (ms.length > 0 ? [i] : [])),
      [3, 4, 5, 6, 7, 10],
    );
    assert.deepEqual(right[6]?.[0]?.values, [BEACON, 'https://token.actions.githubusercontent.com']);
    const wrongIssuer = run(
      { certIdentities: [{ certSubject: BEACON_RE, issuers: ['https://accounts\\.google\\.com'] }] },
      'rekor-v1',
      entries,
    );
    assert.deepEqual(wrongIssuer.flat(), []);
  });

  it('regexes match the whole value: a prefix or a suffix alone is no match', () => {
    const decoys: IdentitiesConfig = {
      certIdentities: [
        { certSubject: 'brian@dehamer' }, // a prefix of brian@dehamer.com
        { certSubject: 'dehamer\\.com' }, // a suffix
        { certSubject: 'https://github\\.com/sigstore-conformance' }, // a prefix of the workflow URI
      ],
      subjects: ['appu@google'],
    };
    assert.deepEqual(run(decoys, 'rekor-v1', entries).flat(), []);
  });

  it('oidMatchers: exact decoded values (DER UTF8String from .1.8 on, raw bytes before); a prefix is not a match', () => {
    const repo = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon';
    const found = run(
      {
        oidMatchers: [
          { objectIdentifier: '1.3.6.1.4.1.57264.1.12', extensionValues: [repo] },
          {
            objectIdentifier: '1.3.6.1.4.1.57264.1.5',
            extensionValues: ['sigstore-conformance/extremely-dangerous-public-oidc-beacon'],
          },
          { objectIdentifier: '1.3.6.1.4.1.57264.1.22', extensionValues: ['public'] },
        ],
      },
      'rekor-v1',
      entries,
    );
    const e7 = found[7] ?? [];
    assert.deepEqual(
      e7.map((m) => [m.rule, m.values]),
      [
        ['1.3.6.1.4.1.57264.1.12', [repo]],
        ['1.3.6.1.4.1.57264.1.5', ['sigstore-conformance/extremely-dangerous-public-oidc-beacon']],
        ['1.3.6.1.4.1.57264.1.22', ['public']],
      ],
    );
    const prefixOnly = run(
      {
        oidMatchers: [
          {
            objectIdentifier: '1.3.6.1.4.1.57264.1.12',
            extensionValues: ['https://github.com/sigstore-conformance'],
          },
          { objectIdentifier: '1.3.6.1.4.1.57264.1.12', extensionValues: [`${repo}-fork`] },
        ],
      },
      'rekor-v1',
      entries,
    );
    assert.deepEqual(prefixOnly.flat(), []);
  });

  it('fingerprints: the SPKI of a certificate, a bare key, and (as rekor-monitor) a whole certificate', () => {
    const certSigner = entries[11] as ReceivedEntry;
    const pemField = JSON.parse(Buffer.from(certSigner.leaf).toString()).spec.signature.publicKey.content;
    const certDer = new Uint8Array(
      Buffer.from(
        Buffer.from(pemField, 'base64')
          .toString()
          .replace(/-----[A-Z ]+-----/g, ''),
        'base64',
      ),
    );
    const keyEntry = entries[9] as ReceivedEntry;
    const keyPem = Buffer.from(
      JSON.parse(Buffer.from(keyEntry.leaf).toString()).spec.signature.publicKey.content,
      'base64',
    )
      .toString()
      .replace(/-----[A-Z ]+-----/g, '');
    const keyFp = createHashHex(new Uint8Array(Buffer.from(keyPem, 'base64')));
    const spkiFp = spkiFingerprint(certDer);
    const certFp = createHashHex(certDer);
    const found = run({ fingerprints: [spkiFp, keyFp, certFp.toLowerCase()] }, 'rekor-v1', entries);
    assert.deepEqual(
      found.flatMap((ms, i) => ms.map((m) => [i, m.values[0]])),
      [
        [9, keyFp],
        [11, spkiFp],
        [11, certFp],
      ],
    );
  });

  it('caRoots: production Fulcio certificates chain to the Fulcio CA of the trusted root; others do not', () => {
    const config: IdentitiesConfig = {
      certIdentities: [{ certSubject: '.*' }],
      caRoots: productionFulcioPem(),
    };
    const prod = run(config, 'rekor-v1', entries);
    // Every certificate entry of production Rekor was issued by production Fulcio.
    assert.deepEqual(
      prod.flatMap((ms, i) => (ms.length > 0 ? [] : [i])),
      [9],
    );
    // Staging, scaffolding and conformance instances have their own Fulcio: real certificates not under caRoots.
    assert.deepEqual(run(config, 'rekor-v1', rekorV1Other()).flat(), []);
    const minted = mintCertificate({ commonName: 'Some CA', ca: true });
    assert.deepEqual(run({ ...config, caRoots: minted.pem }, 'rekor-v1', entries).flat(), []);
  });
});

describe('Rekor v2 entries', () => {
  const entries = rekorV2();

  it('hashedrekord 0.0.2 and dsse 0.0.2: x509Certificate.rawBytes SANs and issuer', () => {
    const found = run(
      {
        certIdentities: [
          { certSubject: BEACON_RE, issuers: [ACTIONS] },
          { certSubject: 'brian@dehamer\\.com', issuers: ['https://github\\.com/login/oauth'] },
        ],
      },
      'rekor-v2',
      entries,
    );
    assert.deepEqual(
      found.map((ms) => ms.map((m) => m.entryType)),
      [...Array(15).fill(['hashedrekord']), ['dsse'], [], []],
    );
  });

  it('fingerprints: publicKey.rawBytes', () => {
    const body = JSON.parse(Buffer.from((entries[16] as ReceivedEntry).leaf).toString());
    const fp = createHashHex(
      new Uint8Array(Buffer.from(body.spec.hashedRekordV002.signature.verifier.publicKey.rawBytes, 'base64')),
    );
    const found = run({ fingerprints: [fp] }, 'rekor-v2', entries);
    assert.deepEqual(found[16], [
      { matcher: 'fingerprints', rule: fp, values: [fp], entryType: 'hashedrekord' },
    ]);
    assert.deepEqual(found.flat().length, 1, 'entry 17 is signed by another key');
  });
});

describe('CT: the real Icarus x509_entry', () => {
  const entry = icarus();

  it('subjects and certIdentities match its DNS names; a near-miss does not', () => {
    const found = run({ subjects: ['(.*\\.)?gem-jewelers\\.com'] }, 'ct', [entry])[0];
    assert.deepEqual(found, [
      {
        matcher: 'subjects',
        rule: '(.*\\.)?gem-jewelers\\.com',
        values: ['gem-jewelers.com', 'www.gem-jewelers.com'],
        entryType: 'x509_entry',
      },
    ]);
    assert.deepEqual(
      run({ certIdentities: [{ certSubject: 'gem-jewelers\\.co' }], subjects: ['jewelers\\.com'] }, 'ct', [
        entry,
      ]).flat(),
      [],
    );
  });

  it('no Fulcio issuer: a rule with issuers does not match a WebPKI certificate', () => {
    assert.deepEqual(
      run({ certIdentities: [{ certSubject: 'gem-jewelers\\.com', issuers: ['.*'] }] }, 'ct', [entry]).flat(),
      [],
    );
  });

  it("caRoots: the chain in extra_data reaches DST Root CA X3 (or the Let's Encrypt X3 intermediate); not a minted CA", () => {
    const pem = (der: Uint8Array) =>
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;
    const rule = { subjects: ['gem-jewelers\\.com'] };
    assert.equal(
      run({ ...rule, caRoots: pem(entry.chain[1] as Uint8Array) }, 'ct', [entry]).flat().length,
      1,
    );
    assert.equal(
      run({ ...rule, caRoots: pem(entry.chain[0] as Uint8Array) }, 'ct', [entry]).flat().length,
      1,
    );
    assert.equal(
      run({ ...rule, caRoots: mintCertificate({ commonName: 'DST Root CA X3', ca: true }).pem }, 'ct', [
        entry,
      ]).flat().length,
      0,
    );
    // Without the chain (static-ct serves only fingerprints), the root alone cannot be reached.
    assert.equal(
      run({ ...rule, caRoots: pem(entry.chain[1] as Uint8Array) }, 'static-ct', [entry]).flat().length,
      0,
    );
  });
});
