import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { isTlogError, type TlogError } from '../../lib/errors.ts';
import { createHttpClient, type HttpClientOptions } from '../../lib/http/bounded-client.ts';
import type { Clock, FetchPort } from '../../lib/http/ports.ts';
import { DEFAULT_USER_AGENT, TLOG_MONITOR_VERSION } from '../../lib/http/user-agent.ts';
import { type LoopbackServer, startLoopbackServer, trickle } from './loopback-server.ts';

/** A clock whose sleep returns at once and records what was asked. */
function fakeClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms) };
}

const realFetch: FetchPort = (url, init) => fetch(url, init);

function client(overrides: Partial<HttpClientOptions> = {}) {
  const clock = fakeClock();
  const http = createHttpClient({ fetch: realFetch, clock, random: () => 0.5, ...overrides });
  return { http, clock };
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<TlogError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTlogError(e), `expected a TlogError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected rejection with ${code}`);
}

let srv: LoopbackServer;
before(async () => {
  srv = await startLoopbackServer();
});
after(async () => {
  await srv.close();
});

describe('bounded HTTP client against a real loopback server', () => {
  it('returns status, body bytes and lower-cased headers on success', async () => {
    srv.route('/ok', (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"a":1}'),
    );
    const { http, clock } = client();
    const r = await http.get(`${srv.base}/ok`);
    assert.equal(r.status, 200);
    assert.equal(Buffer.from(r.body).toString(), '{"a":1}');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(clock.sleeps, []);
  });

  it('sends a User-Agent naming the project, and the Accept header when asked', async () => {
    srv.route('/ua', (_req, res) => res.end('x'));
    const { http } = client();
    await http.get(`${srv.base}/ua`, { accept: 'application/json' });
    const seen = srv.requests.filter((r) => r.path === '/ua').at(-1);
    assert.equal(seen?.headers['user-agent'], DEFAULT_USER_AGENT);
    assert.match(
      DEFAULT_USER_AGENT,
      /^tlog-monitor\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/tlog-monitor\)$/,
    );
    assert.equal(seen?.headers.accept, 'application/json');
  });

  it('keeps the User-Agent version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(TLOG_MONITOR_VERSION, pkg.version);
  });

  it('throws http/status on 404 with the status and URL, without retrying', async () => {
    srv.route('/missing', (_req, res) => res.writeHead(404).end('nope'));
    const { http, clock } = client();
    const e = await rejectsWith(http.get(`${srv.base}/missing`), 'http/status');
    assert.equal(e.details?.status, 404);
    assert.equal(e.details?.url, `${srv.base}/missing`);
    assert.match(e.message, /404/);
    assert.ok(e.message.includes(`${srv.base}/missing`));
    assert.equal(srv.hits('/missing'), 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('returns a non-2xx status listed in acceptStatuses instead of throwing', async () => {
    srv.route('/maybe', (_req, res) => res.writeHead(404).end('absent'));
    const { http } = client();
    const r = await http.get(`${srv.base}/maybe`, { acceptStatuses: [404] });
    assert.equal(r.status, 404);
    assert.equal(Buffer.from(r.body).toString(), 'absent');
  });

  it('retries a 500 the configured number of times, then throws http/status', async () => {
    srv.route('/broken', (_req, res) => res.writeHead(500).end('oops'));
    const { http, clock } = client({ retries: 2, backoffMs: 100 });
    const e = await rejectsWith(http.get(`${srv.base}/broken`), 'http/status');
    assert.equal(e.details?.status, 500);
    assert.equal(e.details?.attempts, 3);
    assert.match(e.message, /500/);
    assert.equal(srv.hits('/broken'), 3);
    // Exponential backoff with jitter 0.5 → factor 0.75: 100·1·0.75, 100·2·0.75.
    assert.deepEqual(clock.sleeps, [75, 150]);
  });

  it('retries a 503 and succeeds when the server recovers', async () => {
    srv.route('/flaky', (_req, res, hit) => {
      if (hit < 3) res.writeHead(503).end('busy');
      else res.end('fine');
    });
    const { http, clock } = client({ retries: 2 });
    const r = await http.get(`${srv.base}/flaky`);
    assert.equal(Buffer.from(r.body).toString(), 'fine');
    assert.equal(srv.hits('/flaky'), 3);
    assert.equal(clock.sleeps.length, 2);
  });

  it('retries a 429', async () => {
    srv.route('/limited', (_req, res, hit) => {
      if (hit === 1) res.writeHead(429).end();
      else res.end('ok');
    });
    const { http } = client();
    const r = await http.get(`${srv.base}/limited`);
    assert.equal(r.status, 200);
    assert.equal(srv.hits('/limited'), 2);
  });

  it('does not retry a 400', async () => {
    srv.route('/bad', (_req, res) => res.writeHead(400).end('bad request'));
    const { http, clock } = client({ retries: 3 });
    const e = await rejectsWith(http.get(`${srv.base}/bad`), 'http/status');
    assert.equal(e.details?.status, 400);
    assert.equal(srv.hits('/bad'), 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('times out on a server that never answers', async () => {
    srv.route('/hang', () => {
      /* never respond */
    });
    const { http } = client({ timeoutMs: 200, retries: 1 });
    const e = await rejectsWith(http.get(`${srv.base}/hang`), 'http/timeout');
    assert.ok(e.message.includes(`${srv.base}/hang`));
    assert.match(e.message, /200 ms/);
    assert.equal(srv.hits('/hang'), 2); // timeouts are retried
  });

  it('cuts off a body that trickles in slower than the timeout', async () => {
    srv.route('/trickle', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('a');
      trickle(res, 'b', 50);
    });
    const { http } = client({ timeoutMs: 200, retries: 0 });
    await rejectsWith(http.get(`${srv.base}/trickle`), 'http/timeout');
  });

  it('rejects a Content-Length above the cap before reading the body, without retrying', async () => {
    srv.route('/declared-huge', (_req, res) => {
      res.writeHead(200, { 'Content-Length': '5000000' });
      res.write(Buffer.alloc(1024));
      // leave the rest unsent: the client must not wait for it
    });
    const { http, clock } = client({ maxBytes: 1024 * 1024 });
    const e = await rejectsWith(http.get(`${srv.base}/declared-huge`), 'http/too-large');
    assert.match(e.message, /1048576/);
    assert.match(e.message, /5000000/);
    assert.equal(e.details?.maxBytes, 1048576);
    assert.equal(e.details?.bytesSeen, 5000000);
    assert.equal(srv.hits('/declared-huge'), 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('aborts a chunked body without Content-Length as soon as it passes the cap', async () => {
    srv.route('/chunked-huge', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write(Buffer.alloc(600, 1));
      trickle(res, 'x'.repeat(600), 5); // endless: only the cap can stop it
    });
    const { http } = client({ maxBytes: 1000, timeoutMs: 5000 });
    const e = await rejectsWith(http.get(`${srv.base}/chunked-huge`), 'http/too-large');
    const seen = e.details?.bytesSeen as number;
    assert.ok(seen > 1000, `bytes seen ${seen}`);
    assert.ok(e.message.includes('1000 bytes'));
    assert.ok(e.message.includes(String(seen)));
    assert.equal(srv.hits('/chunked-huge'), 1);
  });

  it('honours a per-request maxBytes override', async () => {
    srv.route('/small', (_req, res) => res.end('0123456789'));
    const { http } = client();
    await rejectsWith(http.get(`${srv.base}/small`, { maxBytes: 5 }), 'http/too-large');
    const r = await http.get(`${srv.base}/small`, { maxBytes: 10 });
    assert.equal(r.body.length, 10);
  });

  it('maps a connection reset to http/network and retries it', async () => {
    srv.route('/reset', (req) => req.socket.destroy());
    const { http, clock } = client({ retries: 2 });
    const e = await rejectsWith(http.get(`${srv.base}/reset`), 'http/network');
    assert.ok(e.message.includes(`${srv.base}/reset`));
    assert.equal(srv.hits('/reset'), 3);
    assert.equal(clock.sleeps.length, 2);
  });

  it('maps a reset in the middle of the body to http/network', async () => {
    srv.route('/reset-mid', (req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial', () => setTimeout(() => req.socket.destroy(), 20));
    });
    const { http } = client({ retries: 0 });
    await rejectsWith(http.get(`${srv.base}/reset-mid`), 'http/network');
  });

  it('maps a refused connection to http/network', async () => {
    const closed = await startLoopbackServer();
    const url = `${closed.base}/gone`;
    await closed.close();
    const { http } = client({ retries: 0 });
    await rejectsWith(http.get(url), 'http/network');
  });

  it('strips userinfo from every message but sends it as Basic credentials', async () => {
    srv.route('/private', (_req, res) => res.writeHead(500).end());
    const { http } = client({ retries: 0 });
    const withCreds = srv.base.replace('http://', 'http://alice:s3cret@');
    const e = await rejectsWith(http.get(`${withCreds}/private`), 'http/status');
    assert.ok(!e.message.includes('s3cret'), e.message);
    assert.ok(!e.message.includes('alice'), e.message);
    assert.ok(!JSON.stringify(e.details).includes('s3cret'));
    assert.ok(e.message.includes(`${srv.base}/private`));
    const seen = srv.requests.filter((r) => r.path === '/private').at(-1);
    assert.equal(seen?.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
  });

  it('follows a redirect on loopback and refuses one that downgrades to plain http elsewhere', async () => {
    srv.route('/moved', (_req, res) => res.writeHead(302, { Location: '/ok2' }).end());
    srv.route('/ok2', (_req, res) => res.end('here'));
    srv.route('/escape', (_req, res) => res.writeHead(301, { Location: 'http://example.com/x' }).end());
    const { http } = client();
    const r = await http.get(`${srv.base}/moved`);
    assert.equal(Buffer.from(r.body).toString(), 'here');
    await rejectsWith(http.get(`${srv.base}/escape`), 'http/insecure-url');
  });

  it('stops after too many redirects', async () => {
    srv.route('/loop', (_req, res) => res.writeHead(307, { Location: '/loop' }).end());
    const { http } = client({ maxRedirects: 3 });
    const e = await rejectsWith(http.get(`${srv.base}/loop`), 'http/status');
    assert.match(e.message, /redirects/);
    assert.equal(srv.hits('/loop'), 4);
  });
});

describe('bounded HTTP client URL rules (no network)', () => {
  function recordingFetch(): FetchPort & { calls: string[] } {
    const calls: string[] = [];
    const f: FetchPort = async (url) => {
      calls.push(url);
      return new Response('unexpected');
    };
    return Object.assign(f, { calls });
  }

  for (const url of [
    'http://example.com/api/v1/log',
    'http://10.0.0.1/x',
    'http://[::2]/x',
    'http://127.example.com/x',
    'ftp://127.0.0.1/x',
    'file:///etc/passwd',
    'not a url',
  ]) {
    it(`refuses ${url} before any request`, async () => {
      const f = recordingFetch();
      const http = createHttpClient({ fetch: f, clock: fakeClock() });
      await rejectsWith(http.get(url), 'http/insecure-url');
      assert.deepEqual(f.calls, []);
    });
  }

  it('does not leak credentials when refusing an insecure URL', async () => {
    const f = recordingFetch();
    const http = createHttpClient({ fetch: f, clock: fakeClock() });
    const e = await rejectsWith(http.get('http://bob:hunter2@example.com/x'), 'http/insecure-url');
    assert.ok(!e.message.includes('hunter2'));
    assert.ok(e.message.includes('http://example.com/x'));
    assert.deepEqual(f.calls, []);
  });

  for (const url of [
    'https://example.com/x',
    'http://127.0.0.1:1/x',
    'http://127.1.2.3/x',
    'http://localhost:8080/x',
    'http://[::1]:8080/x',
  ]) {
    it(`allows ${url}`, async () => {
      const f = recordingFetch();
      const http = createHttpClient({ fetch: f, clock: fakeClock() });
      const r = await http.get(url);
      assert.equal(r.status, 200);
      assert.equal(f.calls.length, 1);
    });
  }

  it('refuses a redirect from a remote log to this machine, over https or http', async () => {
    for (const location of ['http://127.0.0.1:9/admin', 'https://localhost/x', 'http://[::1]/y']) {
      const calls: string[] = [];
      const redirecting: FetchPort = async (url) => {
        calls.push(url);
        return new Response(null, { status: 302, headers: { location } });
      };
      const http = createHttpClient({ fetch: redirecting, clock: fakeClock(), retries: 0 });
      const e = await rejectsWith(http.get('https://log.example/api/v1/log'), 'http/insecure-url');
      assert.match(e.message, /loopback/);
      assert.deepEqual(calls, ['https://log.example/api/v1/log'], 'the loopback URL is never fetched');
    }
  });

  it('bounds a FetchPort that ignores the abort signal', async () => {
    const never: FetchPort = () => new Promise(() => {});
    const http = createHttpClient({ fetch: never, clock: fakeClock(), timeoutMs: 50, retries: 0 });
    await rejectsWith(http.get('https://example.com/'), 'http/timeout');
  });

  it('rejects invalid options with config/invalid', () => {
    const clock = fakeClock();
    assert.throws(
      () => createHttpClient({ fetch: realFetch, clock, timeoutMs: 0 }),
      (e) => isTlogError(e, 'config/invalid'),
    );
    assert.throws(
      () => createHttpClient({ fetch: realFetch, clock, retries: -1 }),
      (e) => isTlogError(e, 'config/invalid'),
    );
  });
});
