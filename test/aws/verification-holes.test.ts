/**
 * Issue 10 (items 1, 2, 3, 10) and issue 8 part 1 through the real Lambda handler on moto:
 * - a smaller forked head served once, an older-timestamp STH and a far-future STH each send an
 *   alert and leave HEAD unchanged, and an honest check verifies right after;
 * - a Rekor v1 log signing under another host name, with no origin configured, is checked (also
 *   verify-checkpoint), and a rename on a consistent tree is verified and named;
 * - a padded Rekor head (90 unsigned 5 KB signature lines, ~600 KB) is stored in DynamoDB with
 *   its verified signature line only, and the log stays checkable;
 * - the shard memory lives in the HEAD item: a retired shard listed again with a rewritten
 *   root is an alert, HEAD unchanged.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { logKey } from '../../lib/aws/dynamodb-access.ts';
import { isTlogError } from '../../lib/errors.ts';
import { LOG_NAME, SCHEDULED_EVENT, useHarness } from './harness.ts';

const YEAR_MS = 365 * 24 * 3_600_000;

describe('monitor Lambda on moto: signed contradictions (ct)', () => {
  const h = useHarness({ type: 'ct', initialSize: 10 });
  before(async () => {
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'initialized');
    await h.messages();
  });

  const lies = [
    {
      what: 'a smaller head over another history, served once',
      lie: () => h.log.serveForkedHeadOnce(h.log.size - 2),
      status: 'fork',
      severity: 'critical',
    },
    {
      what: 'a grown STH signed with an older timestamp',
      lie: () => {
        h.log.append(2);
        h.log.signAt(Date.now() - YEAR_MS);
      },
      status: 'rollback',
      severity: 'critical',
    },
    {
      what: 'an STH signed far in the future',
      lie: () => {
        h.log.append(2);
        h.log.signAt(Date.now() + YEAR_MS);
      },
      status: 'invalid-response',
      severity: 'warning',
    },
  ] as const;

  for (const { what, lie, status, severity } of lies) {
    it(`${what}: ${status}, an alert, HEAD unchanged; then an honest check verifies`, async () => {
      const head = await h.head();
      lie();
      const r = await h.handler(SCHEDULED_EVENT);
      assert.equal(r.status, status, r.message);
      if (status !== 'invalid-response') assert.ok(r.evidence?.previous && r.evidence.current);
      assert.deepEqual(await h.head(), head, 'HEAD unchanged');
      const sent = await h.messages();
      assert.equal(sent.length, 1);
      assert.equal(sent[0]?.Subject, `[tlog-monitor] testlog: ${status}`);
      assert.equal(sent[0]?.MessageAttributes?.severity?.Value, severity);
      h.log.reset();
      h.log.append(1);
      const clean = await h.handler(SCHEDULED_EVENT);
      assert.equal(clean.status, 'verified', clean.message);
      assert.equal((await h.messages()).length, 1, 'a resolved notice');
    });
  }
});

describe('monitor Lambda on moto: Rekor v1 signing as rekor.local, no origin configured', () => {
  const h = useHarness({ initialSize: 5, origin: 'rekor.local - 3904496407287907110', pinOrigin: false });

  it('initialized, verified, a rename verified and named, verify-checkpoint across the rename', async () => {
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'initialized');
    const oldName = h.log.signedHead();
    h.log.append(2);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified');
    h.log.renameSigner('rekor-server-5d8f7c9b4-qx2lm');
    h.log.append(2);
    const r = await h.handler(SCHEDULED_EVENT);
    assert.equal(r.status, 'verified', r.message);
    assert.equal(r.originChanged?.to, 'rekor-server-5d8f7c9b4-qx2lm - 3904496407287907110');
    assert.match((await h.head())?.head.origin ?? '', /^rekor-server-5d8f7c9b4-qx2lm - /);
    const foreign = await h.handler({ action: 'verify-checkpoint', checkpoint: oldName });
    assert.equal(foreign.status, 'verified', foreign.message);
    h.log.fork();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'fork');
    h.log.reset();
  });
});

describe('monitor Lambda on moto: a padded Rekor head and shard memory in DynamoDB', () => {
  const h = useHarness({ initialSize: 5 });

  it('a 600 KB head padded with unsigned signature lines is stored trimmed and stays checkable', async () => {
    h.log.padSignatures(90, 5000);
    assert.ok(h.log.signedHead().length > 600_000);
    const first = await h.handler(SCHEDULED_EVENT);
    assert.equal(first.status, 'initialized', first.message);
    const stored = (await h.head())?.head.signed ?? '';
    assert.ok(stored.length < 1000, `stored ${stored.length} characters`);
    assert.equal(stored.split('\n').filter((l) => l.startsWith('\u2014 ')).length, 1);
    h.log.append(3);
    const grown = await h.handler(SCHEDULED_EVENT);
    assert.equal(grown.status, 'verified', grown.message);
    h.log.reset();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unchanged');
  });

  it('a rotation is followed and remembered; a retired shard listed with a rewritten root alerts, HEAD kept', async () => {
    const oldShard = h.log.treeId;
    h.log.rotateShard();
    h.log.append(2);
    const r = await h.handler(SCHEDULED_EVENT);
    assert.equal(r.status, 'verified', r.message);
    const head = await h.head();
    assert.deepEqual(
      head?.head.retiredShards?.map((s) => s.shard),
      [oldShard],
    );
    await h.messages();
    h.log.rewriteRetiredShard();
    const lie = await h.handler(SCHEDULED_EVENT);
    assert.equal(lie.status, 'fork', lie.message);
    assert.deepEqual(await h.head(), head, 'HEAD unchanged');
    assert.equal((await h.messages()).length, 1);
    h.log.reset();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unchanged');
  });

  it('a HEAD item whose shard memory is not valid JSON of the expected shape is state/corrupt', async () => {
    const head = await h.head();
    assert.ok(head);
    for (const bad of ['not json', '[{"shard":"1"}]', '{}']) {
      await h.clients.dynamo.send(
        new UpdateItemCommand({
          TableName: h.stack.tableName,
          Key: { pk: { S: logKey(LOG_NAME) }, sk: { S: 'HEAD' } },
          UpdateExpression: 'SET retiredShards = :m',
          ExpressionAttributeValues: { ':m': { S: bad } },
        }),
      );
      await assert.rejects(h.store.load(LOG_NAME), (e: unknown) => isTlogError(e, 'state/corrupt'));
    }
    await h.clients.dynamo.send(
      new UpdateItemCommand({
        TableName: h.stack.tableName,
        Key: { pk: { S: logKey(LOG_NAME) }, sk: { S: 'HEAD' } },
        UpdateExpression: 'SET retiredShards = :m',
        ExpressionAttributeValues: { ':m': { S: JSON.stringify(head.head.retiredShards) } },
      }),
    );
    assert.deepEqual(await h.head(), head);
  });
});
