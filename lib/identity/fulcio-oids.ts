/**
 * Fulcio's certificate extensions, 1.3.6.1.4.1.57264.1.1 to .1.22 (sigstore/fulcio
 * docs/oid-info.md), under the names rekor-monitor's `oidMatchers.fulcioExtensions` uses (its YAML
 * keys) and its Go names (camelCase), so either can name an OID in `oidMatchers`.
 *
 * .1.1 to .1.6 are deprecated and hold the value as raw bytes (not DER); .1.8 onwards hold a DER
 * UTF8String. .1.7 is not an extension: it is the type-id of the SAN otherName Fulcio uses for a
 * username identity.
 */

export interface FulcioOid {
  readonly oid: string;
  /** rekor-monitor's YAML key under `fulcioExtensions`. */
  readonly name: string;
  /** The Go field name, camelCase. */
  readonly camelName: string;
  /** Deprecated encoding: the extension value is the text itself, not a DER string. */
  readonly raw: boolean;
}

const P = '1.3.6.1.4.1.57264.1';

export const FULCIO_ISSUER_V1 = `${P}.1`;
export const FULCIO_ISSUER_V2 = `${P}.8`;
/** The SAN otherName type-id Fulcio uses for usernames (a UTF8String). */
export const FULCIO_OTHER_NAME = `${P}.7`;

export const FULCIO_OIDS: readonly FulcioOid[] = [
  [1, 'issuer', 'issuer', true],
  [2, 'github-workflow-trigger', 'githubWorkflowTrigger', true],
  [3, 'github-workflow-sha', 'githubWorkflowSHA', true],
  [4, 'github-workflow-name', 'githubWorkflowName', true],
  [5, 'github-workflow-repository', 'githubWorkflowRepository', true],
  [6, 'github-workflow-ref', 'githubWorkflowRef', true],
  [7, 'other-name', 'otherName', false],
  [8, 'issuer-v2', 'issuerV2', false],
  [9, 'build-signer-uri', 'buildSignerURI', false],
  [10, 'build-signer-digest', 'buildSignerDigest', false],
  [11, 'runner-environment', 'runnerEnvironment', false],
  [12, 'source-repository-uri', 'sourceRepositoryURI', false],
  [13, 'source-repository-digest', 'sourceRepositoryDigest', false],
  [14, 'source-repository-ref', 'sourceRepositoryRef', false],
  [15, 'source-repository-identifier', 'sourceRepositoryIdentifier', false],
  [16, 'source-repository-owner-uri', 'sourceRepositoryOwnerURI', false],
  [17, 'source-repository-owner-identifier', 'sourceRepositoryOwnerIdentifier', false],
  [18, 'build-config-uri', 'buildConfigURI', false],
  [19, 'build-config-digest', 'buildConfigDigest', false],
  [20, 'build-trigger', 'buildTrigger', false],
  [21, 'run-invocation-uri', 'runInvocationURI', false],
  [22, 'source-repository-visibility-at-signing', 'sourceRepositoryVisibilityAtSigning', false],
].map(([n, name, camelName, raw]) => ({
  oid: `${P}.${n}`,
  name: name as string,
  camelName: camelName as string,
  raw: raw as boolean,
}));

/**
 * The OIDs a name stands for. As in rekor-monitor, `issuer` stands for both issuer extensions
 * (.1.1 and .1.8); `issuer-v2`/`issuerV2` for .1.8 alone.
 */
export function fulcioOidsNamed(name: string): readonly string[] | undefined {
  if (name === 'issuer') return [FULCIO_ISSUER_V1, FULCIO_ISSUER_V2];
  const hit = FULCIO_OIDS.find((f) => f.name === name || f.camelName === name);
  return hit === undefined ? undefined : [hit.oid];
}

/** True for the deprecated Fulcio OIDs whose value is raw text rather than a DER string. */
export function isRawFulcioOid(oid: string): boolean {
  return FULCIO_OIDS.some((f) => f.oid === oid && f.raw);
}
