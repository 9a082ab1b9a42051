/**
 * Operational alerts wait for N failed checks in a row (ALERT_AFTER_FAILURES, default 3) before
 * the first SNS message, against moto: one transient failure emails nobody and leaves no active
 * alert (so no `resolved` follows it); the third failure in a row sends one alert, dated from the
 * first; misbehaviour is still alerted at once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('monitor Lambda on moto: operational alerts after 3 failed checks in a row (the default)', () => {
  const h = useHarness({ initialSize: 5 });

  const alertItem = async (condition: string) =>
    (await h.items(`ALERT#${condition}`)).find((i) => i.sk?.S === `ALERT#${condition}`);

  it('one or two failures send nothing; a clean check after them sends no resolved notice', async () => {
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'initialized');
    h.log.respondWith('status500');
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unreachable');
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unreachable');
    assert.deepEqual(await h.messages(), [], 'no alert after two failures');
    const counted = await alertItem('unreachable');
    assert.equal(counted?.failures?.N, '2');
    assert.equal(counted?.active?.BOOL, false);

    h.log.reset();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unchanged');
    assert.deepEqual(await h.messages(), [], 'nothing was sent, so nothing is resolved');
    assert.equal((await alertItem('unreachable'))?.failures, undefined, 'the count starts again');
  });

  it('the third failure in a row sends one alert, dated from the first; then resolved once', async () => {
    h.log.respondWith('status500');
    await h.handler(SCHEDULED_EVENT);
    const first = (await alertItem('unreachable'))?.since?.S;
    assert.ok(first);
    await h.handler(SCHEDULED_EVENT);
    assert.deepEqual(await h.messages(), []);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unreachable');
    const [alert, ...more] = await h.messages();
    assert.equal(more.length, 0);
    assert.equal(alert?.Subject, '[tlog-monitor] testlog: unreachable');
    assert.equal(alert?.MessageAttributes?.severity?.Value, 'warning');
    const item = await alertItem('unreachable');
    assert.equal(item?.active?.BOOL, true);
    assert.equal(item?.since?.S, first, 'the condition dates from its first failure');
    assert.equal(item?.failures, undefined);

    await h.handler(SCHEDULED_EVENT);
    assert.deepEqual(await h.messages(), [], 'no second alert while it persists (reminders are hours apart)');

    h.log.reset();
    await h.handler(SCHEDULED_EVENT);
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      ['[tlog-monitor] testlog: resolved (unreachable)'],
    );
  });

  it('misbehaviour is alerted at once', async () => {
    h.log.fork();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'fork');
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      ['[tlog-monitor] testlog: fork'],
    );
    h.log.reset();
    await h.handler(SCHEDULED_EVENT);
    assert.equal((await h.messages()).length, 1, 'resolved');
  });
});
