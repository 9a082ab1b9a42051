/** Shared helpers for the tile tests: a bounded HTTP client for loopback, a static file server. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { Clock, HttpClient } from '../../lib/http/ports.ts';

export const instantClock: Clock = { now: () => Date.now(), sleep: async () => {} };

/** The real bounded client (timeouts, caps, retries) with no backoff waits. */
export function loopbackHttp(timeoutMs = 2000): HttpClient {
  return createHttpClient({ fetch: (u, i) => fetch(u, i), clock: instantClock, timeoutMs, random: () => 0 });
}

export interface FileServer {
  readonly url: string;
  /** Paths requested, in order (without the prefix). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves `files` (path without leading slash → bytes) under `prefix`; anything else is 404. */
export async function serveFiles(
  files: ReadonlyMap<string, Uint8Array>,
  prefix = '/log',
): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').startsWith(`${prefix}/`) ? (req.url ?? '').slice(prefix.length + 1) : '';
    requests.push(path);
    const body = files.get(path);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
