/**
 * HTTP plumbing shared by the entry test logs: a loopback server, the request log, and the
 * switches that make the ENTRY endpoints misbehave (rate limiting with Retry-After, broken or
 * hostile answers), each for a number of answers or until reset.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Broken answers an entry endpoint can give:
 * - status429: HTTP 429 with `Retry-After` (default "1");
 * - status500 / status404;
 * - garbage: 200 with a body that is not JSON (or, for tiles, not a bundle);
 * - huge: 200 with a 48 MiB body (over every source's cap);
 * - bad-base64: a leaf field that is not base64 (tiles: a length prefix that overruns the bundle);
 * - mismatch: a self-contradicting answer (Rekor: an entry at another logIndex; CT: one entry more
 *   than asked; tiles: bytes after the last entry).
 */
export type EntryFault =
  | 'status429'
  | 'status500'
  | 'status404'
  | 'garbage'
  | 'huge'
  | 'bad-base64'
  | 'mismatch';

export interface EntryFaultOptions {
  /** Apply to this many entry answers, then behave honestly again. Default: until reset(). */
  readonly times?: number;
  /** For status429: the Retry-After header. Default "1". */
  readonly retryAfter?: string;
}

interface ActiveFault {
  readonly kind: EntryFault;
  readonly retryAfter: string;
  remaining: number | undefined;
}

export class EntryFaults {
  #faults: ActiveFault[] = [];

  add(kind: EntryFault, options: EntryFaultOptions = {}): void {
    const times = options.times;
    if (times !== undefined && (!Number.isSafeInteger(times) || times < 1))
      throw new RangeError(`times must be ≥ 1, got ${times}`);
    this.#faults.push({ kind, retryAfter: options.retryAfter ?? '1', remaining: times });
  }

  /** The fault for the next entry answer, if any (counting it down). */
  take(): { kind: EntryFault; retryAfter: string } | undefined {
    const f = this.#faults[0];
    if (f === undefined) return undefined;
    if (f.remaining !== undefined && --f.remaining <= 0) this.#faults.shift();
    return f;
  }

  clear(): void {
    this.#faults = [];
  }
}

/** Sends the answers that need no log knowledge; returns false for bad-base64 and mismatch (log-specific). */
export function sendGenericFault(
  res: ServerResponse,
  fault: { kind: EntryFault; retryAfter: string },
): boolean {
  switch (fault.kind) {
    case 'status429':
      send(res, 429, '{"code":429,"message":"test log: too many requests"}', 'application/json', {
        'Retry-After': fault.retryAfter,
      });
      return true;
    case 'status500':
      send(res, 500, '{"code":500,"message":"test log: injected error"}', 'application/json');
      return true;
    case 'status404':
      send(res, 404, '{"code":404,"message":"test log: injected not found"}', 'application/json');
      return true;
    case 'garbage':
      send(res, 200, '<html>not an answer {{{', 'application/json');
      return true;
    case 'huge':
      send(res, 200, new Uint8Array(48 << 20).fill(0x20), 'application/json');
      return true;
    default:
      return false;
  }
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type: string,
  headers: Record<string, string> = {},
): void {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': data.length, ...headers });
  res.end(data);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json');
}

/** Reads a request body (small: Rekor retrieve queries), at most 64 KiB. */
export async function readRequestBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req) {
    n += (chunk as Buffer).length;
    if (n > 64 << 10) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts `handler` on a free loopback port; returns the server and its base URL. */
export async function listenLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}` };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A decimal query parameter as a safe integer, or undefined. */
export function queryInt(v: string | null): number | undefined {
  if (v === null || !/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}
