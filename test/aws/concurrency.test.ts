/**
 * Eight concurrent invocations of the handler (eight "Lambda containers", each its own handler)
 * on one log that keeps growing: no update is lost (HEAD ends at least as far as any head any
 * invocation verified) and HEAD never regresses (the CP# history, in version order, has strictly
 * growing sizes and one item per HEAD version). Alerts: eight invocations that all see one
 * condition send one notice between them.
 *
 * The handlers share one DynamoDB client that sends moto one request at a time (moto's DynamoDB
 * does not make conditional writes atomic; DynamoDB does, see atomicDynamoClient in
 * test/support/moto.ts): the invocations still interleave between their requests and race.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOG_NAME, SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('monitor Lambda on moto: concurrent invocations', () => {
  const h = useHarness({ initialSize: 3 });

  it('8 concurrent invocations per round, 4 rounds, the log growing meanwhile: no lost update, no regression', async () => {
    const handlers = Array.from({ length: 8 }, () => h.handlerWith({}));
    let maxSeen = 0n;
    let sawRace = false;
    for (let round = 0; round < 4; round++) {
      h.log.append(round + 1);
      const runs = handlers.map(async (handler, i) => {
        // Half of them start after the log grew once more, so they see different heads.
        if (i % 2 === 1) await new Promise((r) => setTimeout(r, 5));
        if (i === 1) h.log.append(2);
        return handler(SCHEDULED_EVENT);
      });
      const results = await Promise.all(runs);
      for (const r of results) {
        assert.ok(['initialized', 'verified', 'unchanged'].includes(r.status), `${r.status}: ${r.message}`);
        const size = BigInt(r.current?.size ?? '0');
        if (size > maxSeen) maxSeen = size;
      }
      if (results.filter((r) => r.status === 'initialized' || r.status === 'verified').length > 1)
        sawRace = true;
      const head = await h.head();
      assert.ok(head);
      assert.ok(
        BigInt(head.head.size) >= maxSeen,
        `HEAD ${head.head.size} is behind a verified head of size ${maxSeen}`,
      );
    }
    assert.ok(sawRace, 'invocations really raced on the same version');

    const head = await h.head();
    assert.equal(head?.head.size, String(h.log.size), 'HEAD is the latest head');
    const cps = (await h.items('CP#'))
      .map((i) => ({ version: Number(i.version?.N), size: BigInt(i.size?.S ?? '-1') }))
      .sort((a, b) => a.version - b.version);
    assert.equal(
      cps.length,
      head?.version,
      'one CP# item per HEAD version: every stored head is in the history',
    );
    cps.forEach((cp, i) => {
      assert.equal(cp.version, i + 1);
      if (i > 0) assert.ok(cp.size > (cps[i - 1]?.size ?? 0n), `CP# v${cp.version} regressed`);
    });
    assert.equal((await h.messages()).length, 0, 'no alert: racing honest monitors agree');
    assert.ok((await h.store.checkpoints(LOG_NAME)).length >= 2);
  });

  it('8 concurrent invocations that all see a fork send one alert; 8 that see it resolved send one resolved', async () => {
    const handlers = Array.from({ length: 8 }, () => h.handlerWith({}));
    const before = await h.head();
    h.log.fork();
    const forks = await Promise.all(handlers.map((handler) => handler(SCHEDULED_EVENT)));
    assert.deepEqual(new Set(forks.map((r) => r.status)), new Set(['fork']));
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      [`[tlog-monitor] ${LOG_NAME}: fork`],
    );
    assert.equal((await h.items('EVIDENCE#')).length, 8, 'each detection keeps its evidence');
    assert.deepEqual(await h.head(), before);
    h.log.reset();
    const clean = await Promise.all(handlers.map((handler) => handler(SCHEDULED_EVENT)));
    assert.deepEqual(new Set(clean.map((r) => r.status)), new Set(['unchanged']));
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      [`[tlog-monitor] ${LOG_NAME}: resolved (fork)`],
    );
    const [state] = await h.items('ALERT#fork');
    assert.equal(state?.active?.BOOL, false);
    assert.equal(state?.sentCount?.N, '2');
    assert.equal(state?.pendingUntil, undefined, 'no claim left behind');
  });
});
