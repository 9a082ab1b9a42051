/**
 * Proof shapes from the RFC 9162 recursions, on bigint sizes, independent of lib/merkle's bit
 * arithmetic. A shape fixes exactly how a verifier combines the proof's hashes, so two size pairs
 * with the same shape verify the same proofs against the same roots.
 */

/** The RFC's k: the largest power of two smaller than n (n > 1). */
function split(n: bigint): bigint {
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return k;
}

/**
 * PATH(m, D[n]) (§2.1.3.1) as sibling sides, bottom-up: 'R' = sibling on the right
 * (r = H(r ‖ p)), 'L' = sibling on the left (r = H(p ‖ r)).
 */
export function inclusionDirections(m: bigint, n: bigint): string {
  if (n === 1n) return '';
  const k = split(n);
  return m < k ? `${inclusionDirections(m, k)}R` : `${inclusionDirections(m - k, n - k)}L`;
}

/**
 * PROOF(m, D[n]) (§2.1.4.1) as operations, bottom-up: 'S' = the proof's first hash is the seed
 * subtree, 'R' = right sibling (new tree only), 'L' = left sibling (both trees).
 */
export function consistencyOps(m: bigint, n: bigint, b = true): string {
  if (m === n) return b ? '' : 'S';
  const k = split(n);
  return m <= k ? `${consistencyOps(m, k, b)}R` : `${consistencyOps(m - k, n - k, false)}L`;
}
