/** Ports through which the core reaches the network and the clock. Adapters are passed in. */

export interface HttpResponse {
  readonly status: number;
  readonly body: Uint8Array;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface HttpRequestOptions {
  /** Overrides the client's default response size cap, in bytes. */
  readonly maxBytes?: number;
  readonly accept?: string;
  /** Non-2xx statuses to return as responses instead of throwing 'http/status' (e.g. [404]). */
  readonly acceptStatuses?: readonly number[];
  /** The request, its retries and its backoff included, is over by then (see withDeadline). */
  readonly deadline?: Deadline;
}

/** A point in time by which a request must be over (check deadlines: lib/http/deadline.ts). */
export interface Deadline {
  /** Clock.now() milliseconds. */
  readonly at: number;
  /** What the deadline is, for messages: "the check's deadline (45000 ms)". */
  readonly what: string;
}

/**
 * A bounded HTTP GET: every call has a timeout and a response size cap, retries transient
 * failures a bounded number of times, and throws TlogError with an `http/*` code for network
 * errors, timeouts, oversize bodies and non-2xx statuses (except 404 where asked for).
 */
export interface HttpClient {
  get(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
}

/** Options of a POST: those of a GET plus the body's media type. */
export interface HttpPostOptions extends HttpRequestOptions {
  readonly contentType: string;
}

/**
 * A bounded HTTP POST, for read-only queries that need a request body (Rekor v1
 * `POST /api/v1/log/entries/retrieve`): same timeout, size cap, retries and errors as `get`.
 * Only idempotent queries may go through it (a retry sends the body again).
 */
export interface HttpPoster {
  post(url: string, body: Uint8Array, options: HttpPostOptions): Promise<HttpResponse>;
}

/** The fetch function the bounded client is built on (globalThis.fetch in production). */
export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
