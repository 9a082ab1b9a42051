import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestPool } from '../../lib/entries/request-pool.ts';
import type { HttpResponse } from '../../lib/http/ports.ts';
import { recordingClock } from './helpers.ts';

const answer = (status: number, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  body: new Uint8Array(0),
  headers,
});

/** A fake log: counts requests in flight; the first `tooMany` answers are 429 with `retryAfter`. */
function fakeLog(tooMany: number, retryAfter?: string) {
  const log = { inFlight: 0, maxInFlight: 0, afterFirst429: 0, served: 0, limited: 0 };
  const send = async (): Promise<HttpResponse> => {
    log.inFlight++;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    if (log.limited > 0) log.afterFirst429 = Math.max(log.afterFirst429, log.inFlight);
    await new Promise((r) => setImmediate(r));
    log.inFlight--;
    if (log.limited < tooMany) {
      log.limited++;
      return answer(429, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
    }
    log.served++;
    return answer(200);
  };
  return { log, send };
}

describe('RequestPool', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    const pool = new RequestPool({ concurrency: 3, clock: recordingClock() });
    const { log, send } = fakeLog(0);
    await pool.map(Array.from({ length: 20 }), () => pool.request('u', send));
    assert.equal(log.served, 20);
    assert.equal(log.maxInFlight, 3);
  });

  it('on 429: waits the Retry-After, halves the requests in flight, then grows back by one per round', async () => {
    const clock = recordingClock();
    const pool = new RequestPool({ concurrency: 8, clock });
    const { log, send } = fakeLog(1, '7');
    await pool.request('u', send); // a 429, waited out, then the answer
    assert.equal(pool.limit, 4, 'halved from 8');
    const limits: number[] = [];
    await pool.map(Array.from({ length: 60 }), () =>
      pool.request('u', () => {
        limits.push(pool.limit);
        return send();
      }),
    );
    assert.equal(log.served, 61);
    assert.ok(clock.slept.includes(7000), `slept ${clock.slept}`);
    assert.equal(pool.stats.tooManyRequests, 1);
    // 4 → 5 after 4 answers, → 6 after 5 more, …: never a jump back to 8.
    assert.ok(
      limits.every((l, i) => i === 0 || l - (limits[i - 1] as number) <= 1),
      `limits ${limits}`,
    );
    assert.equal(pool.limit, 8, 'grown back after enough answers');
    const after = fakeLog(2, '1');
    const p2 = new RequestPool({ concurrency: 8, clock: recordingClock() });
    await p2.map(Array.from({ length: 40 }), () => p2.request('u', after.send));
    assert.equal(after.log.served, 40);
    assert.ok(p2.stats.tooManyRequests === 2);
  });

  it('caps a Retry-After at maxRetryAfterMs and uses backoff when the header is missing or junk', async () => {
    for (const [header, expected] of [
      ['99999', 30_000],
      [undefined, 500],
      ['soon', 500],
    ] as const) {
      const clock = recordingClock();
      const pool = new RequestPool({ concurrency: 1, clock });
      const { send } = fakeLog(1, header);
      await pool.request('u', send);
      assert.deepEqual(clock.slept, [expected], `Retry-After ${header}`);
    }
  });

  it('refuses a concurrency below 1 as config/invalid', () => {
    assert.throws(() => new RequestPool({ concurrency: 0, clock: recordingClock() }), /concurrency/);
  });
});
