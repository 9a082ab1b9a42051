/**
 * A validly signed head smaller than the verified head on the same shard (docs/contracts.md, "Check
 * outcomes"). One signed contradiction is enough evidence, so the rule, in order, is:
 *  1. not a proven prefix of the verified history: `fork` (the proof does not verify), or
 *     `rollback` (the log gives no proof), whatever a second request says;
 *  2. a prefix signed later than the verified head: `rollback` (the log signed a later, smaller tree);
 *  3. a prefix signed earlier, or with no signed timestamp (tlog-tiles): perhaps a lagging replica.
 *     The head is fetched once more: a current answer is no misbehaviour (the check goes on with
 *     it); a smaller one again, or none, is `rollback`.
 */
import { TlogError } from '../errors.ts';
import type { LogClient, LogView, VerifiedHead } from '../logs/log-client.ts';
import { type Misbehaviour, provePrefix } from './prove-extension.ts';
import { isoTime, signedLater } from './signed-time.ts';

export type SmallerHeadVerdict =
  | { readonly kind: 'refetched'; readonly view: LogView }
  | {
      readonly kind: 'misbehaviour';
      readonly outcome: Misbehaviour;
      /** Raw material beyond the two heads: the second answer, or why there was none. */
      readonly extraEvidence?: Readonly<Record<string, string>>;
    };

export async function judgeSmallerHead(
  client: LogClient,
  verified: VerifiedHead,
  smaller: VerifiedHead,
  fetchAgain: () => Promise<LogView>,
): Promise<SmallerHeadVerdict> {
  const what = `validly signed head of size ${smaller.size} is smaller than the verified head of size ${verified.size}`;
  const prefix = await provePrefix(client, smaller, verified);
  if (prefix.kind === 'not-prefix') {
    return {
      kind: 'misbehaviour',
      outcome: {
        kind: 'fork',
        message: `fork: the ${what} and is not a prefix of it: ${prefix.message}`,
        errorCode: prefix.errorCode,
        proof: prefix.proof,
        ...(prefix.other ? { other: prefix.other } : {}),
      },
    };
  }
  if (prefix.kind === 'unprovable') {
    return {
      kind: 'misbehaviour',
      outcome: {
        kind: 'rollback',
        message: `rollback: the ${what}, and ${prefix.message}`,
        errorCode: prefix.errorCode,
      },
    };
  }
  if (signedLater(smaller, verified)) {
    return {
      kind: 'misbehaviour',
      outcome: {
        kind: 'rollback',
        message: `rollback: the ${what} and signed later (${isoTime(smaller.timestamp as bigint)}, the verified head at ${isoTime(verified.timestamp as bigint)})`,
      },
    };
  }
  // Perhaps a lagging replica behind a load balancer: ask once more.
  let again: LogView;
  try {
    again = await fetchAgain();
  } catch (e) {
    const rejected = e instanceof TlogError ? e.details?.received : undefined;
    return {
      kind: 'misbehaviour',
      outcome: { kind: 'rollback', message: `rollback: the ${what}; asked again, the log gave no head` },
      extraEvidence: {
        refetchFailed: e instanceof Error ? e.message : String(e),
        ...(typeof rejected === 'string' ? { refetchRejectedHead: rejected } : {}),
      },
    };
  }
  const head = again.head;
  if ((head.shard ?? '') === (verified.shard ?? '') && head.size < verified.size) {
    return {
      kind: 'misbehaviour',
      outcome: {
        kind: 'rollback',
        message: `rollback: the ${what}, and again on a second request (size ${head.size})`,
      },
      extraEvidence: { refetchedHead: head.signed },
    };
  }
  return { kind: 'refetched', view: again };
}
