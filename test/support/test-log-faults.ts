/**
 * Hostile answers shared by the in-repo test log servers (Rekor v1 / CT and tile logs): an
 * endless-looking huge body and a body that trickles in forever.
 */
import type { ServerResponse } from 'node:http';

/** Bytes a "huge" answer sends: above the clients' response caps, below anything a test minds. */
export const HUGE_RESPONSE_BYTES = 6 * 1024 * 1024;

/**
 * Answers 200 with HUGE_RESPONSE_BYTES of `fill` after `prefix`, without Content-Length
 * (chunked, so only a streaming size cap stops it), honouring backpressure.
 */
export function sendHuge(res: ServerResponse, contentType: string, prefix: string, fill: number): void {
  res.writeHead(200, { 'Content-Type': contentType });
  const chunk = Buffer.alloc(64 * 1024, fill);
  let sent = 0;
  const pump = (): void => {
    while (sent < HUGE_RESPONSE_BYTES) {
      if (res.destroyed) return;
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  if (prefix !== '') res.write(prefix);
  pump();
}

/**
 * Answers 200 with `first`, then one more `more` every 100 ms until the client goes away: only
 * a timeout that covers the body stops it.
 */
export function sendSlow(res: ServerResponse, contentType: string, first: string, more: string): void {
  res.writeHead(200, { 'Content-Type': contentType });
  res.write(first);
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) clearInterval(timer);
    else res.write(more);
  }, 100);
  timer.unref();
  res.on('close', () => clearInterval(timer));
}
