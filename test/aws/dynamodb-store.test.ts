/**
 * The DynamoDB state store on moto, with the same compare-and-set contract as the file store:
 * the first head needs version 0, a stale version writes nothing (neither HEAD nor CP#), every
 * stored head is in the CP# history, corrupt items are reported as state/corrupt, alert states
 * round-trip, and a missing table is a state/io error naming DynamoDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { checkpointKey, DynamoStore, logKey } from '../../lib/aws/dynamodb-store.ts';
import { TlogError } from '../../lib/errors.ts';
import type { StoredHead } from '../../lib/monitor/state-store.ts';
import {
  type AwsClients,
  clientsFor,
  createStack,
  type Moto,
  type Stack,
  startMoto,
} from '../support/moto.ts';

const head = (size: string, shard?: string): StoredHead => ({
  signed: `note ${size}`,
  size,
  root: `root-${size}`,
  origin: 'example.com/log',
  verifiedAt: '2026-11-24T00:00:00.000Z',
  ...(shard !== undefined ? { shard } : {}),
});

describe('DynamoStore on moto', () => {
  let moto: Moto;
  let clients: AwsClients;
  let stack: Stack;
  let store: DynamoStore;
  before(async () => {
    moto = await startMoto();
    clients = clientsFor(moto.endpoint);
    stack = await createStack(clients, 'store');
    store = new DynamoStore({ client: clients.dynamo, tableName: stack.tableName });
  });
  after(async () => {
    for (const c of Object.values(clients ?? {})) c.destroy();
    await moto?.stop();
  });

  it('compare-and-set: version 0 for the first head, then each version once; stale writes write nothing', async () => {
    assert.equal(await store.load('a'), undefined);
    assert.equal(
      await store.compareAndSet('a', 1, head('5')),
      false,
      'nothing stored yet: only version 0 wins',
    );
    assert.equal(await store.compareAndSet('a', 0, head('5')), true);
    assert.equal(await store.compareAndSet('a', 0, head('6')), false, 'a second first head loses');
    assert.deepEqual(await store.load('a'), { version: 1, head: head('5') });
    assert.equal(await store.compareAndSet('a', 1, head('9')), true);
    assert.equal(await store.compareAndSet('a', 1, head('7')), false, 'stale version');
    assert.deepEqual(await store.load('a'), { version: 2, head: head('9') });
    assert.deepEqual(
      (await store.checkpoints('a')).map((h) => h.size),
      ['5', '9'],
      'the losing writes left no CP# item',
    );
    assert.equal(await store.load('b'), undefined, 'logs are separate partitions');
  });

  it('keys CP# items by 20-digit size, with the shard when there is one, so they sort by size', async () => {
    assert.equal(checkpointKey('5'), 'CP#00000000000000000005');
    assert.equal(checkpointKey('18446744073709551615', '42'), 'CP#18446744073709551615#42');
    await store.compareAndSet('sharded', 0, head('100', '1'));
    await store.compareAndSet('sharded', 1, head('3', '2'));
    assert.deepEqual(
      (await store.checkpoints('sharded')).map((h) => [h.shard, h.size]),
      [
        ['2', '3'],
        ['1', '100'],
      ],
    );
  });

  it('reports a corrupt HEAD item as state/corrupt', async () => {
    await clients.dynamo.send(
      new PutItemCommand({
        TableName: stack.tableName,
        Item: { pk: { S: logKey('bad') }, sk: { S: 'HEAD' }, version: { N: '1' }, size: { S: '3' } },
      }),
    );
    await assert.rejects(
      store.load('bad'),
      (e: unknown) => e instanceof TlogError && e.code === 'state/corrupt',
    );
  });

  it('alert notices: claimed once, saved only by the claim holder, released or lapsed claims free them again', async () => {
    assert.deepEqual(await store.loadAlerts('a'), []);
    const t0 = '2026-11-24T00:00:00.000Z';
    const s = {
      condition: 'fork',
      status: 'fork' as const,
      active: true,
      since: t0,
      lastSentAt: t0,
      sentCount: 1,
    };
    const claim = (token: string, now: string, leaseUntil: string) => ({ token, now, leaseUntil });
    assert.equal(
      await store.claimAlert('a', undefined, s, claim('one', t0, '2026-11-24T00:02:00.000Z')),
      true,
    );
    assert.equal(
      await store.claimAlert('a', undefined, s, claim('two', t0, '2026-11-24T00:02:00.000Z')),
      false,
      'a second invocation that also read "nothing stored" loses',
    );
    const [placeholder] = await store.loadAlerts('a');
    assert.deepEqual(
      [placeholder?.active, placeholder?.sentCount, placeholder?.pendingUntil],
      [false, 0, '2026-11-24T00:02:00.000Z'],
      'claimed, not sent',
    );
    assert.equal(await store.saveAlert('a', s, 'two'), false, 'only the claim holder saves');
    assert.equal(await store.saveAlert('a', s, 'one'), true);
    assert.deepEqual(await store.loadAlerts('a'), [s], 'sent; the claim is gone');

    const later = '2026-11-24T06:00:00.000Z';
    const reminder = { ...s, lastSentAt: later, sentCount: 2 };
    assert.equal(
      await store.claimAlert('a', placeholder, reminder, claim('x', later, '2026-11-24T06:02:00.000Z')),
      false,
      'stale read',
    );
    assert.equal(
      await store.claimAlert('a', s, reminder, claim('r1', later, '2026-11-24T06:02:00.000Z')),
      true,
    );
    assert.equal(
      await store.claimAlert('a', s, reminder, claim('r2', later, '2026-11-24T06:02:00.000Z')),
      false,
      'claim held',
    );
    await store.releaseAlert('a', 'fork', 'r2'); // not the holder: no effect
    assert.equal(
      await store.claimAlert('a', s, reminder, claim('r3', later, '2026-11-24T06:02:00.000Z')),
      false,
    );
    await store.releaseAlert('a', 'fork', 'r1');
    assert.equal(
      await store.claimAlert('a', s, reminder, claim('r4', later, '2026-11-24T06:02:00.000Z')),
      true,
      'released',
    );
    assert.equal(
      await store.claimAlert(
        'a',
        s,
        reminder,
        claim('r5', '2026-11-24T06:03:00.000Z', '2026-11-24T06:05:00.000Z'),
      ),
      true,
      'a lapsed claim (its sender died) is taken over',
    );
    assert.equal(await store.saveAlert('a', reminder, 'r4'), false, 'the lapsed holder cannot save');
    assert.equal(await store.saveAlert('a', { ...reminder, resolvedAt: later }, 'r5'), true);
    assert.equal((await store.loadAlerts('a'))[0]?.resolvedAt, later);
    assert.equal(await store.load('a').then((x) => x?.version), 2, 'ALERT# items do not disturb HEAD');
  });

  it('a missing table is a state/io error naming DynamoDB', async () => {
    const missing = new DynamoStore({ client: clients.dynamo, tableName: 'no-such-table' });
    await assert.rejects(
      missing.load('a'),
      (e: unknown) =>
        e instanceof TlogError &&
        e.code === 'state/io' &&
        /DynamoDB: cannot read the HEAD item/.test(e.message),
    );
  });
});
