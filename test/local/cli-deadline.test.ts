/**
 * The CLI's check deadline (issue 10, item 14): `--deadline S` bounds each check, all its
 * requests, retries and backoff included; a log that never answers ends `unreachable` and the
 * message names the request that ran out.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type LoopbackServer, startLoopbackServer } from '../http/loopback-server.ts';
import { AdHocCli, runCli } from '../support/test-log-cli.ts';

describe('tlog-monitor check --deadline', () => {
  let srv: LoopbackServer;
  before(async () => {
    srv = await startLoopbackServer();
    srv.route('/api/v1/log', () => {
      /* never answers */
    });
  });
  after(() => srv.close());

  it('a log that never answers ends unreachable at the deadline, naming the request', {
    timeout: 15_000,
  }, async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const cli = await AdHocCli.create({ type: 'rekor-v1', url: srv.base, keyText: String(key) });
    // --timeout 10 per request, 3 attempts: without a deadline this check takes 30 s and more.
    const args = cli.args().map((a, i, all) => (all[i - 1] === '--timeout' ? '10' : a));
    const r = await runCli([...args, '--deadline', '1']);
    assert.equal(r.code, 2, r.err);
    const result = r.results[0];
    assert.equal(result?.status, 'unreachable', result?.message);
    assert.match(
      result?.message ?? '',
      /the check's deadline \(1000 ms\) ran out during the request to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/log/,
    );
    assert.equal(srv.hits('/api/v1/log'), 1);
  });

  it('refuses a deadline that is not a number of seconds from 1 to 3600', async () => {
    for (const bad of ['0', '0.5', 'soon', '3601']) {
      const r = await runCli(['check', '--deadline', bad, '--json']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--deadline must be a number of seconds from 1 to 3600/);
    }
  });
});
