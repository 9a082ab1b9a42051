/** The bounded client's POST (Rekor v1 entries/retrieve): body and media type sent, same caps and retries, redirects only by 307/308. */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { isTlogError } from '../../lib/errors.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { Clock } from '../../lib/http/ports.ts';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

const clock: Clock = { now: () => 0, sleep: async () => {} };
const http = createHttpClient({ fetch: (u, i) => fetch(u, i), clock, random: () => 0.5, retries: 1 });
const opts = { contentType: 'application/json', accept: 'application/json' };

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

let srv: LoopbackServer;
before(async () => {
  srv = await startLoopbackServer();
});
after(() => srv.close());

describe('bounded HTTP client POST', () => {
  it('sends the method, body and Content-Type, and returns the answer', async () => {
    srv.route('/echo', async (req, res) => {
      const body = await bodyOf(req);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body }));
    });
    const r = await http.post(`${srv.base}/echo`, new TextEncoder().encode('{"logIndexes":[1,2]}'), opts);
    assert.deepEqual(JSON.parse(Buffer.from(r.body).toString()), {
      method: 'POST',
      type: 'application/json',
      body: '{"logIndexes":[1,2]}',
    });
  });

  it('retries a 503 with the same body, and caps the answer like a GET', async () => {
    const seen: string[] = [];
    srv.route('/flaky', async (req, res) => {
      seen.push(await bodyOf(req));
      if (seen.length === 1) res.writeHead(503).end();
      else res.writeHead(200).end('x'.repeat(100));
    });
    await assert.rejects(
      http.post(`${srv.base}/flaky`, new TextEncoder().encode('q'), { ...opts, maxBytes: 10 }),
      (e) => isTlogError(e, 'http/too-large'),
    );
    assert.deepEqual(seen, ['q', 'q']);
  });

  it('follows a 307 with the body, and refuses to turn a POST into a GET on 302/303', async () => {
    srv.route('/moved', (_req, res) => res.writeHead(307, { Location: '/echo' }).end());
    const r = await http.post(`${srv.base}/moved`, new TextEncoder().encode('b'), opts);
    assert.equal(JSON.parse(Buffer.from(r.body).toString()).body, 'b');
    srv.route('/see-other', (_req, res) => res.writeHead(303, { Location: '/echo' }).end());
    await assert.rejects(http.post(`${srv.base}/see-other`, new TextEncoder().encode('b'), opts), (e) => {
      assert.ok(isTlogError(e, 'http/status'));
      assert.match(e.message, /a POST is redirected only by 307 or 308/);
      return true;
    });
  });
});
