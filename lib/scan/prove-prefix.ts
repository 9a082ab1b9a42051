/**
 * Proves that the leaves summarised by a compact range of [0, b) are the first b leaves of a
 * verified tree: at b = N the range must rebuild the signed root (constant-time compare); below
 * N the log's consistency proof from b to N must verify against the root the range computes
 * (RFC 9162 §2.1.4.2). Either way, by collision resistance, every leaf folded into the range is
 * in the signed tree, and so is any unproven part of the range (a mid-log start).
 */
import { bytesEqual, toBase64 } from '../bytes.ts';
import { isTlogError, TlogError } from '../errors.ts';
import type { LogClient, VerifiedHead } from '../logs/log-client.ts';
import { type CompactRange, compactRangeRoot, verifyConsistency } from '../merkle/index.ts';

export type PrefixVerdict =
  | { readonly proven: true }
  | {
      readonly proven: false;
      readonly message: string;
      readonly errorCode: string;
      /** The root the range computes. */
      readonly root: Uint8Array;
      /** The consistency proofs as received (the first, and the one fetched again), when any. */
      readonly proofs: readonly string[];
    };

/**
 * Network and parse failures are thrown (TlogError http/*, response/*): "could not prove" is not
 * "not in the tree". A proof that does not verify is fetched once more before the verdict.
 */
export async function provePrefix(
  client: LogClient,
  head: VerifiedHead,
  range: CompactRange,
): Promise<PrefixVerdict> {
  const size = range.end;
  if (range.begin !== 0n || size > head.size) {
    throw new TlogError(
      'merkle/invalid-size',
      `a prefix of the tree of size ${head.size} must be a range [0, b) with b ≤ ${head.size}, got [${range.begin}, ${size})`,
    );
  }
  const root = compactRangeRoot(range);
  if (size === head.size) {
    if (bytesEqual(root, head.rootHash)) return { proven: true };
    return {
      proven: false,
      message: `the leaves [0, ${size}) fold to root ${toBase64(root)}, but the signed head of size ${size} has root ${toBase64(head.rootHash)}`,
      errorCode: 'merkle/root-mismatch',
      root,
      proofs: [],
    };
  }
  // The empty tree is a prefix of every tree (RFC 9162 §2.1.1).
  if (size === 0n) return { proven: true };
  const prefixHead: VerifiedHead = { ...head, size, rootHash: root, signed: '' };
  const proofs: string[] = [];
  let last: TlogError | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = await client.fetchConsistencyProof(prefixHead, head);
    proofs.push(proof.raw);
    try {
      verifyConsistency(size, head.size, root, head.rootHash, proof.hashes);
      return { proven: true };
    } catch (e) {
      if (!isTlogError(e, 'merkle/')) throw e;
      last = e;
    }
  }
  return {
    proven: false,
    message: `the leaves [0, ${size}) fold to root ${toBase64(root)}, which the log's consistency proof ${size}→${head.size} does not tie to the signed root ${toBase64(head.rootHash)} (twice): ${last?.message}`,
    errorCode: last?.code ?? 'merkle/root-mismatch',
    root,
    proofs,
  };
}
