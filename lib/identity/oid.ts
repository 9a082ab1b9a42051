/**
 * Object identifiers in dotted form and as DER contents octets (X.690 §8.19), so a configured OID
 * is compared with a certificate's as bytes, without decoding every OID the certificate holds.
 */

/** X.690 §8.19: at least two arcs; the first 0, 1 or 2; the second below 40 unless the first is 2. */
const DOTTED = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;

/** The OID's DER contents octets, or why the text is not a dotted OID. */
export function encodeOid(dotted: string): Uint8Array | { error: string } {
  if (dotted.length > 200 || !DOTTED.test(dotted))
    return { error: 'must be a dotted object identifier such as "1.3.6.1.4.1.57264.1.12"' };
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [first, second] = arcs as [bigint, bigint];
  if (first > 2n) return { error: `the first arc must be 0, 1 or 2 (X.690 §8.19.4), got ${first}` };
  if (first < 2n && second >= 40n)
    return { error: `the second arc must be below 40 when the first is ${first}, got ${second}` };
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) {
    const base128: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) base128.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...base128);
  }
  return Uint8Array.from(out);
}

/** encodeOid for OIDs written in this code; throws on a typo. */
export function knownOid(dotted: string): Uint8Array {
  const encoded = encodeOid(dotted);
  if ('error' in encoded) throw new Error(`bad built-in OID ${dotted}: ${encoded.error}`);
  return encoded;
}
