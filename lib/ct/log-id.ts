/** RFC 6962 §3.2 LogID: SHA-256 of the log's DER SubjectPublicKeyInfo. */
import { bytesEqual } from '../bytes.ts';
import { keyId, type PublicKey } from '../keys/public-key.ts';

export function logIdOf(key: PublicKey): Uint8Array {
  return keyId(key);
}

/** The first candidate whose key has this log id, or undefined: an unknown log. */
export function findByLogId<T>(
  candidates: Iterable<T>,
  logId: Uint8Array,
  keyOf: (candidate: T) => PublicKey,
): T | undefined {
  for (const c of candidates) {
    if (bytesEqual(logIdOf(keyOf(c)), logId)) return c;
  }
  return undefined;
}
