/**
 * The overall deadline of a check: every request the check makes through the returned client
 * ends by `at` (Clock.now() milliseconds), retries and backoff included; the bounded client
 * cuts an attempt short, skips a retry whose backoff would pass it, and then says which request
 * ran out (TlogError 'http/timeout', or the last error of a retried request). The Lambda sets it
 * below the invocation's remaining time, the CLI from --deadline.
 */
import type { HttpClient } from './ports.ts';

/** `http` with every request bound by the deadline `at` (the earlier one, if a request has one). */
export function withDeadline(http: HttpClient, at: number, what: string): HttpClient {
  return {
    get: (url, options) => {
      const own = options?.deadline;
      const deadline = own !== undefined && own.at <= at ? own : { at, what };
      return http.get(url, { ...options, deadline });
    },
  };
}
