/**
 * The check use case: load state → fetch head → verify signature and origin → compare →
 * fetch proof → verify → conditional store → CheckResult (docs/contracts.md, "Check outcomes").
 *
 * The stored head moves only after the new head is proven to extend it, and only by a
 * compare-and-set on the version read at the start. Every failure becomes a CheckResult;
 * nothing here throws.
 */
import { toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { Clock } from '../http/ports.ts';
import type { LogClient, LogView, VerifiedHead } from '../logs/log-client.ts';
import {
  type CheckResult,
  type CheckStatus,
  type Evidence,
  type HeadSummary,
  MISBEHAVIOUR,
} from './check-result.ts';
import { statusForError } from './classify-error.ts';
import { type Misbehaviour, type ProofOutcome, proveExtension } from './prove-extension.ts';
import { contradictsMemory, firstMemory, loadMemory, memoryAfter, type ShardMemory } from './shard-memory.ts';
import { refuseFutureHead, signedEarlier } from './signed-time.ts';
import { judgeSmallerHead } from './smaller-head.ts';
import type { StateStore, StoredHead, StoredState } from './state-store.ts';

export interface CheckDeps {
  readonly client: LogClient;
  readonly store: StateStore;
  readonly clock: Clock;
  /**
   * A signed head the operator trusts (from configuration). With no stored head, the first
   * check must prove the log's head consistent with it instead of trusting on first use.
   */
  readonly trustedHead?: string;
}

/** How many times a lost compare-and-set race is re-resolved before giving up. */
const MAX_RACE_ROUNDS = 5;

export async function checkLog(logName: string, deps: CheckDeps): Promise<CheckResult> {
  const started = deps.clock.now();
  const finish = (r: Omit<CheckResult, 'log' | 'durationMs'>): CheckResult => {
    const ended = deps.clock.now();
    return {
      log: logName,
      ...r,
      durationMs: Math.max(0, ended - started),
      checkedAt: new Date(ended).toISOString(),
    };
  };
  try {
    return finish(await runCheck(logName, deps));
  } catch (e) {
    return finish(failure(e));
  }
}

type Outcome = Omit<CheckResult, 'log' | 'durationMs'>;

async function runCheck(logName: string, deps: CheckDeps): Promise<Outcome> {
  const { client, store } = deps;
  let state = await loadVerified(logName, deps);

  let view: LogView;
  try {
    view = await fetchCurrentView(deps);
  } catch (e) {
    return failed(logName, deps, e, state?.verified);
  }
  const current = view.head;

  if (!state) {
    let trusted: VerifiedHead | undefined;
    if (deps.trustedHead !== undefined) {
      trusted = verifyTrustedHead(deps.client, deps.trustedHead);
      try {
        const outcome = await proveInOrder(client, trusted, current, view);
        if (outcome.kind !== 'extends' && outcome.kind !== 'same') {
          return keepEvidence(logName, deps, misbehaviour(outcome, trusted, current));
        }
      } catch (e) {
        return failed(logName, deps, e, trusted, current);
      }
    }
    if (await store.compareAndSet(logName, 0, toStored(current, deps.clock, firstMemory(view)))) {
      return {
        status: 'initialized',
        ...(trusted ? { previous: summary(trusted) } : {}),
        current: summary(current),
        ...cosigned(current),
      };
    }
    state = await loadVerified(logName, deps);
    if (!state) throw new TlogError('state/conflict', 'compare-and-set failed but no head is stored');
    // Someone else stored a head first: fall through and prove ours against theirs.
  }

  const previous = state.verified;
  try {
    // A shard the log was on before (Rekor v1) must still be consistent with what was verified.
    const memory = state.memory;
    let contradiction = await contradictsMemory(client, memory, view);
    // A smaller head on the same shard: proven a prefix, and then maybe a lagging replica.
    let extraEvidence: Readonly<Record<string, string>> | undefined;
    if (!contradiction && sameShard(previous, current) && current.size < previous.size) {
      const verdict = await judgeSmallerHead(client, previous, current, () => fetchCurrentView(deps));
      if (verdict.kind === 'misbehaviour') {
        return keepEvidence(
          logName,
          deps,
          misbehaviour(verdict.outcome, previous, current, verdict.extraEvidence),
        );
      }
      view = verdict.view;
      extraEvidence = { firstAnswer: current.signed };
      contradiction = await contradictsMemory(client, memory, view);
    }
    if (contradiction) {
      const { remembered, head, outcome } = contradiction;
      return keepEvidence(
        logName,
        deps,
        misbehaviour(outcome, remembered, head, { storedHead: previous.signed }),
      );
    }
    return await settle(logName, deps, state, view, extraEvidence);
  } catch (e) {
    return failed(logName, deps, e, previous, view.head);
  }
}

/** Fetches the log's view; a head signed too far in the future is refused before anything else. */
async function fetchCurrentView(deps: CheckDeps): Promise<LogView> {
  const view = await deps.client.fetchView();
  refuseFutureHead(view.head, deps.clock.now());
  return view;
}

/**
 * proveExtension, after checking signed timestamps: a grown head signed earlier than the head it
 * replaces is misbehaviour on its own (the two signed heads are the evidence).
 */
async function proveInOrder(
  client: LogClient,
  from: VerifiedHead,
  to: VerifiedHead,
  view: LogView,
): Promise<ProofOutcome> {
  if (to.size > from.size || !sameShard(from, to)) {
    const earlier = signedEarlier(from, to);
    if (earlier)
      return { kind: 'rollback', message: `rollback in time: ${earlier}`, errorCode: 'timestamp/backwards' };
  }
  return proveExtension(client, from, to, view);
}

/** Proves the fetched head extends the stored one and moves the stored head if it does. */
async function settle(
  logName: string,
  deps: CheckDeps,
  start: VerifiedState,
  view: LogView,
  /** Extra raw material for the evidence of a misbehaviour found against `start`. */
  extraEvidence?: Readonly<Record<string, string>>,
): Promise<Outcome> {
  const { client, store } = deps;
  const current = view.head;
  const previous = start.verified;
  let state = start;
  const outcome = await proveInOrder(client, previous, current, view);
  if (outcome.kind !== 'extends' && outcome.kind !== 'same') {
    return keepEvidence(logName, deps, misbehaviour(outcome, previous, current, extraEvidence));
  }
  // Same key, same shard, consistent tree, another signer host in the signed origin (Rekor v1
  // without a pinned origin; other log types have a fixed origin).
  const renamed =
    current.shard !== undefined && sameShard(previous, current) && previous.origin !== current.origin;
  const status: CheckStatus = outcome.kind === 'same' ? 'unchanged' : 'verified';
  const base: Outcome = {
    status,
    previous: summary(previous),
    current: summary(current),
    ...cosigned(current),
    ...(outcome.kind === 'extends' && outcome.rotation ? { shardRotation: outcome.rotation } : {}),
    ...(renamed
      ? {
          originChanged: { from: previous.origin, to: current.origin },
          message: `the log now signs as ${JSON.stringify(current.origin)} (was ${JSON.stringify(previous.origin)}): same key, same tree, consistent`,
        }
      : {}),
  };
  // An unchanged head is not written again, unless it now names another signer: keep the new one.
  if (outcome.kind === 'same' && !renamed) return base;
  const retiredFinal = outcome.kind === 'extends' ? outcome.retiredFinal : undefined;

  // Move the head by compare-and-set; on a lost race, prove our head against the winner's.
  for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
    const memory = memoryAfter(state.memory, state.verified, current, retiredFinal);
    if (await store.compareAndSet(logName, state.version, toStored(current, deps.clock, memory))) return base;
    const winner = await loadVerified(logName, deps);
    if (!winner) throw new TlogError('state/conflict', 'stored head vanished during compare-and-set');
    state = winner;
    const w = winner.verified;
    if (sameShard(w, current) && w.size >= current.size) {
      // The winner is at least as far as we are: our head must be a prefix of theirs.
      const back = await proveExtension(client, current, w, view);
      if (back.kind !== 'extends' && back.kind !== 'same') {
        return keepEvidence(logName, deps, misbehaviour(back, w, current));
      }
      return base;
    }
    const fwd = await proveInOrder(client, w, current, view);
    if (fwd.kind === 'same') return base;
    if (fwd.kind !== 'extends') {
      return keepEvidence(logName, deps, misbehaviour(fwd, w, current));
    }
  }
  throw new TlogError('state/conflict', `lost the compare-and-set race ${MAX_RACE_ROUNDS} times in a row`);
}

export /** The configured trusted head must verify with the pinned key; if not, the config is wrong. */
function verifyTrustedHead(client: LogClient, signed: string): VerifiedHead {
  try {
    return client.verifyStoredHead(signed);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new TlogError(
      'config/invalid',
      `the configured trustedHead does not verify with the pinned key: ${why}`,
    );
  }
}

interface VerifiedState extends StoredState {
  readonly verified: VerifiedHead;
  /** Rekor v1: the last verified head of every other shard the log was on. */
  readonly memory: ShardMemory;
}

/** Loads the stored head and re-verifies its signature: stored state is never trusted as-is. */
export async function loadVerified(
  logName: string,
  deps: Pick<CheckDeps, 'client' | 'store'>,
): Promise<VerifiedState | undefined> {
  const state = await deps.store.load(logName);
  if (!state) return undefined;
  let verified: VerifiedHead;
  try {
    verified = deps.client.verifyStoredHead(state.head.signed);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new TlogError(
      'state/corrupt',
      `stored head of "${logName}" no longer verifies with the pinned key (state tampered with, or the key changed): ${why}`,
    );
  }
  if (verified.size.toString() !== state.head.size || toBase64(verified.rootHash) !== state.head.root) {
    throw new TlogError(
      'state/corrupt',
      `stored head of "${logName}" says size ${state.head.size} root ${state.head.root}, but its signed head says size ${verified.size} root ${toBase64(verified.rootHash)}`,
    );
  }
  return { ...state, verified, memory: loadMemory(logName, state.head, deps.client) };
}

function sameShard(a: VerifiedHead, b: VerifiedHead): boolean {
  return (a.shard ?? '') === (b.shard ?? '');
}

export function summary(h: VerifiedHead): HeadSummary {
  return {
    size: h.size.toString(),
    root: toBase64(h.rootHash),
    ...(h.shard !== undefined ? { shard: h.shard } : {}),
  };
}

/** Tile logs with witnesses configured: which witnesses cosigned the new head. */
function cosigned(h: VerifiedHead): { cosignedBy?: readonly string[] } {
  return h.witnesses !== undefined ? { cosignedBy: h.witnesses } : {};
}

function toStored(h: VerifiedHead, clock: Clock, memory?: StoredHead['retiredShards']): StoredHead {
  return {
    // The signed head with only the signature lines that verified (a padded note stays storable).
    signed: h.storable ?? h.signed,
    size: h.size.toString(),
    root: toBase64(h.rootHash),
    origin: h.origin,
    ...(h.shard !== undefined ? { shard: h.shard } : {}),
    verifiedAt: new Date(clock.now()).toISOString(),
    ...(memory !== undefined ? { retiredShards: memory } : {}),
  };
}

function misbehaviour(
  outcome: Misbehaviour,
  previous: VerifiedHead,
  current: VerifiedHead,
  extraEvidence?: Readonly<Record<string, string>>,
): Outcome {
  const other = outcome.other || extraEvidence ? { ...outcome.other, ...extraEvidence } : undefined;
  const evidence: Evidence = {
    previous: previous.signed,
    current: current.signed,
    ...('proof' in outcome && outcome.proof !== undefined ? { proof: outcome.proof } : {}),
    ...(other ? { other } : {}),
  };
  const status: CheckStatus = outcome.kind;
  return {
    status,
    previous: summary(previous),
    current: summary(current),
    message: outcome.message,
    ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
    evidence,
  };
}

function failure(e: unknown, extra: Partial<Outcome> = {}): Outcome {
  const status = statusForError(e);
  const message = e instanceof TlogError ? e.message : `internal error in the monitor: ${String(e)}`;
  const errorCode = e instanceof TlogError ? e.code : 'internal';
  const received = e instanceof TlogError ? e.details?.received : undefined;
  // A head that fails its signature check is evidence too: keep it exactly as received.
  const evidence: Evidence | undefined =
    status === 'bad-signature' && typeof received === 'string' ? { current: received } : undefined;
  return { status, message, errorCode, ...extra, ...(evidence ? { evidence } : {}) };
}

/**
 * A check that ended in an error. If the error stands for misbehaviour (a head not signed by the
 * pinned key, say), the result carries the stored signed head as evidence too, and the evidence
 * is kept, wherever in the check the error arose.
 */
async function failed(
  logName: string,
  deps: CheckDeps,
  e: unknown,
  previous?: VerifiedHead,
  current?: VerifiedHead,
): Promise<Outcome> {
  const result = failure(e, {
    ...(previous ? { previous: summary(previous) } : {}),
    ...(current ? { current: summary(current) } : {}),
  });
  if (!MISBEHAVIOUR.has(result.status)) return result;
  const evidence: Evidence = {
    ...(previous ? { previous: previous.signed } : {}),
    ...(current ? { current: current.signed } : {}),
    ...result.evidence,
  };
  return keepEvidence(logName, deps, { ...result, evidence });
}

/**
 * Stores misbehaviour evidence. If the store fails, the misbehaviour is still reported (the
 * result carries the evidence) and the message says the evidence was not stored.
 */
async function keepEvidence(logName: string, deps: CheckDeps, result: Outcome): Promise<Outcome> {
  try {
    const where = await deps.store.recordEvidence(logName, { log: logName, durationMs: 0, ...result });
    return typeof where === 'string' ? { ...result, evidenceRef: where } : result;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ...result, message: `${result.message ?? result.status} (evidence NOT stored: ${why})` };
  }
}
