/**
 * The events the monitor Lambda accepts (docs/contracts.md, "Lambda"):
 *   - an EventBridge scheduled event (`"detail-type": "Scheduled Event"`): one check;
 *   - `{"action":"check"}`: a forced re-check that re-sends any active alert;
 *   - `{"action":"verify-checkpoint","checkpoint":"<signed head>"}`: split-view detection.
 */
import { TlogError } from '../errors.ts';

export type MonitorEvent =
  | { readonly kind: 'scheduled' }
  | { readonly kind: 'check' }
  | { readonly kind: 'verify-checkpoint'; readonly checkpoint: string };

/** A signed head is small (a checkpoint note or a get-sth JSON): anything bigger is refused. */
export const MAX_CHECKPOINT_CHARS = 64 * 1024;

const EXPECTED =
  'expected an EventBridge scheduled event, {"action":"check"} or {"action":"verify-checkpoint","checkpoint":"<signed head>"}';

export function parseEvent(event: unknown): MonitorEvent {
  const bad = (why: string): never => {
    throw new TlogError('config/invalid', `unsupported event: ${why}; ${EXPECTED}`);
  };
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return bad(`got ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event}`);
  }
  const e = event as Record<string, unknown>;
  if (e['detail-type'] === 'Scheduled Event') return { kind: 'scheduled' };
  if (e.action === undefined)
    return bad(`no "action" and not a scheduled event (keys: ${Object.keys(e).join(', ') || 'none'})`);
  if (e.action === 'check') return { kind: 'check' };
  if (e.action === 'verify-checkpoint') {
    const c = e.checkpoint;
    if (typeof c !== 'string' || c === '')
      return bad('"checkpoint" must be the signed head as a non-empty string');
    if (c.length > MAX_CHECKPOINT_CHARS)
      return bad(`"checkpoint" is ${c.length} characters, over ${MAX_CHECKPOINT_CHARS}`);
    return { kind: 'verify-checkpoint', checkpoint: c };
  }
  return bad(`unknown action ${JSON.stringify(e.action)}`);
}
