/**
 * The offset-based certificate reader (lib/identity/der-text.ts, certificate.ts,
 * certificate-names.ts) against @peculiar/asn1-x509 and asn1js on the same bytes: the same SANs,
 * subject names, extension values and OID encodings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectAlternativeName } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { readCertificate, spkiBytes } from '../../lib/identity/certificate.ts';
import { extensionText, subjectAltNames, subjectNames } from '../../lib/identity/certificate-names.ts';
import { FULCIO_OIDS, fulcioOidsNamed } from '../../lib/identity/fulcio-oids.ts';
import { encodeOid, knownOid } from '../../lib/identity/oid.ts';
import { rekorV1Signers } from '../../lib/identity/rekor-signers.ts';
import { rekorV1Production } from './fixtures.ts';
import { mintCertificate, utf8StringDer } from './mint.ts';

const label = fc.stringMatching(/^[a-z0-9]{1,12}$/);

describe('certificate reader', () => {
  it('reads the same SANs, commonName, SPKI and extension values as @peculiar/asn1-x509 on minted certificates', () => {
    fc.assert(
      fc.property(
        fc.array(label, { maxLength: 5 }),
        fc.array(label, { maxLength: 5 }),
        fc.array(label, { maxLength: 3 }),
        label,
        fc.string({ maxLength: 40 }),
        (dns, emails, uris, cn, value) => {
          const cert = mintCertificate({
            commonName: cn,
            dnsNames: dns.map((d) => `${d}.example`),
            emails: emails.map((e) => `${e}@example.com`),
            uris: uris.map((u) => `https://example.com/${u}`),
            extensions: [{ oid: '1.3.6.1.4.1.57264.1.12', value: utf8StringDer(value) }],
          });
          const ref = AsnConvert.parse(cert.der, Certificate);
          const view = readCertificate(cert.der);
          const sanExt = ref.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.17');
          const refSans = sanExt
            ? [...AsnConvert.parse(sanExt.extnValue, SubjectAlternativeName)].map(
                (g) => g.dNSName ?? g.rfc822Name ?? g.uniformResourceIdentifier,
              )
            : [];
          assert.deepEqual(subjectAltNames(view), refSans);
          assert.deepEqual(subjectNames(view), [cn]);
          assert.deepEqual(
            spkiBytes(view),
            new Uint8Array(AsnConvert.serialize(ref.tbsCertificate.subjectPublicKeyInfo)),
          );
          assert.equal(extensionText(view, knownOid('1.3.6.1.4.1.57264.1.12'), false), value);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads every Fulcio extension of real certificates as asn1js decodes them', () => {
    for (const entry of rekorV1Production()) {
      for (const signer of rekorV1Signers(entry.leaf).signers) {
        if (signer.kind !== 'certificate' || signer.cert.der === undefined) continue;
        const ref = AsnConvert.parse(signer.cert.der, Certificate);
        for (const ext of ref.tbsCertificate.extensions ?? []) {
          const fulcio = FULCIO_OIDS.find((f) => f.oid === ext.extnID);
          if (fulcio === undefined) continue;
          const bytes = new Uint8Array(ext.extnValue.buffer);
          const expected = fulcio.raw
            ? Buffer.from(bytes).toString('utf8')
            : (asn1js.fromBER(bytes).result as asn1js.Utf8String).valueBlock.value;
          assert.equal(extensionText(signer.cert, knownOid(fulcio.oid), fulcio.raw), expected, fulcio.oid);
        }
      }
    }
  });
});

describe('OIDs', () => {
  it('encodeOid gives the contents octets asn1js gives, for any valid OID', () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.nat({ max: 39 }),
        fc.array(fc.oneof(fc.nat({ max: 200 }), fc.nat()), { maxLength: 8 }),
      )
      .map(([a, b, rest]) => [a, a === 2 ? b * 37 : b, ...rest].join('.'));
    fc.assert(
      fc.property(oid, (dotted) => {
        const ours = encodeOid(dotted);
        assert.ok(ours instanceof Uint8Array, dotted);
        const ber = new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER());
        assert.deepEqual(ours, ber.subarray(2), dotted);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what is not a dotted OID', () => {
    for (const bad of ['', '1', '1.', '.1', '1..2', '01.2', '1.2a', '3.1', '0.40', '1.2.-3', ' 1.2'])
      assert.ok('error' in (encodeOid(bad) as object), bad);
  });

  it('names every Fulcio extension 1.3.6.1.4.1.57264.1.1 to .1.22 once, by YAML key and Go name', () => {
    assert.deepEqual(
      FULCIO_OIDS.map((f) => f.oid),
      Array.from({ length: 22 }, (_, i) => `1.3.6.1.4.1.57264.1.${i + 1}`),
    );
    for (const f of FULCIO_OIDS) {
      if (f.name === 'issuer') continue;
      assert.deepEqual(fulcioOidsNamed(f.name), [f.oid]);
      assert.deepEqual(fulcioOidsNamed(f.camelName), [f.oid]);
    }
    assert.deepEqual(fulcioOidsNamed('issuer'), ['1.3.6.1.4.1.57264.1.1', '1.3.6.1.4.1.57264.1.8']);
    assert.equal(new Set(FULCIO_OIDS.flatMap((f) => [f.name, f.camelName])).size, 43); // issuer is both names of .1.1
  });
});
