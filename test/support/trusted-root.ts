/**
 * Builds Sigstore trusted_root.json documents for tests, with keys made here (node:crypto), the
 * way a private deployment (RHTAS, the sigstore Helm charts) publishes its own.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface TestLogKey {
  readonly baseUrl: string;
  readonly kind: 'p256' | 'ed25519';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER SPKI. */
  readonly spki: Buffer;
  readonly start?: string;
  readonly end?: string;
  /** The checkpoint origin a Rekor v2 log signs as (its logId depends on it). */
  readonly origin?: string;
}

export function testLogKey(
  baseUrl: string,
  kind: 'p256' | 'ed25519',
  validFor: { start?: string; end?: string; origin?: string } = {},
): TestLogKey {
  const { privateKey, publicKey } =
    kind === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { baseUrl, kind, privateKey, publicKey, spki, ...validFor };
}

export function pemOf(key: TestLogKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The log ID a trusted root lists: SHA-256 of the SPKI, or for an Ed25519 tile log the C2SP key hash. */
export function logIdOf(key: TestLogKey): string {
  if (key.kind === 'ed25519' && key.origin !== undefined) {
    const raw = key.spki.subarray(key.spki.length - 32);
    return createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${key.origin}\n`), Buffer.from([1]), raw]))
      .digest('base64');
  }
  return createHash('sha256').update(key.spki).digest('base64');
}

function instance(key: TestLogKey): Record<string, unknown> {
  return {
    baseUrl: key.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: key.spki.toString('base64'),
      keyDetails: key.kind === 'p256' ? 'PKIX_ECDSA_P256_SHA_256' : 'PKIX_ED25519',
      validFor: { ...(key.start ? { start: key.start } : {}), ...(key.end ? { end: key.end } : {}) },
    },
    logId: { keyId: logIdOf(key) },
  };
}

export function trustedRootJson(tlogs: readonly TestLogKey[], ctlogs: readonly TestLogKey[] = []): string {
  return `${JSON.stringify(
    {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: tlogs.map(instance),
      certificateAuthorities: [],
      ctlogs: ctlogs.map(instance),
      timestampAuthorities: [],
    },
    null,
    2,
  )}\n`;
}
