/** A scriptable node:http server on 127.0.0.1 (port 0) for the bounded client's tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** Sets the handler for a path; `hit` counts requests to it, from 1. */
  route(path: string, handler: Route): void;
  /** Requests seen, in order: path and lower-cased headers. */
  readonly requests: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const routes = new Map<string, Route>();
  const counts = new Map<string, number>();
  const requests: LoopbackServer['requests'] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (handler === undefined) {
      res.writeHead(404).end('no route');
      return;
    }
    handler(req, res, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    route: (path, handler) => routes.set(path, handler),
    requests,
    hits: (path) => counts.get(path) ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `chunk` every `everyMs` until the response or its socket closes. */
export function trickle(res: ServerResponse, chunk: string, everyMs: number): void {
  const t = setInterval(() => {
    if (res.destroyed || res.writableEnded) {
      clearInterval(t);
      return;
    }
    res.write(chunk);
  }, everyMs);
  res.on('close', () => clearInterval(t));
}
