/**
 * Identity matching (lib/identity/) on real entries: the production Rekor v1 and Rekor v2 entries
 * of the vectors (Fulcio certificates of 1.3–2.9 KB) and the real Icarus CT leaf with its
 * extra_data. The config has every kind of rule and matches none of these entries, the common case
 * when scanning a log; a second row has a rule that matches every entry (the rare case).
 *
 * Beside it: what parsing one Fulcio certificate costs with maintained libraries, which is why the
 * matchers locate fields by offsets (lib/identity/der-text.ts) and decode only what a rule needs.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { fromBase64 } from '../lib/bytes.ts';
import type { EntryFormat, ReceivedEntry } from '../lib/entries/received-entry.ts';
import { readCertificate } from '../lib/identity/certificate.ts';
import { subjectAltNames } from '../lib/identity/certificate-names.ts';
import { createEntryMatcher } from '../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../lib/identity/identities-config.ts';
import { rekorV1Signers } from '../lib/identity/rekor-signers.ts';
import { readVector } from '../test/support/vectors.ts';
import { rekorV1ProductionEntries, rekorV2Entries } from './fixtures.ts';
import { type BenchResult, benchGroup } from './harness.ts';
import { loadPeculiarX509 } from './peculiar-x509.ts';
import type { Section } from './section.ts';

/** Every kind of rule, none matching the vector entries. */
const NO_MATCH: IdentitiesConfig = {
  certIdentities: [
    { certSubject: 'alice@example\\.com', issuers: ['https://accounts\\.google\\.com'] },
    { certSubject: 'https://github\\.com/acme/.*' },
  ],
  subjects: ['(.*\\.)?acme\\.example'],
  fingerprints: ['00'.repeat(32)],
  oidMatchers: [
    { objectIdentifier: '1.3.6.1.4.1.57264.1.12', extensionValues: ['https://github.com/acme/widget'] },
  ],
};

/** A rule every Fulcio certificate and the CT leaf satisfy. */
const MATCH_ALL: IdentitiesConfig = { subjects: ['.*'] };

function entries(leaves: readonly Uint8Array[], unsigned?: Uint8Array): ReceivedEntry[] {
  return leaves.map((leaf, i) => ({ index: BigInt(i), leaf, ...(unsigned ? { unsigned } : {}) }));
}

export async function identityBenchmarks(): Promise<Section> {
  const x509 = await loadPeculiarX509();
  const v1 = entries(rekorV1ProductionEntries().map((e) => e.body));
  const v2 = entries(rekorV2Entries().map((e) => e.body));
  const icarus = readVector('ct/proofs.json').inclusion[0];
  const ct = entries([fromBase64(icarus.leaf_input)], fromBase64(icarus.extra_data));
  const noMatch = createEntryMatcher(NO_MATCH);
  const matchAll = createEntryMatcher(MATCH_ALL);

  const fulcioDer = (() => {
    const signer = rekorV1Signers(v1[7]?.leaf as Uint8Array).signers[0];
    if (signer?.kind !== 'certificate' || signer.cert.der === undefined)
      throw new Error('fixture: no certificate');
    return signer.cert.der;
  })();

  const run =
    (format: EntryFormat, list: readonly ReceivedEntry[], m = noMatch) =>
    () => {
      let n = 0;
      for (const e of list) {
        const v = m.match(format, e);
        if ('skipped' in v) throw new Error(`fixture skipped: ${v.skipped}`);
        n += v.matches.length;
      }
      return n;
    };
  /** The CPU pipeline minus the scan's own bookkeeping: leaf hash, one amortised fold hash, match. */
  const pipeline = (format: EntryFormat, list: readonly ReceivedEntry[]) => () => {
    let n = 0;
    for (const e of list) {
      const leafHash = createHash('sha256')
        .update(new Uint8Array([0]))
        .update(e.leaf)
        .digest();
      createHash('sha256')
        .update(new Uint8Array([1]))
        .update(leafHash)
        .update(leafHash)
        .digest();
      const v = noMatch.match(format, e);
      n += 'matches' in v ? v.matches.length : 1;
    }
    return n;
  };

  const avgBytes = (list: readonly ReceivedEntry[]) =>
    Math.round(list.reduce((s, e) => s + e.leaf.length, 0) / list.length);

  const results: BenchResult[] = benchGroup([
    {
      name: 'Rekor v1 entry: match, no rule matches',
      fn: run('rekor-v1', v1),
      options: { opsPerCall: v1.length, note: `${v1.length} production entries, avg ${avgBytes(v1)} B` },
    },
    {
      name: 'Rekor v1 entry: match, a rule matches',
      fn: run('rekor-v1', v1, matchAll),
      options: { opsPerCall: v1.length, note: 'subjects [".*"]' },
    },
    {
      name: 'Rekor v1 entry: leaf hash + fold hash + match',
      fn: pipeline('rekor-v1', v1),
      options: { opsPerCall: v1.length, note: 'node:crypto SHA-256' },
    },
    {
      name: 'Rekor v2 entry: match, no rule matches',
      fn: run('rekor-v2', v2),
      options: { opsPerCall: v2.length, note: `${v2.length} entries, avg ${avgBytes(v2)} B` },
    },
    {
      name: 'CT x509 entry: match, no rule matches',
      fn: run('ct', ct),
      options: { note: `Icarus leaf ${ct[0]?.leaf.length} B` },
    },
    {
      name: 'CT x509 entry: leaf hash + fold hash + match',
      fn: pipeline('ct', ct),
      options: { note: 'node:crypto SHA-256' },
    },
    {
      name: 'Fulcio cert: readCertificate + SANs (ours)',
      fn: () => subjectAltNames(readCertificate(fulcioDer)).length,
      options: { note: `${fulcioDer.length} B DER` },
    },
    {
      name: 'Fulcio cert: node:crypto X509Certificate + SANs',
      fn: () => new X509Certificate(fulcioDer).subjectAltName?.length,
      options: { note: 'OpenSSL' },
    },
    {
      name: 'Fulcio cert: @peculiar/x509 X509Certificate + SANs',
      fn: () =>
        new x509.X509Certificate(fulcioDer).getExtension(x509.SubjectAlternativeNameExtension)?.names.items
          .length,
      options: { note: 'with a Reflect metadata shim (bench/peculiar-x509.ts)' },
    },
    {
      name: 'Fulcio cert: @peculiar/asn1-x509 Certificate',
      fn: () => AsnConvert.parse(fulcioDer, Certificate).tbsCertificate.extensions?.length,
      options: { note: 'asn1-schema over asn1js' },
    },
  ]);
  const cpu = [
    cpuLine('Rekor v1 leaf hash + fold hash + match', pipeline('rekor-v1', v1), v1.length),
    cpuLine('CT x509 leaf hash + fold hash + match', pipeline('ct', ct), ct.length),
  ];
  return {
    title: 'Identity matching (lib/identity)',
    lines: [
      'Per entry. "No rule matches" is a config with certIdentities (with and without issuers), subjects, fingerprints and oidMatchers that none of the entries satisfy.',
      'CPU time per entry (process.cpuUsage over about half a second, all threads of the process: less sensitive than wall time to other load on the machine):',
      ...cpu,
    ],
    results,
  };
}

/** CPU microseconds per entry over about 500 ms of calls, and the entries per second of CPU it implies. */
function cpuLine(name: string, fn: () => unknown, opsPerCall: number): string {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  const start = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let calls = 0;
  while (Number(process.hrtime.bigint() - wallStart) < 500e6) {
    fn();
    calls++;
  }
  const used = process.cpuUsage(start);
  const us = (used.user + used.system) / (calls * opsPerCall);
  return `- ${name}: ${us.toFixed(1)} µs of CPU per entry, ${Math.round(1e6 / us).toLocaleString('en-US')} entries per CPU-second`;
}
