/** Shared handling of log answers: bounded fetch to text, and tagging errors with what was received. */
import { bytesEqual, fromUtf8, toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import type { PublicKey } from '../keys/public-key.ts';
import { EMPTY_ROOT } from '../merkle/index.ts';

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

/**
 * The empty tree has one root, SHA-256 of the empty string (RFC 9162 §2.1.1): a signed head of
 * size 0 with any other root is impossible, and is refused before anything is stored (every
 * honest growth after it would read as inconsistent).
 */
export function requirePossibleHead(size: bigint, rootHash: Uint8Array): void {
  if (size === 0n && !bytesEqual(rootHash, EMPTY_ROOT)) {
    throw new TlogError(
      'response/mismatch',
      `signed head of size 0 has root ${toBase64(rootHash)}, but the empty tree's root is SHA-256("") = ${toBase64(EMPTY_ROOT)}`,
    );
  }
}
