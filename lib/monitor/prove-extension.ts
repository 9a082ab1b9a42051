/**
 * Decides whether one verified head extends another: same tree, a fork, a rollback, or a
 * consistency proof that verifies (RFC 9162 §2.1.4.2), following Rekor shard rotation through
 * the final head of the retired shard.
 */
import { bytesEqual, preview, toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { LogClient, LogView, ReceivedProof, VerifiedHead } from '../logs/log-client.ts';
import { verifyConsistency } from '../merkle/index.ts';

export interface ShardRotation {
  readonly from: string;
  readonly to: string;
  /** Size of the retired shard's final head, which the stored head was proven consistent with. */
  readonly finalSize: string;
}

/** A proof outcome that is misbehaviour, with what the evidence needs beyond the two heads. */
export interface Misbehaviour {
  readonly kind: 'fork' | 'rollback' | 'inconsistent';
  readonly message: string;
  readonly errorCode?: string;
  readonly proof?: string;
  readonly other?: Readonly<Record<string, string>>;
}

export type ProofOutcome =
  | { readonly kind: 'same' }
  | {
      readonly kind: 'extends';
      readonly rotation?: ShardRotation;
      /** With a rotation: the retired shard's final head, proven to extend the stored head. */
      readonly retiredFinal?: VerifiedHead;
    }
  | Misbehaviour;

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
  const listed = view.retiredShards?.find((s) => s.shard === from.shard);
  if (!listed) {
    const names = (view.retiredShards ?? []).map((s) => preview(s.shard)).join(', ') || 'none';
    throw new TlogError(
      'response/shard-missing',
      `the stored head is on shard ${preview(from.shard ?? '(none)')}, the log's active shard is ${preview(to.shard ?? '(none)')}, and the stored shard is not among its inactive shards (listed: ${names})`,
      { received: to.signed },
    );
  }
  // Listed, but its final head is not signed by the pinned key: that head is the one at fault.
  const final = listed.verify();
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
    retiredFinal: final,
  };
}

/** Whether a smaller head is a prefix of a larger one on the same shard (RFC 9162 §2.1.4.2). */
export type PrefixOutcome =
  | { readonly kind: 'prefix' }
  /** A proof was had and does not verify (twice): the two heads are two different histories. */
  | {
      readonly kind: 'not-prefix';
      readonly message: string;
      readonly errorCode: string;
      readonly proof: string;
      readonly other?: Readonly<Record<string, string>>;
    }
  /** The log could not, or would not, give a proof. */
  | { readonly kind: 'unprovable'; readonly message: string; readonly errorCode: string };

/**
 * Proves that `smaller` is a prefix of `larger` (same shard, smaller.size < larger.size) with a
 * consistency proof from the log (computed from tiles for tile logs), asked twice before it is
 * judged not to verify, as for growth.
 */
export async function provePrefix(
  client: LogClient,
  smaller: VerifiedHead,
  larger: VerifiedHead,
): Promise<PrefixOutcome> {
  // The empty tree is a prefix of every tree; its root was checked when its head was verified.
  if (smaller.size === 0n) return { kind: 'prefix' };
  // Asked twice: a proof damaged in transit, or a request that failed once, is not yet a verdict.
  const proofs: ReceivedProof[] = [];
  let error: TlogError | undefined;
  let fetchError: TlogError | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let proof: ReceivedProof;
    try {
      proof = await client.fetchConsistencyProof(smaller, larger);
    } catch (e) {
      if (!(e instanceof TlogError)) throw e;
      fetchError = e;
      continue;
    }
    proofs.push(proof);
    error = consistencyError(smaller, larger, proof);
    if (!error) return { kind: 'prefix' };
  }
  const [first, second] = proofs;
  if (first === undefined || second === undefined) {
    // Not two answers to judge: at least one request failed.
    const why = fetchError as TlogError;
    return {
      kind: 'unprovable',
      message: `the log gave no proof that size ${smaller.size} is a prefix of size ${larger.size}: ${why.message}`,
      errorCode: why.code,
    };
  }
  return {
    kind: 'not-prefix',
    message: `consistency proof ${smaller.size}→${larger.size} does not verify (twice): ${error?.message}`,
    errorCode: error?.code ?? 'merkle/root-mismatch',
    proof: second.raw,
    ...(first.raw !== second.raw ? { other: { firstProof: first.raw } } : {}),
  };
}
