/**
 * The overall deadline of a check (issue 10, item 14), through the HTTP port: a request, its
 * retries and its backoff all end by the deadline, and the error says which request ran out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTlogError, type TlogError } from '../../lib/errors.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import { withDeadline } from '../../lib/http/deadline.ts';
import { type Clock, type FetchPort, systemClock } from '../../lib/http/ports.ts';
import { startLoopbackServer } from './loopback-server.ts';

/** A clock whose time moves only when someone sleeps. */
function virtualClock(): Clock & { sleeps: number[] } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

async function failure(p: Promise<unknown>): Promise<TlogError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTlogError(e), String(e));
    return e;
  }
  assert.fail('expected a failure');
}

describe('check deadline through the HTTP port', () => {
  it('cuts a request short at the deadline, well before its own timeout, and names it', {
    timeout: 8_000,
  }, async () => {
    const srv = await startLoopbackServer();
    try {
      srv.route('/api/v1/log', () => {
        /* never answers */
      });
      const http = createHttpClient({
        fetch: globalThis.fetch,
        clock: systemClock,
        timeoutMs: 30_000,
        retries: 2,
      });
      const bounded = withDeadline(http, systemClock.now() + 200, "the check's deadline (200 ms)");
      const e = await failure(bounded.get(`${srv.base}/api/v1/log`));
      assert.equal(e.code, 'http/timeout');
      assert.match(e.message, /the check's deadline \(200 ms\) ran out/);
      assert.ok(e.message.includes(`${srv.base}/api/v1/log`), e.message);
      assert.equal(srv.hits('/api/v1/log'), 1, 'no retry after the deadline');
    } finally {
      await srv.close();
    }
  });

  it('never sleeps past the deadline between retries', async () => {
    const clock = virtualClock();
    let calls = 0;
    const busy: FetchPort = async () => {
      calls++;
      return new Response('busy', { status: 503 });
    };
    const http = createHttpClient({ fetch: busy, clock, retries: 5, backoffMs: 1000, random: () => 0.5 });
    const start = clock.now();
    const e = await failure(
      withDeadline(http, start + 2_500, "the check's deadline").get('https://log.example/x'),
    );
    // Backoff 750 and 1500 ms fit before the deadline; the next (3000 ms) would not.
    assert.deepEqual(clock.sleeps, [750, 1500]);
    assert.equal(calls, 3);
    assert.equal(e.code, 'http/status');
    assert.match(e.message, /503/);
    assert.match(e.message, /deadline/);
    assert.ok(clock.now() <= start + 2_500);
  });

  it('does not start a request once the deadline has passed', async () => {
    const clock = virtualClock();
    let calls = 0;
    const ok: FetchPort = async () => {
      calls++;
      return new Response('ok');
    };
    const http = createHttpClient({ fetch: ok, clock });
    const e = await failure(
      withDeadline(http, clock.now() - 1, "the check's deadline").get('https://log.example/y'),
    );
    assert.equal(e.code, 'http/timeout');
    assert.match(e.message, /https:\/\/log\.example\/y/);
    assert.equal(calls, 0);
  });

  it('the earlier of two deadlines wins', async () => {
    const clock = virtualClock();
    const http = createHttpClient({ fetch: async () => new Response('ok'), clock });
    const inner = withDeadline(http, clock.now() - 1, 'the inner deadline');
    const e = await failure(
      withDeadline(inner, clock.now() + 60_000, 'the outer deadline').get('https://log.example/z'),
    );
    assert.match(e.message, /the inner deadline/);
  });

  it("keeps a client's POST (Rekor v1 entries/retrieve), bound by the same deadline", async () => {
    const clock = virtualClock();
    let posts = 0;
    const http = createHttpClient({
      fetch: async () => {
        posts++;
        return new Response('[]');
      },
      clock,
    });
    const live = withDeadline(http, clock.now() + 60_000, 'the check deadline');
    assert.ok(live.post, 'post is kept');
    await live.post('https://log.example/api/v1/log/entries/retrieve', new Uint8Array(2), {
      contentType: 'application/json',
    });
    assert.equal(posts, 1);
    const late = withDeadline(http, clock.now() - 1, 'the late deadline');
    const e = await failure(
      late.post?.('https://log.example/api/v1/log/entries/retrieve', new Uint8Array(2), {
        contentType: 'application/json',
      }) ?? Promise.resolve(),
    );
    assert.match(e.message, /the late deadline/);
    assert.equal(posts, 1, 'no request after the deadline');
  });
});
