/**
 * Decides whether one verified head extends another: same tree, a fork, a rollback, or a
 * consistency proof that verifies (RFC 9162 §2.1.4.2), following Rekor shard rotation through
 * the final head of the retired shard.
 */
import { bytesEqual, toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { LogClient, LogView, ReceivedProof, VerifiedHead } from '../logs/log-client.ts';
import { verifyConsistency } from '../merkle/index.ts';

export interface ShardRotation {
  readonly from: string;
  readonly to: string;
  /** Size of the retired shard's final head, which the stored head was proven consistent with. */
  readonly finalSize: string;
}

export type ProofOutcome =
  | { readonly kind: 'same' }
  | { readonly kind: 'extends'; readonly rotation?: ShardRotation }
  | {
      readonly kind: 'fork' | 'rollback' | 'inconsistent';
      readonly message: string;
      readonly errorCode?: string;
      readonly proof?: string;
      readonly other?: Readonly<Record<string, string>>;
    };

/** Proves that `to` extends `from`. Network and parse failures are thrown as TlogError. */
export async function proveExtension(
  client: LogClient,
  from: VerifiedHead,
  to: VerifiedHead,
  view: LogView,
): Promise<ProofOutcome> {
  if ((from.shard ?? '') !== (to.shard ?? '')) return proveAcrossShards(client, from, to, view);

  if (to.size === from.size) {
    if (bytesEqual(to.rootHash, from.rootHash)) return { kind: 'same' };
    return {
      kind: 'fork',
      message: `fork: two validly signed heads of size ${to.size} with different roots: stored ${toBase64(from.rootHash)}, new ${toBase64(to.rootHash)}`,
    };
  }
  if (to.size < from.size) {
    return {
      kind: 'rollback',
      message: `rollback: validly signed head of size ${to.size} is smaller than the verified head of size ${from.size}`,
    };
  }

  // The empty tree is a prefix of every tree (RFC 9162 §2.1.1): no proof to fetch.
  if (from.size === 0n) {
    verifyConsistency(0n, to.size, from.rootHash, to.rootHash, []);
    return { kind: 'extends' };
  }
  // Re-fetch once before declaring the log inconsistent: a proof can be damaged in transit.
  const first = await client.fetchConsistencyProof(from, to);
  const firstError = consistencyError(from, to, first);
  if (!firstError) return { kind: 'extends' };
  const second = await client.fetchConsistencyProof(from, to);
  const secondError = consistencyError(from, to, second);
  if (!secondError) return { kind: 'extends' };
  return {
    kind: 'inconsistent',
    message: `inconsistent: consistency proof ${from.size}→${to.size} does not verify (twice): ${secondError.message}`,
    errorCode: secondError.code,
    proof: second.raw,
    ...(first.raw !== second.raw ? { other: { firstProof: first.raw } } : {}),
  };
}

function consistencyError(from: VerifiedHead, to: VerifiedHead, proof: ReceivedProof): TlogError | undefined {
  try {
    verifyConsistency(from.size, to.size, from.rootHash, to.rootHash, proof.hashes);
    return undefined;
  } catch (e) {
    if (e instanceof TlogError && e.code.startsWith('merkle/')) return e;
    throw e;
  }
}

/**
 * Rekor v1 shard rotation: the stored head belongs to a shard that is no longer active. Prove it
 * consistent with that shard's final head (listed in `inactiveShards`), then accept the new shard.
 */
async function proveAcrossShards(
  client: LogClient,
  from: VerifiedHead,
  to: VerifiedHead,
  view: LogView,
): Promise<ProofOutcome> {
  const final = view.inactiveShards?.find((s) => s.shard === from.shard);
  if (!final) {
    // Listed, but its final head is not signed by the pinned key: that head is the one at fault.
    const unverifiable = view.unverifiedShards?.get(from.shard ?? '');
    if (unverifiable) throw unverifiable;
    const listed = (view.inactiveShards ?? []).map((s) => s.shard).join(', ') || 'none';
    throw new TlogError(
      'response/shard-missing',
      `the stored head is on shard ${from.shard ?? '(none)'}, the log's active shard is ${to.shard ?? '(none)'}, and the stored shard is not among its inactive shards (listed: ${listed})`,
      { received: to.signed },
    );
  }
  const inner = await proveExtension(client, from, final, { head: final });
  if (inner.kind !== 'same' && inner.kind !== 'extends') {
    return {
      ...inner,
      message: `${inner.message} (against the final head of retired shard ${from.shard})`,
      other: { ...inner.other, retiredShardFinalHead: final.signed },
    };
  }
  return {
    kind: 'extends',
    rotation: { from: from.shard ?? '', to: to.shard ?? '', finalSize: final.size.toString() },
  };
}
