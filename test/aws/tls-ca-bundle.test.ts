/**
 * The Lambda and a log behind a private CA: the function's LOG_CONFIG.tlsCaBundle is added to the
 * roots its HTTPS requests trust. With it the check verifies; without it the result is
 * `unreachable` naming the certificate problem.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHandler } from '../../functions/monitor.ts';
import { mintTestCa, startHttpsFront } from '../support/test-ca.ts';
import { LOG_NAME, SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('Lambda: tlsCaBundle', () => {
  const h = useHarness({ type: 'ct', initialSize: 4 });
  const ca = mintTestCa();
  let front: { url: string; close(): Promise<void> };
  before(async () => {
    front = await startHttpsFront(ca, h.log.url);
  });
  after(() => front.close());

  const handler = (extra: Record<string, unknown>) =>
    createHandler(
      {
        ...h.env,
        LOG_CONFIG: JSON.stringify({
          name: LOG_NAME,
          type: 'ct',
          url: front.url,
          publicKey: h.log.publicKeyPem,
          timeoutMs: 5_000,
          ...extra,
        }),
      },
      {
        dynamo: h.clients.dynamo,
        sns: h.clients.sns,
        clock: h.clock,
        log: () => {},
      },
    );

  it('without the bundle: unreachable, and the message names the certificate problem', async () => {
    const r = await handler({})(SCHEDULED_EVENT);
    assert.equal(r.status, 'unreachable');
    assert.match(r.message ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  it('with the bundle: the head is verified and stored, and growth verifies', async () => {
    const run = handler({ tlsCaBundle: ca.caPem });
    assert.equal((await run(SCHEDULED_EVENT)).status, 'initialized');
    h.log.append(2);
    const r = await run(SCHEDULED_EVENT);
    assert.equal(r.status, 'verified', r.message);
    assert.equal(r.current?.size, '6');
  });
});
