/** The bounded client against the in-repo test log's broken responses (huge, slow, transient 500). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isTlogError } from '../../lib/errors.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { Clock } from '../../lib/http/ports.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

const instantClock: Clock = { now: () => 0, sleep: async () => {} };

describe('bounded client vs the test log', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', initialSize: 3 });
  });
  after(() => log.close());

  // A generous timeout where the answer must arrive (a loaded machine must not turn a 4 MiB
  // cut-off into a timeout), a short one where it never does.
  const http = createHttpClient({
    fetch: (url, init) => fetch(url, init),
    clock: instantClock,
    timeoutMs: 10_000,
    random: () => 0,
  });
  const impatient = createHttpClient({
    fetch: (url, init) => fetch(url, init),
    clock: instantClock,
    timeoutMs: 300,
    random: () => 0,
  });

  it('reads an honest log info', async () => {
    const r = await http.get(`${log.url}/api/v1/log`, { accept: 'application/json' });
    assert.equal(JSON.parse(Buffer.from(r.body).toString()).treeSize, 3);
  });

  it("cuts off respondWith('huge') at the default 4 MiB cap", async () => {
    log.respondWith('huge', '/api/v1/log', { times: 1 });
    const before = log.requests.length;
    await assert.rejects(http.get(`${log.url}/api/v1/log`), (e) => isTlogError(e, 'http/too-large'));
    assert.equal(log.requests.length, before + 1, 'oversize is not retried');
  });

  it("times out on respondWith('slow') and retries it", async () => {
    log.respondWith('slow', '/api/v1/log', { times: 3 });
    const before = log.requests.length;
    await assert.rejects(impatient.get(`${log.url}/api/v1/log`), (e) => isTlogError(e, 'http/timeout'));
    assert.equal(log.requests.length, before + 3);
  });

  it('retries a transient 500 and succeeds', async () => {
    log.respondWith('status500', '/api/v1/log', { times: 2 });
    const r = await http.get(`${log.url}/api/v1/log`);
    assert.equal(r.status, 200);
  });

  it('does not retry a 400 from the proof endpoint', async () => {
    const before = log.requests.length;
    const e = await http.get(`${log.url}/api/v1/log/proof?firstSize=3&lastSize=2`).catch((x) => x);
    assert.ok(isTlogError(e, 'http/status'));
    assert.equal(e.details?.status, 400);
    assert.equal(log.requests.length, before + 1);
  });
});
