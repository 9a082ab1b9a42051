/**
 * The DynamoDB scan store on moto: the cursor moves only by compare-and-set, each match is stored
 * once (a lost race or a re-run never duplicates it, never loses it), delivery is marked per
 * entry, range results round-trip for the fan-out, and corrupt items are state/corrupt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { logKey } from '../../lib/aws/dynamodb-access.ts';
import { DynamoScanStore, matchKey, rangeKey } from '../../lib/aws/dynamodb-scan-store.ts';
import { TlogError } from '../../lib/errors.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import {
  type AwsClients,
  clientsFor,
  createStack,
  type Moto,
  type Stack,
  startMoto,
} from '../support/moto.ts';

const hash = (b: number) => new Uint8Array(32).fill(b);
const match = (index: string, rule = 'alice@example\\.com', shard?: string): IdentityMatch => ({
  index,
  matcher: 'certIdentities',
  rule,
  values: ['alice@example.com'],
  entryType: 'hashedrekord',
  ...(shard !== undefined ? { shard } : {}),
});

describe('DynamoScanStore on moto', () => {
  let moto: Moto;
  let clients: AwsClients;
  let stack: Stack;
  let store: DynamoScanStore;
  before(async () => {
    moto = await startMoto();
    clients = clientsFor(moto.endpoint);
    stack = await createStack(clients, 'scan');
    store = new DynamoScanStore({ client: clients.dynamo, tableName: stack.tableName });
  });
  after(async () => {
    for (const c of Object.values(clients ?? {})) c.destroy();
    await moto?.stop();
  });

  it('the cursor moves by compare-and-set only, with its compact range', async () => {
    assert.equal(await store.loadScan('a'), undefined);
    const first = { next: 5n, range: [hash(1), hash(2)] };
    assert.equal(await store.commitScan('a', 1, first, []), false, 'nothing stored: only version 0 wins');
    assert.equal(await store.commitScan('a', 0, first, []), true);
    assert.equal(await store.commitScan('a', 0, { next: 9n, range: [] }, []), false, 'a second first cursor');
    assert.deepEqual(await store.loadScan('a'), { version: 1, cursor: first });
    const second = { next: 12n, range: [hash(3), hash(4)], shard: '42' };
    assert.equal(await store.commitScan('a', 1, second, []), true);
    assert.equal(await store.commitScan('a', 1, { next: 7n, range: [] }, []), false, 'stale version');
    assert.deepEqual(await store.loadScan('a'), { version: 2, cursor: second });
  });

  it('a match is stored once: a re-run and a lost race neither duplicate nor lose it', async () => {
    const found = [match('3'), match('3', 'bob@example\\.com'), match('7')];
    assert.equal(await store.commitScan('b', 0, { next: 8n, range: [hash(8)] }, found), true);
    // The loser of a race commits the same proven matches (and one more it saw): none is repeated.
    assert.equal(
      await store.commitScan('b', 0, { next: 10n, range: [hash(9)] }, [...found, match('9')]),
      false,
    );
    assert.deepEqual(await store.pendingMatches('b'), [...found, match('9')]);
    assert.equal((await store.loadScan('b'))?.cursor.next, 8n, 'the lost race moved no cursor');
  });

  it('delivery is marked per entry; delivered matches are not pending again', async () => {
    const found = [match('1'), match('2'), match('5', 'x', '99')];
    assert.equal(await store.commitScan('c', 0, { next: 6n, range: [] }, found), true);
    await store.markDelivered('c', [found[0] as IdentityMatch]);
    assert.deepEqual(await store.pendingMatches('c'), found.slice(1));
    await store.markDelivered('c', found.slice(1));
    assert.deepEqual(await store.pendingMatches('c'), []);
    assert.deepEqual(await store.allMatches('c'), found);
    assert.equal(matchKey('5', '99'), 'MATCH#00000000000000000005#99');
  });

  it('range results round-trip for the fan-out and are deleted once committed', async () => {
    const result = {
      start: 256n,
      end: 512n,
      nodes: [hash(7)],
      matches: [match('300')],
      skipped: [{ index: '301', reason: 'certificate: garbage DER' }],
      shard: '42',
    };
    await store.putRangeResult('d', result);
    assert.deepEqual(await store.loadRangeResult('d', 256n), result);
    assert.equal(await store.loadRangeResult('d', 0n), undefined);
    await store.deleteRangeResult('d', 256n);
    assert.equal(await store.loadRangeResult('d', 256n), undefined);
  });

  it('corrupt SCAN and RANGE items are state/corrupt, naming the item', async () => {
    const put = (sk: string, fields: Record<string, { S: string } | { N: string }>) =>
      clients.dynamo.send(
        new PutItemCommand({
          TableName: stack.tableName,
          Item: { pk: { S: logKey('e') }, sk: { S: sk }, ...fields },
        }),
      );
    await put('SCAN', { next: { S: '-1' }, version: { N: '1' } });
    await assert.rejects(store.loadScan('e'), (e: unknown) => {
      assert.ok(e instanceof TlogError && e.code === 'state/corrupt', String(e));
      assert.match(e.message, /LOG#e \/ SCAN: next must be a decimal string, got "-1"/);
      return true;
    });
    await put(rangeKey(0n), {
      start: { S: '0' },
      end: { S: '0' },
      matches: { S: '[]' },
      skipped: { S: '[]' },
    });
    await assert.rejects(store.loadRangeResult('e', 0n), (e: unknown) => {
      assert.ok(e instanceof TlogError && e.code === 'state/corrupt', String(e));
      assert.match(e.message, /RANGE#00000000000000000000: the compact range must be a list/);
      return true;
    });
  });

  it('a missing table is state/io naming DynamoDB', async () => {
    const gone = new DynamoScanStore({ client: clients.dynamo, tableName: 'no-such-table' });
    await assert.rejects(gone.loadScan('a'), (e: unknown) => {
      assert.ok(e instanceof TlogError && e.code === 'state/io', String(e));
      assert.match(e.message, /DynamoDB: cannot read the SCAN item/);
      return true;
    });
  });
});
