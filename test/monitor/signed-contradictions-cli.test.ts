/**
 * Issue 10, items 1 and 2, end to end through the CLI against the in-repo test logs:
 * - a smaller head over another history, served once and followed by honest answers, is a fork
 *   (exit 1) with both signed heads in the evidence, whatever the second request says;
 * - a grown head signed earlier than the verified head is misbehaviour (exit 1);
 * - a head signed far in the future is refused (exit 2) and never stored;
 * each followed by an honest check that verifies.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { MAX_CLOCK_SKEW_MS } from '../../lib/monitor/signed-time.ts';
import { AdHocCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';
import { startTileLog, type TileLog } from '../support/tile-log-server.ts';

const YEAR_MS = 365 * 24 * 3_600_000;

for (const type of ['ct', 'rekor-v1'] as const) {
  describe(`signed contradictions through the CLI (${type})`, () => {
    let log: TestLog;
    let cli: AdHocCli;
    before(async () => {
      log = await startTestLog({ type, initialSize: 10 });
      cli = await AdHocCli.create({ type, url: log.url, keyText: log.publicKeyPem });
      await cli.expect('initialized', 0);
    });
    after(() => log.close());

    it('a smaller head over another history, then honest answers: fork, exit 1, both heads kept', async () => {
      const stored = await cli.storedSize();
      const storedHead = log.signedHead();
      log.serveForkedHeadOnce(Number(stored) - 2);
      const r = await cli.expect('fork', 1);
      assert.equal(r.current?.size, String(Number(stored) - 2));
      assert.ok(r.evidence?.previous && r.evidence.current, 'both signed heads are evidence');
      assert.notEqual(r.evidence.previous, r.evidence.current);
      assert.ok(r.evidence.proof, 'and the proof that does not verify');
      if (type === 'ct')
        assert.equal(JSON.parse(r.evidence.previous).tree_size, JSON.parse(storedHead).tree_size);
      assert.equal(await cli.storedSize(), stored, 'the stored head did not move');
      const files = await readdir(`${cli.stateFile}.evidence`);
      assert.ok(files.some((f) => f.includes('-fork-')));
      log.append(3);
      const honest = await cli.expect('verified', 0);
      assert.equal(honest.previous?.size, stored);
    });

    it('a grown head signed earlier than the verified head: exit 1, head kept; then verifies', async () => {
      const stored = await cli.storedSize();
      log.append(2);
      log.signAt(Date.now() - YEAR_MS);
      const r = await cli.expect('rollback', 1);
      assert.equal(r.errorCode, 'timestamp/backwards');
      assert.match(r.message ?? '', /signed at .* earlier than the verified head/);
      assert.ok(r.evidence?.previous && r.evidence.current);
      assert.equal(await cli.storedSize(), stored);
      log.reset();
      await cli.expect('verified', 0);
    });

    it('a head signed far ahead of the clock is refused (exit 2), not stored; then verifies', async () => {
      const stored = await cli.storedSize();
      log.append(2);
      log.signAt(Date.now() + YEAR_MS);
      const r = await cli.expect('invalid-response', 2);
      assert.equal(r.errorCode, 'timestamp/future');
      assert.equal(await cli.storedSize(), stored);
      log.reset();
      await cli.expect('verified', 0);
    });

    it('a head signed within the allowed clock skew is accepted', async () => {
      log.append(1);
      log.signAt(Date.now() + MAX_CLOCK_SKEW_MS / 2);
      await cli.expect('verified', 0);
      log.reset();
    });
  });
}

describe('signed contradictions through the CLI (static-ct checkpoint timestamps)', () => {
  let log: TileLog;
  let cli: AdHocCli;
  before(async () => {
    log = await startTileLog({ type: 'static-ct', initialSize: 300 });
    cli = await AdHocCli.create({
      type: 'static-ct',
      url: log.url,
      keyText: log.publicKey,
      origin: log.origin,
    });
    await cli.expect('initialized', 0);
  });
  after(() => log.close());

  it('a grown checkpoint whose signed timestamp goes back: exit 1, head kept; then verifies', async () => {
    const stored = await cli.storedSize();
    log.append(20);
    log.signAt(Date.now() - YEAR_MS);
    const r = await cli.expect('rollback', 1);
    assert.equal(r.errorCode, 'timestamp/backwards');
    assert.equal(await cli.storedSize(), stored);
    log.reset();
    await cli.expect('verified', 0);
  });

  it('a checkpoint signed far ahead of the clock is refused, not stored', async () => {
    const stored = await cli.storedSize();
    log.append(5);
    log.signAt(Date.now() + YEAR_MS);
    await cli.expect('invalid-response', 2);
    assert.equal(await cli.storedSize(), stored);
    log.reset();
    await cli.expect('verified', 0);
  });

  it('a smaller checkpoint over another history, served once: fork (tiles prove it is no prefix)', async () => {
    const stored = await cli.storedSize();
    log.serveForkedHeadOnce(Number(stored) - 7);
    const r = await cli.expect('fork', 1);
    assert.ok(r.evidence?.previous && r.evidence.current);
    assert.equal(await cli.storedSize(), stored);
    log.append(4);
    await cli.expect('verified', 0);
  });

  it('a smaller honest prefix with no newer timestamp, then a current answer: no misbehaviour', async () => {
    const stored = await cli.storedSize();
    log.serveOldHeadOnce(Number(stored) - 3);
    await cli.expect('unchanged', 0);
    assert.equal(await cli.storedSize(), stored);
  });
});
