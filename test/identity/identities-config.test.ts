/** The per-log `identities` config: every problem names the log and the field; valid configs round-trip. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigFile } from '../../lib/config/config-file.ts';
import { logConfigToJson, parseLogConfig } from '../../lib/config/log-config.ts';
import { assertConfigIssue } from '../config/support.ts';
import { readVectorText } from '../support/vectors.ts';
import { productionFulcioPem, rekorV1Production } from './fixtures.ts';
import { mintCertificate } from './mint.ts';

const REKOR = {
  name: 'rekor',
  type: 'rekor-v1',
  url: 'https://rekor.sigstore.dev',
  publicKey: readVectorText('rekor/rekor.sigstore.dev.pub.pem'),
};
const withIdentities = (identities: unknown) => ({ ...REKOR, identities });
const parse = (identities: unknown) => () => parseLogConfig(withIdentities(identities), 'logs[0]');
const AT = 'logs[0] ("rekor").identities';

describe('identities config', () => {
  it('parses every field; startIndex becomes a bigint and logConfigToJson writes it back as a string', () => {
    const config = parseLogConfig(
      withIdentities({
        startIndex: '18446744073709551615',
        certIdentities: [
          { certSubject: 'alice@example\\.com', issuers: ['https://accounts\\.google\\.com'] },
        ],
        subjects: ['(?i)alice@example\\.com'],
        fingerprints: ['AB'.repeat(32)],
        oidMatchers: [
          { objectIdentifier: '1.3.6.1.4.1.57264.1.12', extensionValues: ['https://github.com/acme/widget'] },
        ],
        caRoots: productionFulcioPem(),
      }),
      'logs[0]',
    );
    assert.equal(config.identities?.startIndex, 2n ** 64n - 1n);
    assert.deepEqual(config.identities?.fingerprints, ['ab'.repeat(32)]);
    const json = logConfigToJson(config);
    assert.equal((json.identities as { startIndex: string }).startIndex, '18446744073709551615');
    assert.deepEqual(parseLogConfig(JSON.parse(JSON.stringify(json)), 'LOG_CONFIG'), config);
  });

  it('a preset takes identities, as in docs/contracts.md', () => {
    const cfg = parseConfigFile(
      JSON.stringify({
        logs: [{ preset: 'sigstore-rekor', identities: { subjects: ['alice@example\\.com'] } }],
      }),
      'cfg.json',
    );
    assert.deepEqual(cfg.logs[0]?.identities, { subjects: ['alice@example\\.com'] });
  });

  it("reads rekor-monitor's oidMatchers object form and Fulcio extension names into the list form", () => {
    const config = parseLogConfig(
      withIdentities({
        oidMatchers: {
          fulcioExtensions: {
            'build-signer-uri': ['https://a/w.yml@v1'],
            issuer: ['https://token.actions.githubusercontent.com'],
          },
          oidExtensions: [
            { objectIdentifier: [1, 3, 6, 1, 4, 1, 57264, 1, 9], extensionValues: ['https://b/w.yml@v2'] },
          ],
          customExtensions: [{ objectIdentifier: '1.3.6.1.4.1.57264.1.22', extensionValues: ['public'] }],
        },
      }),
      'logs[0]',
    );
    assert.deepEqual(config.identities?.oidMatchers, [
      {
        objectIdentifier: '1.3.6.1.4.1.57264.1.9',
        extensionValues: ['https://a/w.yml@v1', 'https://b/w.yml@v2'],
      },
      {
        objectIdentifier: '1.3.6.1.4.1.57264.1.1',
        extensionValues: ['https://token.actions.githubusercontent.com'],
      },
      {
        objectIdentifier: '1.3.6.1.4.1.57264.1.8',
        extensionValues: ['https://token.actions.githubusercontent.com'],
      },
      { objectIdentifier: '1.3.6.1.4.1.57264.1.22', extensionValues: ['public'] },
    ]);
    const named = parseLogConfig(
      withIdentities({ oidMatchers: [{ objectIdentifier: 'sourceRepositoryURI', extensionValues: ['x'] }] }),
      'logs[0]',
    );
    assert.equal(named.identities?.oidMatchers?.[0]?.objectIdentifier, '1.3.6.1.4.1.57264.1.12');
  });

  it('refuses a bad regex, naming the log and the field', () => {
    assertConfigIssue(
      parse({ certIdentities: [{ certSubject: 'alice@(example' }] }),
      `${AT}.certIdentities[0].certSubject`,
      'regular expression',
    );
    assertConfigIssue(parse({ subjects: ['ok', '[z-a]'] }), `${AT}.subjects[1]`, 'regular expression');
    assertConfigIssue(
      parse({ certIdentities: [{ certSubject: 'a', issuers: ['(('] }] }),
      `${AT}.certIdentities[0].issuers[0]`,
    );
  });

  it('refuses the catastrophic-backtracking shape (a+)+, which a crafted SAN could make run for ever', () => {
    assertConfigIssue(parse({ subjects: ['(a+)+b'] }), `${AT}.subjects[0]`, 'exponential time');
    assertConfigIssue(
      parse({ certIdentities: [{ certSubject: '(.*?)*@example\\.com' }] }),
      `${AT}.certIdentities[0].certSubject`,
      'exponential time',
    );
    parse({ subjects: ['(\\w+\\.)*example\\.com', '(a\\+)+', '(.*\\.)?example\\.com'] })();
  });

  it('refuses a regex that would escape its anchors', () => {
    assertConfigIssue(
      parse({ subjects: ['alice@example\\.com)|(.*'] }),
      `${AT}.subjects[0]`,
      'regular expression',
    );
  });

  it('refuses a bad OID, an unknown Fulcio name and the SAN otherName OID', () => {
    assertConfigIssue(
      parse({ oidMatchers: [{ objectIdentifier: '1.3.6.1.4.1.57264.1.x', extensionValues: ['v'] }] }),
      `${AT}.oidMatchers[0].objectIdentifier`,
      'dotted',
    );
    assertConfigIssue(
      parse({ oidMatchers: [{ objectIdentifier: '3.1', extensionValues: ['v'] }] }),
      `${AT}.oidMatchers[0].objectIdentifier`,
      'first arc',
    );
    assertConfigIssue(
      parse({ oidMatchers: [{ objectIdentifier: '1.40', extensionValues: ['v'] }] }),
      `${AT}.oidMatchers[0].objectIdentifier`,
      'second arc',
    );
    assertConfigIssue(
      parse({ oidMatchers: { fulcioExtensions: { 'build-signer-url': ['v'] } } }),
      `${AT}.oidMatchers.fulcioExtensions.build-signer-url`,
      'Fulcio extension name',
    );
    assertConfigIssue(
      parse({ oidMatchers: { oidExtensions: [{ objectIdentifier: '1.2.3', extensionValues: ['v'] }] } }),
      `${AT}.oidMatchers.oidExtensions[0].objectIdentifier`,
      'integer arcs',
    );
    assertConfigIssue(
      parse({ oidMatchers: { customExtensions: [{ extensionValues: ['v'] }] } }),
      `${AT}.oidMatchers.customExtensions[0].objectIdentifier`,
    );
    assertConfigIssue(
      parse({ oidMatchers: [{ objectIdentifier: '1.3.6.1.4.1.57264.1.7', extensionValues: ['v'] }] }),
      `${AT}.oidMatchers[0].objectIdentifier`,
      'otherName',
    );
    assertConfigIssue(
      parse({ oidMatchers: [{ objectIdentifier: '1.2.3', extensionValues: [] }] }),
      `${AT}.oidMatchers[0].extensionValues`,
      'non-empty',
    );
  });

  it('refuses an empty matcher set', () => {
    assertConfigIssue(parse({}), AT, 'no matcher');
    assertConfigIssue(
      parse({ startIndex: '5', subjects: [], caRoots: productionFulcioPem() }),
      AT,
      'no matcher',
    );
    assertConfigIssue(
      parse({ certIdentities: [{ certSubject: 'a', issuers: [] }] }),
      `${AT}.certIdentities[0].issuers`,
      'is empty',
    );
  });

  it('refuses caRoots that do not parse, have no certificate, or hold a certificate that is not a CA', () => {
    assertConfigIssue(
      parse({ subjects: ['a'], caRoots: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }),
      `${AT}.caRoots`,
      'certificate 1 of 1 does not parse',
    );
    assertConfigIssue(
      parse({ subjects: ['a'], caRoots: readVectorText('rekor/rekor.sigstore.dev.pub.pem') }),
      `${AT}.caRoots`,
      'no "-----BEGIN CERTIFICATE-----"',
    );
    assertConfigIssue(
      parse({ subjects: ['a'], caRoots: mintCertificate({ commonName: 'leaf', ca: false }).pem }),
      `${AT}.caRoots`,
      'not a CA',
    );
  });

  it('refuses a real Fulcio leaf (empty subject) as caRoots with a config error, not a crash', () => {
    const hashedrekord = rekorV1Production()
      .map((e) => JSON.parse(Buffer.from(e.leaf).toString('utf8')))
      .find((b) => b.kind === 'hashedrekord');
    const leafPem = Buffer.from(hashedrekord.spec.signature.publicKey.content, 'base64').toString('utf8');
    assertConfigIssue(
      parse({ subjects: ['a'], caRoots: leafPem }),
      `${AT}.caRoots`,
      '(empty subject) is not a CA',
    );
  });

  it('refuses unknown fields, a bad startIndex and a bad fingerprint', () => {
    assertConfigIssue(
      parse({ subjects: ['a'], certIdentity: [] }),
      `${AT}.certIdentity`,
      'did you mean "certIdentities"',
    );
    assertConfigIssue(
      parse({ certIdentities: [{ certSubject: 'a', issuer: ['b'] }] }),
      `${AT}.certIdentities[0].issuer`,
      'unknown field',
    );
    assertConfigIssue(parse({ subjects: ['a'], startIndex: 5 }), `${AT}.startIndex`, 'decimal string');
    assertConfigIssue(parse({ subjects: ['a'], startIndex: '18446744073709551616' }), `${AT}.startIndex`);
    assertConfigIssue(parse({ subjects: ['a'], startIndex: '007' }), `${AT}.startIndex`);
    assertConfigIssue(parse({ fingerprints: ['A0B1C2D3E4F5'] }), `${AT}.fingerprints[0]`, '64 hex digits');
    assertConfigIssue(parse('alice'), AT, 'must be an object');
  });
});
