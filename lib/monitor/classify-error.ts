/** Maps a failure to the check status it stands for (docs/contracts.md, "Check outcomes"). */
import { TlogError } from '../errors.ts';
import type { CheckStatus } from './check-result.ts';

export function statusForError(e: unknown): CheckStatus {
  // Everything a log can get wrong is raised as a TlogError. Anything else is the monitor's own
  // failure (a file or SDK error that escaped its adapter, a bug in the core): never a verdict
  // about the log.
  if (!(e instanceof TlogError)) return 'monitor-error';
  const c = e.code;
  if (c.startsWith('http/')) return c === 'http/too-large' ? 'invalid-response' : 'unreachable';
  switch (c) {
    case 'note/no-verified-signature':
    case 'note/bad-signature':
    case 'checkpoint/origin-mismatch':
    case 'ct/bad-signature':
    case 'ct/unsupported-algorithm':
      return 'bad-signature';
    case 'merkle/proof-length':
    case 'merkle/root-mismatch':
    case 'scan/not-in-tree':
      return 'inconsistent';
    case 'state/corrupt':
    case 'state/conflict':
    case 'state/io':
    case 'config/invalid':
    case 'trust/unavailable':
    // The monitor's own outputs (e.g. the identity scan's work queue): not the log's fault.
    case 'sink/unavailable':
    case 'key/malformed':
    case 'key/unsupported':
      return 'monitor-error';
    default:
      return 'invalid-response';
  }
}
