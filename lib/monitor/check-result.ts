/** Check outcomes and exit codes (docs/contracts.md, "Check outcomes"). */
import type { IdentityMatch, SkippedEntry } from '../identity/identity-match.ts';

/** Every check status, in the order of docs/contracts.md's table. */
export const CHECK_STATUSES = [
  'initialized',
  'verified',
  'unchanged',
  'inconsistent',
  'fork',
  'rollback',
  'bad-signature',
  'unreachable',
  'invalid-response',
  'monitor-error',
] as const;

export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** A clean check (exit 0): it left a verified head (initialized, verified, unchanged). */
export function isClean(status: CheckStatus): boolean {
  return exitCodeFor(status) === 0;
}

export const MISBEHAVIOUR: ReadonlySet<CheckStatus> = new Set([
  'inconsistent',
  'fork',
  'rollback',
  'bad-signature',
]);

/** 0: the log is fine; 1: the log misbehaved; 2: it could not be checked. */
export function exitCodeFor(status: CheckStatus): 0 | 1 | 2 {
  switch (status) {
    case 'initialized':
    case 'verified':
    case 'unchanged':
      return 0;
    case 'inconsistent':
    case 'fork':
    case 'rollback':
    case 'bad-signature':
      return 1;
    case 'unreachable':
    case 'invalid-response':
    case 'monitor-error':
      return 2;
  }
}

export interface HeadSummary {
  readonly size: string; // decimal: sizes are bigint and JSON numbers lose precision past 2^53
  readonly root: string; // base64
  readonly shard?: string;
}

/** Everything needed to re-verify a misbehaviour offline, exactly as received. */
export interface Evidence {
  /** The stored (previously verified) signed head. */
  readonly previous?: string;
  /** The new signed head that contradicts it. */
  readonly current?: string;
  /** The consistency proof response body, when one was involved. */
  readonly proof?: string;
  /** Extra raw material: a second proof after re-fetch, an inactive shard head, a rejected head. */
  readonly other?: Readonly<Record<string, string>>;
}

export interface CheckResult {
  readonly log: string;
  readonly status: CheckStatus;
  readonly previous?: HeadSummary;
  readonly current?: HeadSummary;
  readonly durationMs: number;
  /** When the check finished (ISO 8601), by the monitor's clock. */
  readonly checkedAt?: string;
  /** Human-readable reason for anything but a clean result. */
  readonly message?: string;
  /** TlogError code behind a failure. */
  readonly errorCode?: string;
  readonly evidence?: Evidence;
  /** Where the evidence was kept, when the store names it (a file path, a DynamoDB sort key). */
  readonly evidenceRef?: string;
  /** Tile logs with witnesses configured: the witnesses whose cosignatures on the new head verified. */
  readonly cosignedBy?: readonly string[];
  /** Rekor shard rotation observed and proven in this check. */
  readonly shardRotation?: { readonly from: string; readonly to: string; readonly finalSize: string };
  /**
   * The signed origin changed on the same shard with the same key and a consistent tree (a Rekor
   * v1 server restarted under another host name, e.g. a new pod): the checkpoint origin lines
   * before and after. The new head is stored.
   */
  readonly originChanged?: { readonly from: string; readonly to: string };
  /**
   * Identity monitoring (docs/contracts.md): the matches this check delivered, each proven in the
   * verified tree and reported once across runs. Present when the log has identities configured.
   * A match does not change the exit code.
   */
  readonly matches?: readonly IdentityMatch[];
  /** Proven entries this check's scan could not read (index and reason); counted, never dropped. */
  readonly skipped?: readonly SkippedEntry[];
  /** Where the identity scan stands after this check. */
  readonly scan?: ScanSummary;
}

export interface ScanSummary {
  /** The next entry index to scan (decimal). */
  readonly next: string;
  /** The verified tree size it scans towards (decimal). */
  readonly size: string;
  /** Rekor v1 shard (tree ID) of the cursor. */
  readonly shard?: string;
  /** Entries proven by this check's scan (decimal). */
  readonly scanned: string;
  /** False when the run's budget stopped it before the verified size: the next check goes on. */
  readonly complete: boolean;
  /** Set while a configured startIndex lies beyond the verified size. */
  readonly waitingFor?: string;
}

/**
 * The exit code of a run: the worst outcome, where misbehaviour (1) outranks "could not check" (2),
 * so an unreachable log never masks a lying one.
 */
export function worstExitCode(results: readonly CheckResult[]): 0 | 1 | 2 {
  return results.reduce<0 | 1 | 2>((worst, r) => worseExitCode(worst, exitCodeFor(r.status)), 0);
}

/** The worse of two exit codes: 1 (misbehaviour) outranks 2 (could not check), which outranks 0. */
export function worseExitCode(a: 0 | 1 | 2, b: 0 | 1 | 2): 0 | 1 | 2 {
  if (a === 1 || b === 1) return 1;
  if (a === 2 || b === 2) return 2;
  return 0;
}
