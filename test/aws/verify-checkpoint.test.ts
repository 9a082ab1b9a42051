/**
 * `{"action":"verify-checkpoint"}` on moto: a foreign signed head (as found in a Sigstore bundle)
 * is proven consistent with the stored head in either direction, or reported as a split view
 * (one critical alert per condition, evidence kept, HEAD untouched). A checkpoint the pinned key
 * did not sign, and an unknown event, are clear errors.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('monitor Lambda on moto: verify-checkpoint', () => {
  const h = useHarness({ initialSize: 5 });
  let forkedSameSize: string;
  let forkedLarger: string;
  let older: string;
  let same: string;
  before(async () => {
    await h.handler(SCHEDULED_EVENT);
    h.log.append(5);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified'); // HEAD: size 10
    same = h.log.signedHead();
    h.log.fork();
    forkedSameSize = h.log.signedHead();
    h.log.reset();
    h.log.rollback(7);
    older = h.log.signedHead();
    h.log.reset();
    h.log.append(3);
    h.log.fork();
    forkedLarger = h.log.signedHead(); // size 13, a different tree
    h.log.reset();
  });

  const verify = (checkpoint: string) => h.handler({ action: 'verify-checkpoint', checkpoint });

  it('a newer, an older and the same head are consistent; nothing is sent, HEAD stays', async () => {
    const head = await h.head();
    const newer = await verify(h.log.signedHead());
    assert.equal(newer.status, 'verified', newer.message);
    assert.match(newer.message ?? '', /foreign head \(size 13\) extends the verified head \(size 10\)/);
    const old = await verify(older);
    assert.equal(old.status, 'verified', old.message);
    assert.match(old.message ?? '', /\(size 7\) is a prefix of the verified head/);
    const eq = await verify(same);
    assert.equal(eq.status, 'verified');
    assert.match(eq.message ?? '', /is the same head as/);
    assert.deepEqual(await h.head(), head);
    assert.equal((await h.messages()).length, 0);
  });

  it('a forked head of the same size is a split view (fork): one alert, evidence, HEAD untouched', async () => {
    const head = await h.head();
    const r = await verify(forkedSameSize);
    assert.equal(r.status, 'fork');
    assert.equal(r.evidence?.current, forkedSameSize);
    assert.equal(r.evidence?.previous, head?.head.signed);
    await verify(forkedSameSize);
    const msgs = await h.messages();
    assert.deepEqual(
      msgs.map((m) => m.Subject),
      ['[tlog-monitor] testlog: split-view-fork'],
    );
    assert.equal(msgs[0]?.MessageAttributes?.severity?.Value, 'critical');
    assert.match(msgs[0]?.Message ?? '', /split view/);
    assert.equal((await h.items('EVIDENCE#')).length, 2);
    assert.deepEqual(await h.head(), head);
  });

  it('a larger head from another tree is a split view (inconsistent), with the proof as evidence', async () => {
    const head = await h.head();
    const r = await verify(forkedLarger);
    assert.equal(r.status, 'inconsistent', r.message);
    assert.ok(r.evidence?.proof, 'the proof fetched from the log');
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      ['[tlog-monitor] testlog: split-view-inconsistent'],
    );
    assert.deepEqual(await h.head(), head);
  });

  it('a clean scheduled check does not resolve a split view; it checks the log as usual', async () => {
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified');
    assert.equal((await h.messages()).length, 0);
    assert.equal((await h.items('ALERT#split-view-fork'))[0]?.active?.BOOL, true);
  });

  it('a checkpoint not signed by the pinned key, or not a checkpoint, is a clear error', async () => {
    h.log.badSignature();
    const forged = h.log.signedHead();
    h.log.reset();
    await assert.rejects(verify(forged), /does not verify with the pinned key of "testlog"/);
    await assert.rejects(verify('hello'), /does not verify with the pinned key/);
    await assert.rejects(h.handler({ action: 'verify-checkpoint' }), /"checkpoint" must be the signed head/);
    assert.equal((await h.messages()).length, 0);
  });

  it('unknown events are refused with a clear error', async () => {
    await assert.rejects(h.handler({ action: 'delete-everything' }), /unknown action "delete-everything"/);
    await assert.rejects(h.handler({}), /no "action" and not a scheduled event/);
    await assert.rejects(h.handler('check'), /unsupported event: got string/);
    await assert.rejects(h.handler(null), /unsupported event: got null/);
  });
});
