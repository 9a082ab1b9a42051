/**
 * A fan-out work item (issue 11 §5): one range of a log's scan backlog, as the monitor function
 * enqueues it and a shared scan worker reads it. It carries what the worker needs to read, prove
 * and match the range on its own: the log's config entry (type, url, pinned key, identities), the
 * signed head the range belongs to (the worker re-verifies it with the pinned key), the range and,
 * for Rekor v1, the global index of the shard's entry 0. Sizes are decimal strings (trees pass 2^53).
 */
import { TlogError } from '../errors.ts';

export interface RangeWork {
  /** The log's config entry, as the monitor function received it (LOG_CONFIG). */
  readonly log: unknown;
  /** The verified signed head the range is proven against, exactly as received from the log. */
  readonly head: string;
  readonly start: bigint;
  readonly end: bigint;
  /** Rekor v1: global logIndex of the shard's entry 0 (ScanTarget.indexOffset). */
  readonly indexOffset?: bigint;
}

/** SQS's message size limit (256 KiB); a work item is a few KiB (LOG_CONFIG is capped at 4 KiB). */
export const MAX_WORK_BYTES = 256 * 1024;

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

export function encodeRangeWork(w: RangeWork): string {
  const text = JSON.stringify({
    v: 1,
    log: w.log,
    head: w.head,
    start: w.start.toString(),
    end: w.end.toString(),
    ...(w.indexOffset !== undefined ? { indexOffset: w.indexOffset.toString() } : {}),
  });
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_WORK_BYTES) {
    throw new TlogError(
      'config/invalid',
      `a scan work item must fit in ${MAX_WORK_BYTES} bytes (SQS), got ${bytes}: the log's config entry is too large`,
    );
  }
  return text;
}

/** Parses a work item; throws TlogError `state/corrupt` naming what is wrong (the monitor wrote it). */
export function decodeRangeWork(text: string): RangeWork {
  const bad = (why: string): never => {
    throw new TlogError('state/corrupt', `scan work item: ${why}`);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('not a JSON object');
  const o = v as Record<string, unknown>;
  if (o.v !== 1) return bad(`version ${JSON.stringify(o.v)}, expected 1`);
  if (typeof o.head !== 'string' || o.head === '') return bad('"head" must be the signed head text');
  const dec = (name: string): bigint => {
    const x = o[name];
    return typeof x === 'string' && DECIMAL.test(x)
      ? BigInt(x)
      : bad(`"${name}" must be a decimal string, got ${JSON.stringify(x)}`);
  };
  const start = dec('start');
  const end = dec('end');
  if (end <= start) bad(`range [${start}, ${end}) is empty`);
  return {
    log: o.log,
    head: o.head,
    start,
    end,
    ...(o.indexOffset !== undefined ? { indexOffset: dec('indexOffset') } : {}),
  };
}
