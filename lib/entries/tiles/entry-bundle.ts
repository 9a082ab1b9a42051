/**
 * A tlog-tiles entry bundle (c2sp.org/tlog-tiles, "Log entries"): the entries one after the other,
 * each as a big-endian uint16 length followed by that many bytes. The entry bytes are the leaf
 * (leaf hash SHA-256(0x00 ‖ entry)); for Rekor v2 they are the canonicalized entry (JSON).
 */
import type { ReceivedEntry } from '../received-entry.ts';
import { malformedBundle } from './bundle-reader.ts';

/** Exactly `count` entries and nothing after them. */
export function parseEntryBundle(
  bytes: Uint8Array,
  count: number,
  first: bigint,
  path: string,
): ReceivedEntry[] {
  const out: ReceivedEntry[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 2 > bytes.length) {
      throw malformedBundle(
        path,
        first,
        `expected ${count} entries, the bundle ends after ${i} (${bytes.length} bytes)`,
        {
          expected: count,
          actual: i,
        },
      );
    }
    const length = ((bytes[pos] as number) << 8) | (bytes[pos + 1] as number);
    pos += 2;
    if (pos + length > bytes.length) {
      throw malformedBundle(
        path,
        first,
        `entry ${first + BigInt(i)} claims ${length} bytes, only ${bytes.length - pos} remain`,
        { entry: (first + BigInt(i)).toString(), expected: length, actual: bytes.length - pos },
      );
    }
    out.push({ index: first + BigInt(i), leaf: bytes.slice(pos, pos + length) });
    pos += length;
  }
  if (pos !== bytes.length) {
    throw malformedBundle(path, first, `${bytes.length - pos} bytes after the ${count} entries expected`, {
      expected: pos,
      actual: bytes.length,
    });
  }
  return out;
}
