/**
 * The DynamoDB state store on moto, with the same compare-and-set contract as the file store:
 * the first head needs version 0, a stale version writes nothing (neither HEAD nor CP#), every
 * stored head is in the CP# history, corrupt items are reported as state/corrupt, alert states
 * round-trip, and a missing table is a state/io error naming DynamoDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { logKey } from '../../lib/aws/dynamodb-access.ts';
import { checkpointKey, DynamoStore } from '../../lib/aws/dynamodb-store.ts';
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

  it('a missing table is a state/io error naming DynamoDB and the table', async () => {
    const missing = new DynamoStore({ client: clients.dynamo, tableName: 'no-such-table' });
    await assert.rejects(
      missing.load('a'),
      (e: unknown) =>
        e instanceof TlogError &&
        e.code === 'state/io' &&
        /DynamoDB: cannot read the HEAD item/.test(e.message) &&
        e.message.includes('no-such-table'),
    );
  });
});

/**
 * What the store sends, seen by a recording client (moto answers every read consistently, so
 * only the requests themselves show the read mode and the transaction).
 */
describe('DynamoStore requests', () => {
  type Sent = { name: string; input: Record<string, unknown> };
  const recorder = (answer: (c: Sent) => unknown = () => ({})) => {
    const sent: Sent[] = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const c = { name: command.constructor.name, input: command.input };
        sent.push(c);
        return answer(c);
      },
    } as unknown as ConstructorParameters<typeof DynamoStore>[0]['client'];
    return { sent, store: new DynamoStore({ client, tableName: 't' }) };
  };

  it('every read is strongly consistent (HEAD, CP# history, ALERT# states, evidence)', async () => {
    const { sent, store } = recorder((c) =>
      c.name === 'GetItemCommand'
        ? { Item: { pk: { S: 'LOG#a' }, sk: { S: 'EVIDENCE#x' }, result: { S: '{"log":"a"}' } } }
        : { Items: [] },
    );
    await assert.rejects(store.load('a'), /state\/corrupt|version must be/);
    await store.checkpoints('a');
    await store.loadAlerts('a');
    await store.readEvidence('a', 'EVIDENCE#x');
    assert.deepEqual(
      sent.map((c) => [c.name, c.input.ConsistentRead]),
      [
        ['GetItemCommand', true],
        ['QueryCommand', true],
        ['QueryCommand', true],
        ['GetItemCommand', true],
      ],
    );
  });

  it('HEAD moves in one transaction with its CP# item, conditional on the version read', async () => {
    const { sent, store } = recorder();
    assert.equal(await store.compareAndSet('a', 0, head('5')), true);
    assert.equal(await store.compareAndSet('a', 1, head('9')), true);
    assert.deepEqual(
      sent.map((c) => c.name),
      ['TransactWriteItemsCommand', 'TransactWriteItemsCommand'],
      'nothing written outside the transaction',
    );
    type Put = {
      Put: {
        Item: Record<string, { S?: string; N?: string }>;
        ConditionExpression?: string;
        ExpressionAttributeValues?: unknown;
      };
    };
    const [first, second] = sent.map((c) => c.input.TransactItems as Put[]);
    assert.equal(first?.length, 2);
    assert.equal(first?.[0]?.Put.Item.sk?.S, 'HEAD');
    assert.equal(first?.[0]?.Put.ConditionExpression, 'attribute_not_exists(pk)');
    assert.equal(first?.[1]?.Put.Item.sk?.S, checkpointKey('5'));
    assert.equal(first?.[1]?.Put.ConditionExpression, undefined);
    assert.deepEqual(second?.[0]?.Put.ConditionExpression, 'version = :expected');
    assert.deepEqual(second?.[0]?.Put.ExpressionAttributeValues, { ':expected': { N: '1' } });
    const { sk: _h, ...headFields } = second?.[0]?.Put.Item ?? {};
    const { sk: _c, ...cpFields } = second?.[1]?.Put.Item ?? {};
    assert.deepEqual(cpFields, headFields, 'the CP# item is the same head, same version');
    assert.equal(headFields.version?.N, '2');
  });

  it('a cancelled transaction is a lost race when HEAD moved or another transaction conflicted; else state/io', async () => {
    const cancelled = (codes: string[]) =>
      Object.assign(new Error('Transaction cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: codes.map((Code) => ({ Code })),
      });
    const lost = recorder(() => {
      throw cancelled(['ConditionalCheckFailed', 'None']);
    });
    assert.equal(await lost.store.compareAndSet('a', 3, head('9')), false);
    const conflict = recorder(() => {
      throw cancelled(['TransactionConflict', 'None']);
    });
    assert.equal(await conflict.store.compareAndSet('a', 3, head('9')), false);
    const throttled = recorder(() => {
      throw cancelled(['ThrottlingError', 'None']);
    });
    await assert.rejects(
      throttled.store.compareAndSet('a', 3, head('9')),
      (e: unknown) => e instanceof TlogError && e.code === 'state/io' && /move the HEAD item/.test(e.message),
    );
  });

  it('evidence items are write-once and carry no expiry attribute', async () => {
    const { sent, store } = recorder();
    const sk = await store.putEvidence('a', { log: 'a', status: 'fork', durationMs: 1 });
    assert.match(sk, /^EVIDENCE#\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f]{8}$/);
    assert.equal(sent.length, 1);
    const put = sent[0]?.input as { Item: Record<string, unknown>; ConditionExpression?: string };
    assert.equal(put.ConditionExpression, 'attribute_not_exists(pk)');
    assert.deepEqual(Object.keys(put.Item).sort(), ['pk', 'recordedAt', 'result', 'sk', 'status']);
  });
});
