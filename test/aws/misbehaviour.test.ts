/**
 * Each lie of the test log (fork, rollback, bad proof, bad signature) through the real handler on
 * moto: exactly one SNS message per condition, read back from SQS with its subject, attributes and
 * evidence; EVIDENCE# items; an unchanged HEAD; then a `resolved` message once the log is honest.
 * Also reminders (after the reminder interval, and on a forced check).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseLogConfig } from '../../lib/config/log-config.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import { systemClock } from '../../lib/http/ports.ts';
import { createLogClient } from '../../lib/logs/create-client.ts';
import type { CheckResult, CheckStatus } from '../../lib/monitor/check-result.ts';
import type { SnsEnvelope } from '../support/moto.ts';
import { LOG_NAME, SCHEDULED_EVENT, useHarness } from './harness.ts';

const JSON_HEADER = '--- CheckResult (JSON) ---\n';

function bodyResult(m: SnsEnvelope): CheckResult {
  const at = m.Message.indexOf(JSON_HEADER);
  assert.ok(at > 0, 'the body starts with a human summary, then the CheckResult JSON');
  return JSON.parse(m.Message.slice(at + JSON_HEADER.length)) as CheckResult;
}

function attrs(m: SnsEnvelope): Record<string, string> {
  return Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]));
}

describe('monitor Lambda on moto: a lying log', () => {
  const h = useHarness({ initialSize: 5 });
  let verify: (signed: string) => { size: bigint; rootHash: Uint8Array };
  before(async () => {
    const config = parseLogConfig(JSON.parse(h.env.LOG_CONFIG as string), 'test');
    const client = createLogClient(config, createHttpClient({ fetch: globalThis.fetch, clock: systemClock }));
    verify = (s) => client.verifyStoredHead(s);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'initialized');
    h.log.append(3);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified');
    assert.equal((await h.messages()).length, 0);
  });

  const lies: { status: CheckStatus; lie: () => void; cleanAfter: CheckStatus }[] = [
    { status: 'fork', lie: () => h.log.fork(), cleanAfter: 'unchanged' },
    { status: 'rollback', lie: () => h.log.rollback(6), cleanAfter: 'unchanged' },
    {
      status: 'inconsistent',
      lie: () => {
        h.log.append(2);
        h.log.badProof('flip');
      },
      cleanAfter: 'verified',
    },
    { status: 'bad-signature', lie: () => h.log.badSignature(), cleanAfter: 'unchanged' },
  ];

  for (const { status, lie, cleanAfter } of lies) {
    it(`${status}: one critical alert with evidence, an EVIDENCE# item, HEAD unchanged, then resolved`, async () => {
      const before = await h.head();
      const evidenceBefore = (await h.items('EVIDENCE#')).length;
      lie();
      const r1 = await h.handler(SCHEDULED_EVENT);
      const r2 = await h.handler(SCHEDULED_EVENT);
      assert.equal(r1.status, status, r1.message);
      assert.equal(r2.status, status, 'the lie is seen again');
      assert.deepEqual(await h.head(), before, 'HEAD unchanged');

      const msgs = await h.messages();
      assert.equal(msgs.length, 1, 'exactly one message for the condition, though seen twice');
      const m = msgs[0] as SnsEnvelope;
      assert.equal(m.Subject, `[tlog-monitor] ${LOG_NAME}: ${status}`);
      assert.deepEqual(attrs(m), {
        severity: 'critical',
        log: LOG_NAME,
        status,
        condition: status,
        alert: 'new',
      });
      const sent = bodyResult(m);
      assert.equal(sent.status, status);
      assert.ok(sent.evidence?.current, 'evidence: the offending head, as received');
      assert.match(m.Message, new RegExp(`\\[critical\\] Log "${LOG_NAME}": the log misbehaved: ${status}`));

      // The evidence re-verifies offline (except a head that is not validly signed, which is the finding).
      assert.equal(sent.evidence?.previous, before?.head.signed, 'evidence: the stored signed head');
      if (status !== 'bad-signature') {
        const cur = verify(sent.evidence?.current as string);
        assert.equal(cur.size.toString(), sent.current?.size);
      } else {
        assert.throws(() => verify(sent.evidence?.current as string));
      }
      if (status === 'inconsistent') assert.ok(sent.evidence?.proof, 'evidence: the proof as received');

      const evidence = await h.items('EVIDENCE#');
      assert.equal(evidence.length, evidenceBefore + 2, 'one EVIDENCE# item per detection');
      const sk = /sk=(EVIDENCE#\S+)/.exec(m.Message)?.[1]?.replace(/\.$/, '');
      assert.ok(sk, 'the message says where the evidence is');
      const stored = await h.store.readEvidence(LOG_NAME, sk);
      assert.deepEqual(stored.evidence, sent.evidence, 'the EVIDENCE# item holds the same evidence');

      h.log.reset();
      const clean = await h.handler(SCHEDULED_EVENT);
      assert.equal(clean.status, cleanAfter, clean.message);
      const resolved = await h.messages();
      assert.equal(resolved.length, 1, 'one resolved message');
      assert.equal(resolved[0]?.Subject, `[tlog-monitor] ${LOG_NAME}: resolved (${status})`);
      assert.equal(attrs(resolved[0] as SnsEnvelope).alert, 'resolved');
      assert.equal(attrs(resolved[0] as SnsEnvelope).status, status);
      assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unchanged');
      assert.equal((await h.messages()).length, 0, 'nothing more once resolved');
    });
  }

  it('reminds while a condition persists: after the reminder interval, and on a forced check', async () => {
    h.log.fork();
    await h.handler(SCHEDULED_EVENT);
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      [`[tlog-monitor] ${LOG_NAME}: fork`],
    );
    h.clock.offsetMs += 5 * 3_600_000;
    await h.handler(SCHEDULED_EVENT);
    assert.equal((await h.messages()).length, 0, 'no reminder before 6 h');
    h.clock.offsetMs += 3_600_000;
    await h.handler(SCHEDULED_EVENT);
    const reminder = await h.messages();
    assert.deepEqual(
      reminder.map((m) => m.Subject),
      [`[tlog-monitor] ${LOG_NAME}: fork (reminder)`],
    );
    assert.equal(attrs(reminder[0] as SnsEnvelope).alert, 'reminder');
    assert.match(reminder[0]?.Message ?? '', /notice 2\./);

    const forced = await h.handler({ action: 'check' });
    assert.equal(forced.status, 'fork');
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      [`[tlog-monitor] ${LOG_NAME}: fork (reminder)`],
      'a forced check re-sends the active alert',
    );

    const alert = (await h.items('ALERT#fork'))[0];
    assert.equal(alert?.active?.BOOL, true);
    assert.equal(alert?.sentCount?.N, '3');

    h.log.reset();
    await h.handler(SCHEDULED_EVENT);
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      [`[tlog-monitor] ${LOG_NAME}: resolved (fork)`],
    );
    const done = (await h.items('ALERT#fork'))[0];
    assert.equal(done?.active?.BOOL, false);
    assert.ok(done?.resolvedAt?.S);
  });

  it('a forced check of a clean log sends nothing', async () => {
    assert.equal((await h.handler({ action: 'check' })).status, 'unchanged');
    assert.equal((await h.messages()).length, 0);
  });
});
