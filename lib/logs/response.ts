/** Shared handling of log answers: bounded fetch to text, and tagging errors with what was received. */
import { fromUtf8 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import type { PublicKey } from '../keys/public-key.ts';

/** GETs a JSON document within `maxBytes` and decodes it as strict UTF-8. */
export async function readJsonText(http: HttpClient, url: string, maxBytes: number): Promise<string> {
  const res = await http.get(url, { maxBytes, accept: 'application/json' });
  return fromUtf8(res.body, 'response/malformed');
}

/**
 * Runs a verification of a signed head; if it fails, the error carries the head exactly as
 * received (`details.received`) so a bad-signature result can show it as evidence.
 */
export function withReceived<T>(received: string, verify: () => T): T {
  try {
    return verify();
  } catch (e) {
    if (e instanceof TlogError && e.details?.received === undefined) {
      throw new TlogError(e.code, e.message, { ...e.details, received }, { cause: e });
    }
    throw e;
  }
}

/** Rekor v1 and RFC 6962 CT logs sign their heads with ECDSA P-256; any other pinned key is refused. */
export function requireP256(key: PublicKey, type: 'rekor-v1' | 'ct'): void {
  if (key.kind !== 'p256') {
    throw new TlogError(
      'key/unsupported',
      `${type} logs sign with ECDSA P-256; expected a P-256 key, the configured key is ${key.kind}`,
    );
  }
}
