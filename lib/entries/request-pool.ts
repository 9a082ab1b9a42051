/**
 * Several entry requests in flight with a bound, and backing off when a log says "too many
 * requests" (HTTP 429, RFC 6585 §4): every request waits out the Retry-After the log sent
 * (RFC 9110 §10.2.3: delay-seconds or an HTTP-date; capped), and the bound on requests in flight
 * halves, then grows back by one per round of answered requests (additive increase, multiplicative
 * decrease), so a scan settles at the rate the log allows instead of hammering it.
 *
 * Other transient failures (timeouts, 5xx) are retried by the bounded HttpClient itself; the
 * requests made here accept 429 as an answer so that this pool, which sees all of them, paces them.
 * The bound grows by one after each `limit` answers in a row (one round of requests), so a log
 * that limits again soon is not hit at full concurrency at once.
 */
import { TlogError } from '../errors.ts';
import type { Clock, HttpResponse } from '../http/ports.ts';

export interface RequestPoolOptions {
  /** Most requests in flight at once (≥ 1). */
  readonly concurrency: number;
  readonly clock: Clock;
  /** 429 answers tolerated for one request before giving up. Default 6. */
  readonly max429Retries?: number;
  /** Longest Retry-After honoured, in ms; a longer one is cut to this. Default 30 000. */
  readonly maxRetryAfterMs?: number;
  /** Wait after a 429 that names no Retry-After: this · 2^attempt ms. Default 500. */
  readonly backoffMs?: number;
}

export const DEFAULT_MAX_429_RETRIES = 6;
export const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;
export const DEFAULT_429_BACKOFF_MS = 500;

/** Counters for benchmarks and messages. */
export interface RequestPoolStats {
  requests: number;
  tooManyRequests: number;
  /** Total time asked to wait by 429 answers, in ms. */
  waitedMs: number;
}

export class RequestPool {
  readonly #max: number;
  readonly #clock: Clock;
  readonly #max429: number;
  readonly #maxRetryAfterMs: number;
  readonly #backoffMs: number;
  #limit: number;
  #inFlight = 0;
  #pausedUntil = 0;
  /** Answers since the bound last grew. */
  #answered = 0;
  readonly #waiting: (() => void)[] = [];
  readonly stats: RequestPoolStats = { requests: 0, tooManyRequests: 0, waitedMs: 0 };

  constructor(options: RequestPoolOptions) {
    const c = options.concurrency;
    if (!Number.isSafeInteger(c) || c < 1) {
      throw new TlogError('config/invalid', `entry request concurrency: expected an integer ≥ 1, got ${c}`);
    }
    this.#max = c;
    this.#limit = c;
    this.#clock = options.clock;
    this.#max429 = options.max429Retries ?? DEFAULT_MAX_429_RETRIES;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.#backoffMs = options.backoffMs ?? DEFAULT_429_BACKOFF_MS;
  }

  /** The current bound on requests in flight (lower than configured after 429 answers). */
  get limit(): number {
    return this.#limit;
  }

  /**
   * Runs `send` (a request made with `acceptStatuses: [429]`) in a free slot, again after each
   * 429 once its Retry-After has passed; returns the first answer that is not 429. Throws
   * 'http/status' (status 429) after too many.
   */
  async request(url: string, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      await this.#acquire();
      let res: HttpResponse;
      try {
        await this.#waitPause();
        this.stats.requests++;
        res = await send();
      } finally {
        this.#release();
      }
      if (res.status !== 429) {
        if (this.#limit < this.#max && ++this.#answered >= this.#limit) {
          this.#limit++;
          this.#answered = 0;
        }
        this.#wake();
        return res;
      }
      this.stats.tooManyRequests++;
      const waitMs = this.#retryAfterMs(res.headers['retry-after'], attempt);
      if (attempt >= this.#max429) {
        throw new TlogError(
          'http/status',
          `HTTP 429 from ${url}: still too many requests after ${attempt + 1} attempts`,
          { status: 429, url, attempts: attempt + 1, retryAfterMs: waitMs },
        );
      }
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#answered = 0;
      this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + waitMs);
      this.stats.waitedMs += waitMs;
    }
  }

  /** Runs `work` on every item with the pool's bound; results in item order. */
  async map<T, R>(items: readonly T[], work: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < items.length) {
        const i = next++;
        try {
          out[i] = await work(items[i] as T, i);
        } catch (e) {
          failed = true; // stop handing out work; the first error is reported by Promise.all
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#max, items.length) }, worker));
    return out;
  }

  #retryAfterMs(header: string | undefined, attempt: number): number {
    const fallback = this.#backoffMs * 2 ** attempt;
    let ms = fallback;
    if (header !== undefined) {
      const text = header.trim();
      if (/^\d{1,9}$/.test(text)) ms = Number(text) * 1000;
      else {
        const at = Date.parse(text);
        if (Number.isFinite(at)) ms = Math.max(0, at - this.#clock.now());
      }
    }
    return Math.min(ms, this.#maxRetryAfterMs);
  }

  async #waitPause(): Promise<void> {
    for (;;) {
      const wait = this.#pausedUntil - this.#clock.now();
      if (wait <= 0) return;
      await this.#clock.sleep(wait);
    }
  }

  async #acquire(): Promise<void> {
    while (this.#inFlight >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#inFlight++;
  }

  #release(): void {
    this.#inFlight--;
    this.#wake();
  }

  /** Wakes as many waiters as there are free slots; each re-checks the bound when it runs. */
  #wake(): void {
    let free = this.#limit - this.#inFlight;
    while (free-- > 0 && this.#waiting.length > 0) (this.#waiting.shift() as () => void)();
  }
}
