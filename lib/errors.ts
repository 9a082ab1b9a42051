/**
 * The one error base class of tlog-monitor. Every failure the core raises is a TlogError
 * with a machine-readable `code`; the check use case maps codes to check statuses.
 *
 * Messages name both the expected and the actual value where there are two.
 */
export type ErrorCode =
  // Merkle proofs (RFC 9162 §2.1.3, §2.1.4)
  | 'merkle/invalid-size' // sizes/indices out of range or in the wrong order
  | 'merkle/invalid-hash' // a hash that is not 32 bytes
  | 'merkle/proof-length' // proof has too few or too many hashes
  | 'merkle/root-mismatch' // computed root differs from the expected root
  // Keys
  | 'key/malformed'
  | 'key/unsupported'
  // Signed notes (c2sp.org/signed-note) and checkpoints (c2sp.org/tlog-checkpoint)
  | 'note/malformed'
  | 'note/no-verified-signature' // no signature from a known key
  | 'note/bad-signature' // a signature from a known key failed to verify
  | 'note/too-many-signatures'
  | 'checkpoint/malformed'
  | 'checkpoint/origin-mismatch'
  // RFC 6962 signed tree heads
  | 'ct/malformed'
  | 'ct/bad-signature'
  | 'ct/unsupported-algorithm'
  // HTTP
  | 'http/insecure-url'
  | 'http/timeout'
  | 'http/network'
  | 'http/status'
  | 'http/too-large'
  // Answers from a log
  | 'response/malformed' // unparseable, wrong shape
  | 'response/mismatch' // unsigned fields disagree with the signed head, or other self-contradiction
  | 'response/shard-missing' // the stored Rekor shard is gone from inactiveShards
  // Identity scan (docs/contracts.md, "Identity monitoring")
  | 'scan/not-in-tree' // entries as served do not fold to the signed root: they are not in the tree
  // Log entries read for identity monitoring (docs/contracts.md, "Identity monitoring")
  | 'entry/unreadable' // malformed, of a kind not read, or over a cap: the entry is listed as skipped
  // Signed timestamps (RFC 6962 §3.5; checkpoint timestamps likewise)
  | 'timestamp/future' // signed further ahead of the monitor's clock than the allowed skew
  | 'timestamp/backwards' // a newer head signed earlier than the verified one
  // Command line, configuration and local state
  | 'usage/invalid' // a command line the CLI cannot run (unknown option, missing value, wrong command)
  | 'config/invalid'
  | 'state/corrupt'
  | 'state/conflict'
  | 'state/io'
  // Trust roots: a TUF repository that cannot give a verified trusted_root.json
  | 'trust/unavailable'
  // Alert and metric delivery (SNS, CloudWatch, console)
  | 'sink/unavailable';

export class TlogError extends Error {
  readonly code: ErrorCode;
  /** Structured detail (expected/actual values, evidence) for logs and alerts. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TlogError';
    this.code = code;
    this.details = details;
  }
}

export function isTlogError(e: unknown, prefix?: string): e is TlogError {
  return e instanceof TlogError && (prefix === undefined || e.code.startsWith(prefix));
}
