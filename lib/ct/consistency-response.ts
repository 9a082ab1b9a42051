/** The `get-sth-consistency` answer (RFC 6962 §4.4): `{"consistency": [base64 node hash, ...]}`. */

import { TlogError } from '../errors.ts';
import { asBase64, asObject } from '../json/access.ts';
import { parseJson } from '../json/parse.ts';

/**
 * A consistency proof for a tree of n leaves has at most ceil(log2 n) + 1 hashes (RFC 9162
 * §2.1.4), so 64 is enough for every tree of up to 2^63 leaves; a longer list is refused unread.
 */
export const MAX_CONSISTENCY_HASHES = 64;

/**
 * Parses the answer strictly: each hash base64 of exactly 32 bytes, at most 64 hashes.
 * `"consistency": null` is read as an empty proof (Go servers encode an empty proof that way).
 * Throws 'response/malformed'. The proof itself is checked by the Merkle verifier.
 */
export function parseGetSthConsistencyResponse(body: string): Uint8Array[] {
  const obj = asObject(parseJson(body), '');
  if (!Object.hasOwn(obj, 'consistency')) {
    throw new TlogError(
      'response/malformed',
      'consistency: expected an array of base64 hashes, got nothing (field absent)',
    );
  }
  const list = obj.consistency;
  if (list === null) return [];
  if (!Array.isArray(list)) {
    throw new TlogError(
      'response/malformed',
      `consistency: expected an array of base64 hashes, got ${typeof list}`,
    );
  }
  if (list.length > MAX_CONSISTENCY_HASHES) {
    throw new TlogError(
      'response/malformed',
      `consistency: expected at most ${MAX_CONSISTENCY_HASHES} hashes, got ${list.length}`,
      { expected: MAX_CONSISTENCY_HASHES, actual: list.length },
    );
  }
  return list.map((h, i) => asBase64(h, `consistency[${i}]`, 32));
}
