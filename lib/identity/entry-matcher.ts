/**
 * The EntryMatcher (identity-match.ts) compiled from one log's `identities` config: reads who
 * signed a proven entry (rekor-signers.ts, ct-signers.ts) and reports each configured rule the
 * entry satisfies (docs/contracts.md, "Identity monitoring"):
 *
 * - certIdentities: `certSubject` matches a SAN of a certificate and, when `issuers` is given, the
 *   Fulcio OIDC issuer (1.3.6.1.4.1.57264.1.8, else .1.1) matches one of them;
 * - subjects: a SAN, or the subject's commonName or emailAddress, of a certificate;
 * - fingerprints: SHA-256 of the key's DER SubjectPublicKeyInfo (certificate or bare key), or of a
 *   whole certificate's DER (rekor-monitor's certificate fingerprint);
 * - oidMatchers: the extension's decoded value equals one of the values;
 * - caRoots: matches on a certificate count only when it chains to caRoots (ca-roots.ts).
 *
 * Names are decoded only when a rule needs them, and the chain is checked only for a certificate
 * that matched. An entry that cannot be read is `skipped` with the reason; match never throws.
 */
import { hash } from 'node:crypto';
import { preview } from '../bytes.ts';
import type { EntryFormat, ReceivedEntry } from '../entries/received-entry.ts';
import { isTlogError, TlogError } from '../errors.ts';
import { compileAnchored } from './anchored-regex.ts';
import { CaRoots } from './ca-roots.ts';
import { type CertificateView, spkiBytes } from './certificate.ts';
import { extensionText, fulcioIssuer, subjectAltNames, subjectNames } from './certificate-names.ts';
import { ctSigners } from './ct-signers.ts';
import { isRawFulcioOid } from './fulcio-oids.ts';
import type { IdentitiesConfig } from './identities-config.ts';
import type { EntryMatcher, EntryVerdict, IdentityMatch, MatcherKind } from './identity-match.ts';
import { knownOid } from './oid.ts';
import { rekorV1Signers, rekorV2Signers } from './rekor-signers.ts';
import type { EntrySigners, Signer } from './signer.ts';
import { LIMITS, unreadable } from './unreadable.ts';

interface Rule {
  readonly matcher: MatcherKind;
  readonly rule: string;
}

interface CertIdentity extends Rule {
  readonly subject: RegExp;
  readonly issuers?: readonly RegExp[];
}

interface SubjectRule extends Rule {
  readonly re: RegExp;
}

interface OidRule extends Rule {
  readonly oid: Uint8Array;
  readonly raw: boolean;
  readonly values: ReadonlySet<string>;
}

/** Compiles a config that parseIdentities accepted; throws on one it would refuse. */
export function createEntryMatcher(config: IdentitiesConfig): EntryMatcher {
  return new CompiledMatcher(config);
}

type Hits = Map<Rule, Set<string>>;

class CompiledMatcher implements EntryMatcher {
  private readonly certIdentities: readonly CertIdentity[];
  private readonly subjects: readonly SubjectRule[];
  private readonly fingerprints: ReadonlyMap<string, Rule>;
  private readonly oidRules: readonly OidRule[];
  private readonly caRoots: CaRoots | undefined;
  /** Every rule in config order, so matches come out in the order they are configured. */
  private readonly order: readonly Rule[];

  constructor(config: IdentitiesConfig) {
    this.certIdentities = (config.certIdentities ?? []).map((r) => ({
      matcher: 'certIdentities',
      rule: r.issuers === undefined ? r.certSubject : `${r.certSubject} (issuers: ${r.issuers.join(', ')})`,
      subject: regex(r.certSubject),
      ...(r.issuers === undefined ? {} : { issuers: r.issuers.map(regex) }),
    }));
    this.subjects = (config.subjects ?? []).map((s) => ({ matcher: 'subjects', rule: s, re: regex(s) }));
    this.fingerprints = new Map(
      (config.fingerprints ?? []).map((f) => [f, { matcher: 'fingerprints', rule: f }]),
    );
    this.oidRules = (config.oidMatchers ?? []).map((o) => ({
      matcher: 'oidMatchers',
      rule: o.objectIdentifier,
      oid: knownOid(o.objectIdentifier),
      raw: isRawFulcioOid(o.objectIdentifier),
      values: new Set(o.extensionValues),
    }));
    this.caRoots = config.caRoots === undefined ? undefined : new CaRoots(config.caRoots);
    this.order = [...this.certIdentities, ...this.subjects, ...this.fingerprints.values(), ...this.oidRules];
  }

  match(format: EntryFormat, entry: ReceivedEntry): EntryVerdict {
    try {
      const { entryType, signers } = signersOf(format, entry);
      if (signers.length > LIMITS.maxSigners) unreadable(`more than ${LIMITS.maxSigners} signers`);
      const hits: Hits = new Map();
      for (const signer of signers) this.matchSigner(signer, hits);
      const matches: Omit<IdentityMatch, 'index' | 'shard'>[] = [];
      for (const rule of this.order) {
        const values = hits.get(rule);
        if (values !== undefined)
          matches.push({ matcher: rule.matcher, rule: rule.rule, values: [...values], entryType });
      }
      return { matches };
    } catch (e) {
      return {
        skipped: isTlogError(e)
          ? e.message
          : `unexpected error reading the entry: ${preview(String(e), 200)}`,
      };
    }
  }

  private matchSigner(signer: Signer, hits: Hits): void {
    if (signer.kind === 'key') {
      if (this.fingerprints.size > 0) this.matchFingerprint(sha256Hex(signer.spki), hits);
      return;
    }
    const found: Hits = new Map();
    this.matchCertificate(signer.cert, found);
    if (found.size === 0) return;
    if (this.caRoots !== undefined) {
      const chained =
        signer.kind === 'certificate'
          ? this.caRoots.certificateChains(signer.cert.der as Uint8Array, signer.chain())
          : this.caRoots.issuerKeyChains(signer.issuerKeyHash, signer.chain());
      if (!chained) return;
    }
    for (const [rule, values] of found) for (const v of values) add(hits, rule, v);
  }

  private matchCertificate(cert: CertificateView, found: Hits): void {
    const sans = this.certIdentities.length > 0 || this.subjects.length > 0 ? subjectAltNames(cert) : [];
    let issuer: string | undefined | null = null; // null: not read yet
    for (const rule of this.certIdentities) {
      const matched = sans.filter((s) => rule.subject.test(s));
      if (matched.length === 0) continue;
      if (rule.issuers !== undefined) {
        if (issuer === null) issuer = fulcioIssuer(cert);
        const iss = issuer;
        if (iss === undefined || !rule.issuers.some((re) => re.test(iss))) continue;
        matched.push(iss);
      }
      for (const v of matched) add(found, rule, v);
    }
    if (this.subjects.length > 0) {
      const names = [...sans, ...subjectNames(cert)];
      for (const rule of this.subjects) for (const n of names) if (rule.re.test(n)) add(found, rule, n);
    }
    if (this.fingerprints.size > 0) {
      this.matchFingerprint(sha256Hex(spkiBytes(cert)), found);
      if (cert.der !== undefined) this.matchFingerprint(sha256Hex(cert.der), found);
    }
    for (const rule of this.oidRules) {
      const text = extensionText(cert, rule.oid, rule.raw);
      if (text !== undefined && rule.values.has(text)) add(found, rule, text);
    }
  }

  private matchFingerprint(hex: string, hits: Hits): void {
    const rule = this.fingerprints.get(hex);
    if (rule !== undefined) add(hits, rule, hex);
  }
}

function signersOf(format: EntryFormat, entry: ReceivedEntry): EntrySigners {
  switch (format) {
    case 'rekor-v1':
      return rekorV1Signers(entry.leaf);
    case 'rekor-v2':
      return rekorV2Signers(entry.leaf);
    case 'ct':
      return ctSigners(entry.leaf, entry.unsigned);
    case 'static-ct':
      // Only chain fingerprints come with static-ct entries: no certificates to build a chain from.
      return ctSigners(entry.leaf, undefined);
  }
}

function add(hits: Hits, rule: Rule, value: string): void {
  const set = hits.get(rule);
  if (set === undefined) hits.set(rule, new Set([value]));
  else set.add(value);
}

function regex(source: string): RegExp {
  const compiled = compileAnchored(source);
  if ('error' in compiled)
    throw new TlogError('config/invalid', `identities regex ${JSON.stringify(source)} ${compiled.error}`);
  return compiled;
}

/** One-shot hash: twice as fast as createHash on a 91-byte SPKI, a quarter faster on a 2 KB certificate (BENCHMARKS.md). */
function sha256Hex(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}
