/** Checks and error wording shared by the entry sources. */
import { fromUtf8 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { HttpResponse } from '../http/ports.ts';
import { type JsonValue, parseJson } from '../json/parse.ts';
import type { ScanTarget } from './entry-source.ts';

/** Throws 'merkle/invalid-size' unless 0 ≤ start < end ≤ the verified size. */
export function requireRange(target: ScanTarget, start: bigint, end: bigint): void {
  if (start < 0n || start >= end || end > target.head.size) {
    throw new TlogError(
      'merkle/invalid-size',
      `entries [${start}, ${end}) asked of a verified tree of size ${target.head.size}: expected 0 ≤ start < end ≤ size`,
      { start: start.toString(), end: end.toString(), size: target.head.size.toString() },
    );
  }
}

/** Throws 'merkle/invalid-size' unless 0 ≤ index ≤ the verified size. */
export function requireRangeEnd(target: ScanTarget, index: bigint): void {
  if (index < 0n || index > target.head.size) {
    throw new TlogError(
      'merkle/invalid-size',
      `range before ${index} asked of a verified tree of size ${target.head.size}: expected 0 ≤ index ≤ size`,
      { index: index.toString(), size: target.head.size.toString() },
    );
  }
}

/**
 * Re-throws a TlogError about an answer with the entries it was for in the message and details
 * (`index`: the first; `indices`: "first..last"), keeping its code.
 */
export function aboutEntries(e: unknown, first: bigint, last: bigint): never {
  if (!(e instanceof TlogError) || e.details?.index !== undefined) throw e;
  const which = first === last ? `entry ${first}` : `entries ${first}..${last}`;
  throw new TlogError(
    e.code,
    `${which}: ${e.message}`,
    { ...e.details, index: first.toString(), indices: `${first}..${last}` },
    {
      cause: e,
    },
  );
}

/** The answer's body as strict UTF-8 JSON (RFC 8259 via lib/json: bigint integers, no duplicate keys). */
export function parseJsonBody(res: HttpResponse): JsonValue {
  return parseJson(fromUtf8(res.body, 'response/malformed'));
}
