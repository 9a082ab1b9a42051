/**
 * The overall deadline of a check: every request the check makes through the returned client
 * ends by `at` (Clock.now() milliseconds), retries and backoff included; the bounded client
 * cuts an attempt short, skips a retry whose backoff would pass it, and then says which request
 * ran out (TlogError 'http/timeout', or the last error of a retried request). The Lambda sets it
 * below the invocation's remaining time, the CLI from --deadline.
 */
import type { Deadline, HttpClient, HttpPoster } from './ports.ts';

/**
 * `http` with every request bound by the deadline `at` (the earlier one, if a request has one).
 * A client that can POST (Rekor v1 entries/retrieve) keeps its `post`, bound the same way.
 */
export function withDeadline(
  http: HttpClient & Partial<HttpPoster>,
  at: number,
  what: string,
): HttpClient & Partial<HttpPoster> {
  const earlier = (own: Deadline | undefined): Deadline =>
    own !== undefined && own.at <= at ? own : { at, what };
  const post = http.post?.bind(http);
  return {
    get: (url, options) => http.get(url, { ...options, deadline: earlier(options?.deadline) }),
    ...(post !== undefined
      ? { post: (url, body, options) => post(url, body, { ...options, deadline: earlier(options.deadline) }) }
      : {}),
  };
}
