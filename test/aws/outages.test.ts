/**
 * DynamoDB or SNS unavailable (clients pointed at a closed loopback port, or one
 * DynamoDB call redirected there mid-check): the invocation fails (so Lambda retries), HEAD is
 * untouched, no alert is marked sent that was not sent, and the next run recovers.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { TlogError } from '../../lib/errors.ts';
import { freePort, sdkConfig } from '../support/moto.ts';
import { SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('monitor Lambda on moto: AWS services unavailable', () => {
  // Operational alerts at the first failure (ALERT_AFTER_FAILURES=1), so that one failed
  // invocation shows its alert; the default wait is tested in operational-alerts.test.ts.
  const h = useHarness({ initialSize: 4, extraEnv: { ALERT_AFTER_FAILURES: '1' } });
  let closed: string;
  before(async () => {
    closed = `http://127.0.0.1:${await freePort()}`;
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'initialized');
  });

  it('DynamoDB unreachable: fails naming DynamoDB, HEAD untouched, next run recovers', async () => {
    const before = await h.head();
    h.log.append(2);
    const down = h.handlerWith({ dynamo: new DynamoDBClient(sdkConfig(closed)) });
    await assert.rejects(down(SCHEDULED_EVENT), /DynamoDB: cannot read the HEAD item/);
    assert.deepEqual(await h.head(), before);
    assert.equal((await h.messages()).length, 0);
    const next = await h.handler(SCHEDULED_EVENT);
    assert.equal(next.status, 'verified');
    assert.equal((await h.head())?.head.size, '6');
  });

  it('DynamoDB lost mid-check (the HEAD transaction cannot be sent): fails, HEAD untouched, next run recovers', async () => {
    const before = await h.head();
    h.log.append(3);
    const dynamo = new DynamoDBClient(sdkConfig(h.moto.endpoint));
    const port = Number(new URL(closed).port);
    // Reads reach moto; the conditional write goes to a closed port: a real connection failure.
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const req = args.request as { port?: number };
        if (context.commandName === 'TransactWriteItemsCommand') req.port = port;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'redirectTransactToClosedPort' },
    );
    let reads = 0;
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetItemCommand') reads++;
        return next(args);
      },
      { step: 'initialize', name: 'countReads' },
    );
    await assert.rejects(h.handlerWith({ dynamo })(SCHEDULED_EVENT), /move the HEAD item/);
    assert.ok(reads >= 1, 'the check read HEAD before failing');
    assert.deepEqual(await h.head(), before, 'HEAD untouched');
    dynamo.destroy();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified');
    assert.equal((await h.head())?.head.size, '9');
    const msgs = await h.messages();
    assert.deepEqual(
      msgs.map((m) => m.Subject),
      ['[tlog-monitor] testlog: monitor-error', '[tlog-monitor] testlog: resolved (monitor-error)'],
      'an operational warning while the state could not be written, resolved by the clean run',
    );
    assert.equal(msgs[0]?.MessageAttributes?.severity?.Value, 'warning');
    assert.match(msgs[0]?.Message ?? '', /the monitor could not read or write its state/);
  });

  it('alert state unreadable (the ALERT# query cannot be sent): fails as a state error; the next run is clean', async () => {
    await h.messages();
    const dynamo = new DynamoDBClient(sdkConfig(h.moto.endpoint));
    const port = Number(new URL(closed).port);
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') (args.request as { port?: number }).port = port;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'alertQueryToClosedPort' },
    );
    h.log.append(1);
    await assert.rejects(
      h.handlerWith({ dynamo })(SCHEDULED_EVENT),
      (e: unknown) =>
        e instanceof TlogError && e.code === 'state/io' && /cannot query ALERT# items/.test(e.message),
    );
    dynamo.destroy();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'unchanged');
    assert.equal((await h.messages()).length, 0);
  });

  it('SNS unreachable on a fork: fails, HEAD untouched, alert not marked sent; the next run sends it once', async () => {
    await h.messages();
    const before = await h.head();
    h.log.fork();
    const down = h.handlerWith({ sns: new SNSClient(sdkConfig(closed)) });
    await assert.rejects(
      down(SCHEDULED_EVENT),
      (e: unknown) =>
        e instanceof TlogError &&
        e.code === 'sink/unavailable' &&
        /SNS: cannot publish the new alert "fork"/.test(e.message),
    );
    assert.deepEqual(await h.head(), before);
    const [unsent] = await h.items('ALERT#fork');
    assert.deepEqual(
      [unsent?.active?.BOOL, unsent?.sentCount?.N, unsent?.pendingUntil],
      [false, '0', undefined],
      'not marked sent, and the claim was released',
    );
    assert.equal((await h.items('EVIDENCE#')).length, 1, 'the evidence is kept all the same');

    const next = await h.handler(SCHEDULED_EVENT);
    assert.equal(next.status, 'fork');
    const msgs = await h.messages();
    assert.deepEqual(
      msgs.map((m) => m.Subject),
      ['[tlog-monitor] testlog: fork'],
    );
    assert.equal((await h.items('ALERT#fork'))[0]?.active?.BOOL, true);
    h.log.reset();
    await h.handler(SCHEDULED_EVENT);
    assert.deepEqual(
      (await h.messages()).map((m) => m.Subject),
      ['[tlog-monitor] testlog: resolved (fork)'],
    );
  });

  it('evidence cannot be stored: the alert still carries it (saying so), the invocation fails, the retry stores it', async () => {
    await h.messages();
    const before = await h.head();
    const evidenceBefore = (await h.items('EVIDENCE#')).length;
    const dynamo = new DynamoDBClient(sdkConfig(h.moto.endpoint));
    const port = Number(new URL(closed).port);
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Item?: { sk?: { S?: string } } };
        if (context.commandName === 'PutItemCommand' && input.Item?.sk?.S?.startsWith('EVIDENCE#')) {
          (args.request as { port?: number }).port = port;
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'evidenceToClosedPort' },
    );
    h.log.rollback(2);
    await assert.rejects(h.handlerWith({ dynamo })(SCHEDULED_EVENT), /misbehaviour evidence was not stored/);
    dynamo.destroy();
    assert.deepEqual(await h.head(), before);
    const [alert, ...more] = await h.messages();
    assert.equal(more.length, 0);
    assert.equal(alert?.Subject, '[tlog-monitor] testlog: rollback');
    assert.match(alert?.Message ?? '', /Evidence was NOT stored: DynamoDB: cannot store an EVIDENCE item/);
    assert.match(alert?.Message ?? '', /"evidence": \{/);
    assert.equal((await h.items('EVIDENCE#')).length, evidenceBefore);

    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'rollback', 'the retry');
    assert.equal((await h.items('EVIDENCE#')).length, evidenceBefore + 1, 'stored by the retry');
    assert.equal((await h.messages()).length, 0, 'the alert is not sent twice');
    h.log.reset();
    await h.handler(SCHEDULED_EVENT);
    assert.equal((await h.messages()).length, 1, 'resolved');
  });
});
