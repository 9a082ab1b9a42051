/**
 * The bounded HTTP client: the one way the core talks to logs.
 *
 * Every GET has a timeout that covers the whole exchange (connect, headers and the body, so a
 * server trickling bytes is cut off), a response size cap enforced while streaming, bounded
 * retries with exponential backoff and jitter on transient failures (timeouts, network errors,
 * 5xx and 429; never on other 4xx or on oversize bodies; never past a request's deadline, see
 * deadline.ts), the HTTPS rule (plain http only on
 * loopback, checked before any request and again on every redirect; no redirect from the
 * network to loopback, link-local or private addresses: url-policy.ts) and a User-Agent naming
 * the project. Failures are TlogErrors with `http/*` codes; URLs in messages never carry userinfo.
 * `post` is the same for read-only queries with a body (Rekor v1 entries/retrieve); it follows
 * only 307/308 redirects.
 */
import { TlogError } from '../errors.ts';
import type {
  Clock,
  Deadline,
  FetchPort,
  HttpClient,
  HttpPoster,
  HttpPostOptions,
  HttpRequestOptions,
  HttpResponse,
} from './ports.ts';
import { readBounded } from './read-bounded.ts';
import { type CheckedUrl, checkRedirectTarget, checkUrl, redactUrl } from './url-policy.ts';
import { DEFAULT_USER_AGENT } from './user-agent.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_BACKOFF_MS = 250;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface HttpClientOptions {
  readonly fetch: FetchPort;
  /** Used to sleep between retries. */
  readonly clock: Clock;
  /** Per attempt, covering the whole request including reading the body. Default 10 000. */
  readonly timeoutMs?: number;
  /** Response body cap in bytes (per request override: HttpRequestOptions.maxBytes). Default 4 MiB. */
  readonly maxBytes?: number;
  /** Retries after the first attempt, for transient failures only. Default 2. */
  readonly retries?: number;
  /** Backoff base: retry k (0-based) waits backoffMs · 2^k · (0.5 + random()/2). Default 250. */
  readonly backoffMs?: number;
  /** Jitter source returning values in [0, 1). Default Math.random; pass a constant for determinism. */
  readonly random?: () => number;
  readonly userAgent?: string;
  /** Redirects followed per attempt, each re-checked against the HTTPS rule. Default 5. */
  readonly maxRedirects?: number;
}

interface Settings {
  readonly fetch: FetchPort;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly retries: number;
  readonly backoffMs: number;
  readonly random: () => number;
  readonly userAgent: string;
  readonly maxRedirects: number;
}

export function createHttpClient(options: HttpClientOptions): HttpClient & HttpPoster {
  const settings: Settings = {
    fetch: options.fetch,
    clock: options.clock,
    timeoutMs: positiveNumber('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxBytes: nonNegativeInteger('maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES),
    retries: nonNegativeInteger('retries', options.retries ?? DEFAULT_RETRIES),
    backoffMs: nonNegativeInteger('backoffMs', options.backoffMs ?? DEFAULT_BACKOFF_MS),
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    maxRedirects: nonNegativeInteger('maxRedirects', options.maxRedirects ?? DEFAULT_MAX_REDIRECTS),
  };
  return {
    get: (url, requestOptions) => requestWithRetries(settings, url, requestOptions ?? {}),
    post: (url, body, postOptions) => requestWithRetries(settings, url, postOptions, body),
  };
}

/** A POST's body and media type; GETs have none. */
interface RequestBody {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

async function requestWithRetries(
  s: Settings,
  rawUrl: string,
  request: HttpRequestOptions | HttpPostOptions,
  postBody?: Uint8Array,
): Promise<HttpResponse> {
  const payload: RequestBody | undefined =
    postBody === undefined
      ? undefined
      : { bytes: postBody, contentType: (request as HttpPostOptions).contentType };
  const target = checkUrl(rawUrl); // throws http/insecure-url before any request
  const maxBytes =
    request.maxBytes === undefined ? s.maxBytes : nonNegativeInteger('maxBytes', request.maxBytes);
  const { deadline } = request;
  for (let attempt = 0; ; attempt++) {
    // Each attempt ends by the deadline: its timeout is what is left, if that is less.
    const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline.at - s.clock.now();
    if (deadline !== undefined && left <= 0) {
      throw withAttempts(deadlineError(deadline, redactUrl(target.url), 'before'), attempt);
    }
    const limit = left < s.timeoutMs && deadline !== undefined ? { ms: left, deadline } : { ms: s.timeoutMs };
    try {
      return await attemptOnce(s, target, maxBytes, request, limit, payload);
    } catch (e) {
      if (!isTransient(e) || attempt >= s.retries) throw withAttempts(e, attempt + 1);
      const wait = backoffDelay(s, attempt);
      if (deadline !== undefined && s.clock.now() + wait >= deadline.at) {
        throw withAttempts(noTimeToRetry(e, deadline), attempt + 1);
      }
      await s.clock.sleep(wait);
    }
  }
}

/** How long one attempt may take, and the deadline when that is what limits it. */
interface AttemptLimit {
  readonly ms: number;
  readonly deadline?: Deadline;
}

function deadlineError(deadline: Deadline, url: string, when: 'before' | 'during'): TlogError {
  return new TlogError(
    'http/timeout',
    when === 'before'
      ? `${deadline.what} ran out before the request to ${url} could be made`
      : `${deadline.what} ran out during the request to ${url}`,
    { url, deadline: deadline.what },
  );
}

/** The last error of a request that is not retried because its backoff would pass the deadline. */
function noTimeToRetry(e: unknown, deadline: Deadline): unknown {
  if (!(e instanceof TlogError)) return e;
  return new TlogError(
    e.code,
    `${e.message}; not retried: ${deadline.what} would pass during the backoff`,
    e.details,
    { cause: e },
  );
}

/** Exponential backoff with "equal jitter": half fixed, half random. */
function backoffDelay(s: Settings, retryIndex: number): number {
  const r = Math.min(Math.max(s.random(), 0), 1);
  return Math.round(s.backoffMs * 2 ** retryIndex * (0.5 + r / 2));
}

function isTransient(e: unknown): boolean {
  if (!(e instanceof TlogError)) return false;
  if (e.code === 'http/timeout' || e.code === 'http/network') return true;
  if (e.code === 'http/status') {
    const status = e.details?.status;
    return typeof status === 'number' && (status >= 500 || status === 429);
  }
  return false;
}

function withAttempts(e: unknown, attempts: number): unknown {
  if (!(e instanceof TlogError) || attempts <= 1) return e;
  return new TlogError(
    e.code,
    `${e.message} (after ${attempts} attempts)`,
    { ...e.details, attempts },
    { cause: e },
  );
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** One attempt: fetch (following checked redirects) and read the body, all under one deadline. */
async function attemptOnce(
  s: Settings,
  target: CheckedUrl,
  maxBytes: number,
  request: HttpRequestOptions,
  limit: AttemptLimit,
  payload: RequestBody | undefined,
): Promise<HttpResponse> {
  const controller = new AbortController();
  let shownUrl = redactUrl(target.url);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const cutOff = (): TlogError =>
    limit.deadline !== undefined
      ? deadlineError(limit.deadline, shownUrl, 'during')
      : timeoutError(shownUrl, s.timeoutMs);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(cutOff());
      controller.abort();
    }, limit.ms);
  });
  deadline.catch(() => {}); // observed through `guard`; never an unhandled rejection
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, deadline]);

  try {
    let current = target;
    for (let redirects = 0; ; redirects++) {
      shownUrl = redactUrl(current.url);
      const headers: Record<string, string> = { 'user-agent': s.userAgent };
      if (request.accept !== undefined) headers.accept = request.accept;
      if (current.authorization !== undefined) headers.authorization = current.authorization;
      if (payload !== undefined) headers['content-type'] = payload.contentType;
      const response = await guard(
        s.fetch(current.url.toString(), {
          ...(payload === undefined ? { method: 'GET' } : { method: 'POST', body: payload.bytes }),
          headers,
          redirect: 'manual',
          signal: controller.signal,
        }),
      );
      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        response.body?.cancel().catch(() => {});
        // Only 307 and 308 keep the method and body (RFC 9110 §15.4); a POST is not turned into a GET.
        if (payload !== undefined && response.status !== 307 && response.status !== 308) {
          throw new TlogError(
            'http/status',
            `HTTP ${response.status} from ${shownUrl}: a POST is redirected only by 307 or 308`,
            { status: response.status, url: shownUrl },
          );
        }
        if (redirects >= s.maxRedirects) {
          throw new TlogError(
            'http/status',
            `HTTP ${response.status} from ${shownUrl}: more than ${s.maxRedirects} redirects`,
            { status: response.status, url: shownUrl },
          );
        }
        current = followRedirect(current, location, shownUrl);
        continue;
      }
      if (!isAccepted(response.status, request)) {
        response.body?.cancel().catch(() => {});
        throw new TlogError(
          'http/status',
          `HTTP ${response.status} from ${shownUrl}: expected a 2xx status`,
          { status: response.status, url: shownUrl },
        );
      }
      const body = await readBounded(response, maxBytes, shownUrl, guard);
      return { status: response.status, body, headers: headerRecord(response.headers) };
    }
  } catch (e) {
    if (timedOut) throw cutOff();
    if (e instanceof TlogError) throw e;
    throw new TlogError('http/network', `network error fetching ${shownUrl}: ${describe(e)}`, {
      url: shownUrl,
    });
  } finally {
    clearTimeout(timer);
    controller.abort(); // releases the connection on every path; a no-op after a full read
  }
}

/** Resolves a Location header and re-applies the URL rules; credentials never cross origins. */
function followRedirect(from: CheckedUrl, location: string, shownFrom: string): CheckedUrl {
  let next: URL;
  try {
    next = new URL(location, from.url);
  } catch {
    throw new TlogError('http/network', `invalid redirect from ${shownFrom}`, { url: shownFrom });
  }
  // A log on the network never sends us to this machine, its link-local neighbours (cloud
  // metadata) or a private network: that would let a remote answer reach local services.
  checkRedirectTarget(from.url, next, shownFrom);
  const checked = checkUrl(next);
  if (checked.authorization !== undefined || from.authorization === undefined) return checked;
  return checked.url.origin === from.url.origin
    ? { url: checked.url, authorization: from.authorization }
    : { url: checked.url };
}

function isAccepted(status: number, request: HttpRequestOptions): boolean {
  return (status >= 200 && status < 300) || (request.acceptStatuses?.includes(status) ?? false);
}

function timeoutError(url: string, timeoutMs: number): TlogError {
  return new TlogError('http/timeout', `request to ${url} timed out after ${timeoutMs} ms`, {
    url,
    timeoutMs,
  });
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** fetch reports network failures as TypeError('fetch failed') with the real reason in `cause`. */
function describe(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 4; depth++) {
    if (cur instanceof Error) {
      const code = (cur as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${cur.message} [${code}]` : cur.message);
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
}

function positiveNumber(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) {
    throw new TlogError('config/invalid', `HTTP client ${name}: expected a positive number, got ${v}`);
  }
  return v;
}

function nonNegativeInteger(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new TlogError('config/invalid', `HTTP client ${name}: expected a non-negative integer, got ${v}`);
  }
  return v;
}
