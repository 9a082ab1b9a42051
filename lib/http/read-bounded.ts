/**
 * Reads a fetch Response body chunk by chunk under a byte cap, so an oversized or endless body
 * is cut off as soon as it passes the cap instead of being buffered whole.
 */
import { concatBytes } from '../bytes.ts';
import { TlogError } from '../errors.ts';

export function tooLarge(url: string, maxBytes: number, bytesSeen: number, how: string): TlogError {
  return new TlogError(
    'http/too-large',
    `response from ${url} is larger than the cap of ${maxBytes} bytes: ${how} ${bytesSeen} bytes`,
    { url, maxBytes, bytesSeen },
  );
}

/**
 * Rejects early on a declared Content-Length above the cap, then streams the body, cancelling
 * it the moment more than `maxBytes` bytes have arrived. `guard` wraps every wait (the caller's
 * deadline), so a body that trickles in slowly is cut off by the request timeout.
 */
export async function readBounded(
  response: Response,
  maxBytes: number,
  url: string,
  guard: <T>(p: Promise<T>) => Promise<T>,
): Promise<Uint8Array> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared)) {
    const n = Number(declared);
    if (n > maxBytes) {
      await cancelQuietly(response.body);
      throw tooLarge(url, maxBytes, n, 'Content-Length declares');
    }
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await guard(reader.read());
      if (done) {
        finished = true;
        break;
      }
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge(url, maxBytes, total, 'read at least');
      chunks.push(value);
    }
  } finally {
    if (!finished) reader.cancel().catch(() => {});
  }
  return concatBytes(...chunks);
}

async function cancelQuietly(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body === null) return;
  try {
    await body.cancel();
  } catch {
    // The connection is torn down by the caller's abort anyway.
  }
}
