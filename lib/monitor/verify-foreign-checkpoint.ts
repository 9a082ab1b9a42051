/**
 * Split-view detection (docs/contracts.md, "Lambda", action `verify-checkpoint`): proves that a
 * signed head seen elsewhere (for example in a Sigstore bundle) and the monitor's verified head
 * are views of one append-only tree, in whichever direction applies: the smaller head must be a
 * prefix of the larger (RFC 9162 §2.1.4.2, proof fetched from the log), equal sizes need equal
 * roots. It never moves the stored head. A foreign head that is not validly signed by the pinned
 * key proves nothing about the log, so it is rejected with an error rather than reported as
 * misbehaviour.
 */
import { TlogError } from '../errors.ts';
import type { VerifiedHead } from '../logs/log-client.ts';
import { type CheckDeps, loadVerified, summary } from './check.ts';
import type { CheckResult, CheckStatus, Evidence } from './check-result.ts';
import { statusForError } from './classify-error.ts';
import { type ProofOutcome, proveExtension } from './prove-extension.ts';

/**
 * Returns `verified` (consistent, message says which way), `fork` or `inconsistent` with evidence
 * (stored via the store), or a failure status when the log or the state could not be read.
 * Throws TlogError `config/invalid` when `signed` does not verify with the pinned key.
 */
export async function verifyForeignCheckpoint(
  logName: string,
  signed: string,
  deps: CheckDeps,
): Promise<CheckResult> {
  const started = deps.clock.now();
  let foreign: VerifiedHead;
  try {
    foreign = deps.client.verifyStoredHead(signed);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new TlogError(
      'config/invalid',
      `verify-checkpoint: the checkpoint does not verify with the pinned key of "${logName}", so it says nothing about the log: ${why}`,
    );
  }
  const finish = (r: Omit<CheckResult, 'log' | 'durationMs'>): CheckResult => ({
    log: logName,
    ...r,
    durationMs: Math.max(0, deps.clock.now() - started),
  });
  let stored: VerifiedHead;
  try {
    const state = await loadVerified(logName, deps);
    if (!state) {
      return finish({
        status: 'monitor-error',
        errorCode: 'state/conflict',
        message: `verify-checkpoint: no verified head of "${logName}" is stored yet; run a check first`,
        current: summary(foreign),
      });
    }
    stored = state.verified;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const errorCode = e instanceof TlogError ? e.code : 'state/io';
    return finish({ status: 'monitor-error', errorCode, message, current: summary(foreign) });
  }

  const base = { previous: summary(stored), current: summary(foreign) };
  try {
    const foreignIsLarger = foreign.size >= stored.size;
    let outcome: ProofOutcome;
    let logHead: VerifiedHead | undefined;
    let acrossShards: 'foreign-newer' | 'foreign-retired' | undefined;
    if ((stored.shard ?? '') === (foreign.shard ?? '')) {
      const [from, to] = foreignIsLarger ? [stored, foreign] : [foreign, stored];
      outcome = await proveExtension(deps.client, from, to, { head: to });
    } else {
      // Across a Rekor shard rotation sizes on different shards say nothing about order: the head
      // on the retired shard is proven against that shard's final head (from the log's view), and
      // a foreign head on a newer shard is proven against the log's own head on that shard.
      const view = await deps.client.fetchView();
      const retired = (h: VerifiedHead) => (view.retiredShards ?? []).some((s) => s.shard === h.shard);
      // The log's own head on a shard: the active one, or a retired shard's final head (verified now).
      const logHeadOn = (shard: string | undefined): VerifiedHead | undefined =>
        view.head.shard === shard ? view.head : view.retiredShards?.find((s) => s.shard === shard)?.verify();
      const [from, to] = retired(stored) && !retired(foreign) ? [stored, foreign] : [foreign, stored];
      acrossShards = to === foreign ? 'foreign-newer' : 'foreign-retired';
      outcome = await proveExtension(deps.client, from, to, view);
      if ((outcome.kind === 'same' || outcome.kind === 'extends') && to === foreign) {
        logHead = logHeadOn(foreign.shard);
        if (!logHead) {
          throw new TlogError(
            'response/shard-missing',
            `verify-checkpoint: the foreign head is on shard ${foreign.shard ?? '(none)'}, which the log lists neither as active nor as inactive`,
          );
        }
        const [a, b] = logHead.size >= foreign.size ? [foreign, logHead] : [logHead, foreign];
        outcome = await proveExtension(deps.client, a, b, { head: b });
      }
    }
    if (outcome.kind === 'same' || outcome.kind === 'extends') {
      const how =
        acrossShards === 'foreign-newer'
          ? `is on shard ${foreign.shard}, which succeeds the retired shard of`
          : acrossShards === 'foreign-retired'
            ? `is on the retired shard ${foreign.shard}, consistent with its final head, which precedes`
            : outcome.kind === 'same'
              ? 'is the same head as'
              : foreignIsLarger
                ? 'extends'
                : 'is a prefix of';
      return finish({
        status: 'verified',
        ...base,
        message: `verify-checkpoint: the foreign head (size ${foreign.size}) ${how} the verified head (size ${stored.size})`,
      });
    }
    const evidence: Evidence = {
      previous: stored.signed,
      current: foreign.signed,
      ...(outcome.proof !== undefined ? { proof: outcome.proof } : {}),
      ...(outcome.other || logHead
        ? { other: { ...outcome.other, ...(logHead ? { logHeadOnForeignShard: logHead.signed } : {}) } }
        : {}),
    };
    const status: CheckStatus = outcome.kind === 'rollback' ? 'inconsistent' : outcome.kind;
    const result = finish({
      status,
      ...base,
      message: `split view: the foreign head contradicts the verified head: ${outcome.message}`,
      ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      evidence,
    });
    try {
      await deps.store.recordEvidence(logName, result);
      return result;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { ...result, message: `${result.message} (evidence NOT stored: ${why})` };
    }
  } catch (e) {
    return finish({
      status: statusForError(e),
      ...base,
      message: e instanceof Error ? e.message : String(e),
      errorCode: e instanceof TlogError ? e.code : 'internal',
    });
  }
}
