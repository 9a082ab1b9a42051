/**
 * A check followed by the identity scan (docs/contracts.md, "Identity monitoring"): when the check leaves
 * a verified head (initialized, verified, unchanged), scan the entries from the cursor towards it,
 * then deliver the proven matches. A scan that finds entries not in the tree turns the result
 * into `inconsistent` with the evidence, kept like any other; a scan that cannot read the log
 * says why with its status (exit 2); the check's own verdict on the head stands either way.
 * Matches never change the exit code.
 */
import type { EntrySource } from '../entries/entry-source.ts';
import { TlogError } from '../errors.ts';
import type { EntryMatcher } from '../identity/identity-match.ts';
import type { NodeHasher } from '../merkle/index.ts';
import { type CheckDeps, checkLog, loadVerified } from '../monitor/check.ts';
import { type CheckResult, type Evidence, isClean, type ScanSummary } from '../monitor/check-result.ts';
import { statusForError } from '../monitor/classify-error.ts';
import { type LeafHasher, portableLeafHasher } from './leaf-hasher.ts';
import { deliverPending, type MatchSink } from './match-delivery.ts';
import { type ScanOutcome, scanLog } from './scan-log.ts';
import type { ScanOptions } from './scan-options.ts';
import type { ScanStore } from './scan-store.ts';

export interface ScanWiring {
  readonly source: EntrySource;
  readonly matcher: EntryMatcher;
  readonly options: ScanOptions;
  readonly store: ScanStore;
  readonly sink: MatchSink;
  /** Default: lib/merkle's portable SHA-256; the composition root may inject a native one. */
  readonly hashLeaf?: LeafHasher;
  /** Default: lib/merkle's portable node hash for the fold. */
  readonly hashNode?: NodeHasher;
}

export async function checkAndScan(logName: string, deps: CheckDeps, scan: ScanWiring): Promise<CheckResult> {
  const started = deps.clock.now();
  const checked = await checkLog(logName, deps);
  if (!isClean(checked.status)) return checked;

  let result: CheckResult = checked;
  try {
    // The head the check left stored (a concurrent run may have stored a newer one), re-verified.
    const state = await loadVerified(logName, deps);
    if (!state)
      throw new TlogError('state/conflict', `no verified head stored for "${logName}" after its check`);
    const outcome = await scanLog(logName, state.verified, {
      client: deps.client,
      source: scan.source,
      matcher: scan.matcher,
      hashLeaf: scan.hashLeaf ?? portableLeafHasher,
      ...(scan.hashNode !== undefined ? { hashNode: scan.hashNode } : {}),
      store: scan.store,
      clock: deps.clock,
      options: scan.options,
    });
    result = { ...result, skipped: outcome.skipped, scan: summary(outcome, scan.options) };
  } catch (e) {
    result = await scanFailed(logName, deps, result, e);
  }
  result = await withDelivered(logName, scan, result);
  return { ...result, durationMs: Math.max(0, deps.clock.now() - started) };
}

/**
 * Delivers the log's pending matches (also those committed by an earlier run that stopped before
 * delivering them) into the result; a failed delivery is a monitor-error of a clean result.
 */
export async function withDelivered(
  logName: string,
  scan: Pick<ScanWiring, 'store' | 'sink'>,
  checked: CheckResult,
): Promise<CheckResult> {
  let result = checked;
  try {
    result = { ...result, matches: await deliverPending(logName, scan.store, scan.sink) };
  } catch (e) {
    result = {
      ...result,
      matches: [],
      ...(isClean(result.status)
        ? {
            status: 'monitor-error' as const,
            errorCode: e instanceof TlogError ? e.code : 'internal',
            message: `identity matches not delivered (they stay pending for the next run): ${(e as Error).message}`,
          }
        : {}),
    };
  }
  return result;
}

export function summary(outcome: ScanOutcome, options: ScanOptions): ScanSummary {
  const c = outcome.cursor;
  return {
    next: String(c?.next ?? options.startIndex ?? outcome.size),
    size: String(outcome.size),
    ...(c?.shard !== undefined ? { shard: c.shard } : {}),
    scanned: String(outcome.scanned),
    complete: outcome.complete,
    ...(c === undefined && options.startIndex !== undefined
      ? { waitingFor: String(options.startIndex) }
      : {}),
  };
}

/** A scan that threw: `inconsistent` with its evidence kept, or a could-not-scan status saying why. */
export async function scanFailed(
  logName: string,
  deps: CheckDeps,
  checked: CheckResult,
  e: unknown,
): Promise<CheckResult> {
  const status = statusForError(e);
  const errorCode = e instanceof TlogError ? e.code : 'internal';
  const why = e instanceof Error ? e.message : String(e);
  if (e instanceof TlogError && e.code === 'scan/not-in-tree') {
    const evidence = e.details?.evidence as Evidence;
    const result: CheckResult = {
      ...checked,
      status,
      errorCode,
      message: why,
      evidence,
      matches: [],
      skipped: [],
    };
    try {
      await deps.store.recordEvidence(logName, result);
      return result;
    } catch (err) {
      return { ...result, message: `${why} (evidence NOT stored: ${(err as Error).message})` };
    }
  }
  return { ...checked, status, errorCode, message: `entries not scanned: ${why}` };
}
