/**
 * The Lambda with keys followed through TUF (LOG_CONFIG.tufKeys), against moto and a TUF repository
 * on 127.0.0.1: the keys come from the verified trusted root (a deployment pinned to an old key
 * follows the repository's rotation); expired or forged metadata is `monitor-error` with an SNS
 * alert, and the invocation fails so that Lambda retries it.
 */
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHandler } from '../../functions/monitor.ts';
import type { TestLogKey } from '../support/trusted-root.ts';
import { trustedRootJson } from '../support/trusted-root.ts';
import { TestTufRepo } from '../support/tuf-repo.ts';
import { LOG_NAME, SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('Lambda: keys through TUF', () => {
  const h = useHarness({ type: 'ct', initialSize: 6 });
  let repo: TestTufRepo;
  before(async () => {
    repo = await TestTufRepo.start();
  });
  after(() => repo.close());

  const ctKey = (pem: string): TestLogKey => {
    const publicKey = createPublicKey(pem);
    return {
      baseUrl: h.log.url,
      kind: 'p256',
      publicKey,
      privateKey: publicKey, // unused: the test log signs its own heads
      spki: publicKey.export({ type: 'spki', format: 'der' }),
      start: '2025-01-01T00:00:00Z',
    };
  };

  async function handler() {
    // Deployed with a key the log no longer uses: only the repository knows the current one.
    const stale = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const env = {
      ...h.env,
      LOG_CONFIG: JSON.stringify({
        name: LOG_NAME,
        type: 'ct',
        url: h.log.url,
        publicKey: stale,
        timeoutMs: 5_000,
        tufKeys: { url: repo.url, root: repo.rootJson, baseUrl: h.log.url },
      }),
    };
    return createHandler(env, {
      dynamo: h.clients.dynamo,
      sns: h.clients.sns,
      clock: h.clock,
      log: () => {},
      tufCacheDir: await mkdtemp(join(tmpdir(), 'tlog-lambda-tuf-')),
    });
  }

  it('checks with the key of the verified trusted root, following its rotation', async () => {
    repo.publish(trustedRootJson([], [ctKey(h.log.publicKeyPem)]));
    const run = await handler();
    const r = await run(SCHEDULED_EVENT);
    assert.equal(r.status, 'initialized', r.message);
    h.log.append(2);
    assert.equal((await run(SCHEDULED_EVENT)).status, 'verified');
  });

  it('expired metadata: monitor-error, an alert, and a failed invocation', async () => {
    repo.publish(trustedRootJson([], [ctKey(h.log.publicKeyPem)]), { timestampExpiresInMs: -60_000 });
    await h.messages();
    const run = await handler();
    // An operational condition is notified after ALERT_AFTER_FAILURES (default 3) failed checks in
    // a row: the scheduled run and Lambda's two retries of the failed invocation.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await assert.rejects(run(SCHEDULED_EVENT), (e: Error) => {
        assert.match(e.message, /monitor-error/);
        assert.match(e.message, /ExpiredMetadataError/);
        return true;
      });
      const subjects = (await h.messages()).map((m) => m.Subject);
      assert.deepEqual(
        subjects,
        attempt < 3 ? [] : [`[tlog-monitor] ${LOG_NAME}: monitor-error`],
        `attempt ${attempt}`,
      );
    }
    const head = await h.head();
    assert.equal(head?.head.size, '8', 'the stored head did not move');
  });

  it('forged metadata: monitor-error, an alert', async () => {
    repo.publish(trustedRootJson([], [ctKey(h.log.publicKeyPem)]));
    repo.tamperTimestamp();
    const run = await handler();
    await assert.rejects(run({ action: 'check' }), /monitor-error/);
    const subjects = (await h.messages()).map((m) => m.Subject);
    // The condition is still open from the expired run: a forced check re-sends it as a reminder.
    assert.deepEqual(subjects, [`[tlog-monitor] ${LOG_NAME}: monitor-error (reminder)`]);
  });
});
