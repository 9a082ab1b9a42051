/**
 * The Lambda's check deadline (issue 10, item 14): a log that never answers ends the check
 * `unreachable` before the invocation's remaining time runs out, and the message says which
 * request ran out. Without the deadline the check would wait 3 × 10 s plus backoff.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDeadline } from '../../lib/aws/invocation.ts';
import type { FetchPort } from '../../lib/http/ports.ts';
import { SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('Lambda check deadline', () => {
  const h = useHarness({ type: 'rekor-v1', initialSize: 5 });

  it('a log that never answers ends unreachable within the remaining time, naming the request', {
    timeout: 20_000,
  }, async () => {
    const requested: string[] = [];
    const silent: FetchPort = (url, init) => {
      requested.push(url);
      return new Promise((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    };
    const handler = h.handlerWith({ fetch: silent });
    const context = { getRemainingTimeInMillis: () => 6_000 };
    const started = Date.now();
    const result = await handler(SCHEDULED_EVENT, context);
    assert.equal(result.status, 'unreachable', result.message);
    assert.match(
      result.message ?? '',
      /the check's deadline \(\d+ ms\) ran out during the request to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/log/,
    );
    assert.ok(Date.now() - started < 6_000, 'the invocation ended before its time ran out');
    assert.equal(requested.length, 1, 'no retry once the deadline has passed');
    assert.equal(await h.head(), undefined, 'nothing stored');
  });

  it('leaves a margin below the remaining time for state, metrics and alerts', () => {
    assert.equal(checkDeadline(1_000, 60_000), 1_000 + 45_000);
    assert.equal(checkDeadline(1_000, 10_000), 1_000 + 5_000);
    assert.ok(checkDeadline(0, 3_000) <= 0 + 3_000);
  });
});
