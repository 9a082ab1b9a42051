/**
 * The per-log `identities` config (docs/contracts.md, "Identity monitoring"). Names follow rekor-monitor's
 * `monitoredValues`; `oidMatchers` is either our list form or rekor-monitor's object form
 * (`fulcioExtensions` by name, `oidExtensions` with integer arcs, `customExtensions` with dotted
 * OIDs), which is read into the list form. Every problem names the log and the field.
 */
import { type ConfigIssues, describe, isPlainObject, unknownFieldMessage } from '../config/issues.ts';
import { compileAnchored } from './anchored-regex.ts';
import { parseCaBundle } from './ca-roots.ts';
import { MAX_RULES, type OidMatcherRule, parseOidMatchers } from './oid-matchers-config.ts';

export type { OidMatcherRule };

export interface CertIdentityRule {
  /** Anchored regex over every SAN (email, URI, DNS name, otherName). */
  readonly certSubject: string;
  /** Anchored regexes; when given, the Fulcio OIDC issuer must match one of them. */
  readonly issuers?: readonly string[];
}

export interface IdentitiesConfig {
  /** The first entry to scan; absent: the first verified head's size (new entries only). */
  readonly startIndex?: bigint;
  readonly certIdentities?: readonly CertIdentityRule[];
  /** Anchored regexes over the names an entry gives its signer (SANs, subject CN and emailAddress). */
  readonly subjects?: readonly string[];
  /** Lowercase hex SHA-256 of a DER SubjectPublicKeyInfo (or, as rekor-monitor, of a certificate). */
  readonly fingerprints?: readonly string[];
  readonly oidMatchers?: readonly OidMatcherRule[];
  /** PEM bundle: a certificate that does not chain to one of these is not a match. */
  readonly caRoots?: string;
}

export const IDENTITIES_FIELDS = [
  'startIndex',
  'certIdentities',
  'subjects',
  'fingerprints',
  'oidMatchers',
  'caRoots',
] as const;

const U64_MAX = (1n << 64n) - 1n;

/** Validates `identities`; adds every problem to `issues` under `path` and returns undefined if any. */
export function parseIdentities(
  raw: unknown,
  path: string,
  issues: ConfigIssues,
): IdentitiesConfig | undefined {
  const before = issues.list.length;
  if (!isPlainObject(raw)) {
    issues.add(path, `must be an object with ${IDENTITIES_FIELDS.join(', ')}, got ${describe(raw)}`);
    return undefined;
  }
  const at = (f: string): string => `${path}.${f}`;
  for (const key of Object.keys(raw)) {
    if (!(IDENTITIES_FIELDS as readonly string[]).includes(key))
      issues.add(at(key), unknownFieldMessage(key, IDENTITIES_FIELDS));
  }

  const startIndex =
    raw.startIndex === undefined ? undefined : parseStartIndex(raw.startIndex, at('startIndex'), issues);
  const certIdentities = optionalList(raw.certIdentities, at('certIdentities'), issues, (v, p) =>
    parseCertIdentity(v, p, issues),
  );
  const subjects = optionalList(raw.subjects, at('subjects'), issues, (v, p) => regexText(v, p, issues));
  const fingerprints = optionalList(raw.fingerprints, at('fingerprints'), issues, (v, p) =>
    parseFingerprint(v, p, issues),
  );
  const oidMatchers =
    raw.oidMatchers === undefined ? undefined : parseOidMatchers(raw.oidMatchers, at('oidMatchers'), issues);
  const caRoots = raw.caRoots === undefined ? undefined : parseCaRoots(raw.caRoots, at('caRoots'), issues);

  const rules =
    (certIdentities?.length ?? 0) +
    (subjects?.length ?? 0) +
    (fingerprints?.length ?? 0) +
    (oidMatchers?.length ?? 0);
  if (issues.list.length === before && rules === 0)
    issues.add(
      path,
      'has no matcher: give at least one of certIdentities, subjects, fingerprints, oidMatchers',
    );
  if (issues.list.length !== before) return undefined;
  return Object.freeze({
    ...(startIndex === undefined ? {} : { startIndex }),
    ...(certIdentities === undefined ? {} : { certIdentities: Object.freeze(certIdentities) }),
    ...(subjects === undefined ? {} : { subjects: Object.freeze(subjects) }),
    ...(fingerprints === undefined ? {} : { fingerprints: Object.freeze(fingerprints) }),
    ...(oidMatchers === undefined ? {} : { oidMatchers: Object.freeze(oidMatchers) }),
    ...(caRoots === undefined ? {} : { caRoots }),
  });
}

/** The config as written in a file: startIndex back to a decimal string. */
export function identitiesToJson(config: IdentitiesConfig): Record<string, unknown> {
  const { startIndex, ...rest } = config;
  return { ...(startIndex === undefined ? {} : { startIndex: startIndex.toString() }), ...rest };
}

function parseStartIndex(v: unknown, path: string, issues: ConfigIssues): bigint | undefined {
  if (typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v) && BigInt(v) <= U64_MAX) return BigInt(v);
  issues.add(
    path,
    `must be an entry index as a decimal string (e.g. "123456"; indices pass 2^53), got ${describe(v)}`,
  );
  return undefined;
}

function optionalList<T>(
  v: unknown,
  path: string,
  issues: ConfigIssues,
  item: (v: unknown, path: string) => T | undefined,
): T[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > MAX_RULES) {
    issues.add(path, `must be an array of at most ${MAX_RULES} rules, got ${describe(v)}`);
    return undefined;
  }
  const out = v.map((x, i) => item(x, `${path}[${i}]`));
  return out.every((x) => x !== undefined) ? (out as T[]) : undefined;
}

function regexText(v: unknown, path: string, issues: ConfigIssues): string | undefined {
  if (typeof v !== 'string') {
    issues.add(path, `must be a regular expression string, got ${describe(v)}`);
    return undefined;
  }
  const compiled = compileAnchored(v);
  if ('error' in compiled) {
    issues.add(path, `${compiled.error}, got ${describe(v)}`);
    return undefined;
  }
  return v;
}

function parseCertIdentity(v: unknown, path: string, issues: ConfigIssues): CertIdentityRule | undefined {
  if (!isPlainObject(v)) {
    issues.add(path, `must be an object { certSubject, issuers? }, got ${describe(v)}`);
    return undefined;
  }
  for (const key of Object.keys(v)) {
    if (key !== 'certSubject' && key !== 'issuers')
      issues.add(`${path}.${key}`, unknownFieldMessage(key, ['certSubject', 'issuers']));
  }
  if (v.certSubject === undefined) {
    issues.add(`${path}.certSubject`, 'is required: a regular expression over the certificate SANs');
    return undefined;
  }
  const certSubject = regexText(v.certSubject, `${path}.certSubject`, issues);
  let issuers: string[] | undefined;
  if (v.issuers !== undefined) {
    if (Array.isArray(v.issuers) && v.issuers.length === 0) {
      issues.add(
        `${path}.issuers`,
        'is empty: give at least one issuer regex, or leave issuers out to accept any issuer',
      );
      return undefined;
    }
    issuers = optionalList(v.issuers, `${path}.issuers`, issues, (x, p) => regexText(x, p, issues));
    if (issuers === undefined) return undefined;
  }
  if (certSubject === undefined) return undefined;
  return Object.freeze({
    certSubject,
    ...(issuers === undefined ? {} : { issuers: Object.freeze(issuers) }),
  });
}

function parseFingerprint(v: unknown, path: string, issues: ConfigIssues): string | undefined {
  if (typeof v === 'string' && /^[0-9a-fA-F]{64}$/.test(v)) return v.toLowerCase();
  issues.add(path, `must be a SHA-256 fingerprint: 64 hex digits, got ${describe(v)}`);
  return undefined;
}

function parseCaRoots(v: unknown, path: string, issues: ConfigIssues): string | undefined {
  if (typeof v !== 'string') {
    issues.add(
      path,
      `must be PEM text with one or more "-----BEGIN CERTIFICATE-----" blocks, got ${describe(v)}`,
    );
    return undefined;
  }
  let certs: ReturnType<typeof parseCaBundle>;
  try {
    certs = parseCaBundle(v);
  } catch (e) {
    issues.add(path, `${(e as Error).message}`);
    return undefined;
  }
  if (certs.length === 0) {
    issues.add(path, `has no "-----BEGIN CERTIFICATE-----" block, got ${describe(v)}`);
    return undefined;
  }
  const notCa = certs.findIndex((c) => !c.ca);
  if (notCa >= 0) {
    issues.add(
      path,
      `certificate ${notCa + 1} of ${certs.length} (${certs[notCa]?.subject?.replaceAll('\n', ', ') || 'empty subject'}) is not a CA (basicConstraints cA), so it cannot issue anything`,
    );
    return undefined;
  }
  return v;
}
