/**
 * Issue 11, "Must show" on moto: the AWS side of identity monitoring, with the real monitor
 * handler (functions/monitor.ts) and scan worker (functions/scan-worker.ts) against moto's
 * DynamoDB, SNS and SQS and a CT test log serving real entries (test/support/entries).
 *  (a) a scheduled check with identities stores MATCH# items and sends ONE SNS message listing the
 *      new matches; a second run sends nothing new;
 *  (b) a backlog larger than one invocation's range fans out over the scan queue; the worker runs
 *      the items in a shuffled order; the monitor commits them in index order: every match exactly
 *      once, the cursor at the verified size;
 *  (c) a forged entry in a range: the worker refuses it (inconsistent, alert, evidence), nothing
 *      from it is stored, the cursor stops before it, and once the log is honest the retried item
 *      completes the scan; a RANGE# result that does not prove is refused by the commit;
 *  (d) ranges the queue does not take fail the invocation (the monitor's own error, so Lambda
 *      retries), the enqueued mark is given back, and the next check enqueues them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { createHandler, type MonitorHandler } from '../../functions/monitor.ts';
import { createWorkerHandler } from '../../functions/scan-worker.ts';
import { logKey } from '../../lib/aws/dynamodb-access.ts';
import { DynamoScanStore } from '../../lib/aws/dynamodb-scan-store.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { CompactRange } from '../../lib/merkle/index.ts';
import { decodeRangeWork } from '../../lib/scan-fanout/range-work.ts';
import { type CtEntryLog, startCtEntryLog } from '../support/entries/ct-entry-log.ts';
import {
  type AwsClients,
  clientsFor,
  createStack,
  drainQueue,
  type Moto,
  type SnsEnvelope,
  type Stack,
  startMoto,
} from '../support/moto.ts';
import { SCHEDULED_EVENT } from './harness.ts';

const CT_MATCH = 'www\\.gem-jewelers\\.com';
const NAMESPACE = 'TlogMonitorScanTest';

let moto: Moto;
let clients: AwsClients;
let stack: Stack;
let scanQueueUrl: string;
const logs: CtEntryLog[] = [];

before(async () => {
  moto = await startMoto();
  clients = clientsFor(moto.endpoint);
  stack = await createStack(clients);
  const q = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'tlog-monitor-scan' }));
  scanQueueUrl = q.QueueUrl as string;
});
after(async () => {
  await Promise.all(logs.map((l) => l.close()));
  for (const c of Object.values(clients ?? {})) c.destroy();
  await moto?.stop();
});

interface Deployed {
  readonly name: string;
  readonly log: CtEntryLog;
  readonly monitor: MonitorHandler;
  readonly lines: string[];
}

async function deploy(name: string, initialSize: number, fanOut: boolean): Promise<Deployed> {
  const log = await startCtEntryLog({ initialSize, maxPageSize: 16 });
  logs.push(log);
  const lines: string[] = [];
  const env = {
    LOG_CONFIG: JSON.stringify({
      name,
      type: 'ct',
      url: log.url,
      publicKey: log.publicKeyPem,
      timeoutMs: 5_000,
      identities: { subjects: [CT_MATCH], startIndex: '0' },
    }),
    TABLE_NAME: stack.tableName,
    TOPIC_ARN: stack.topicArn,
    METRICS_NAMESPACE: NAMESPACE,
    ...(fanOut ? { SCAN_QUEUE_URL: scanQueueUrl, SCAN_RANGE_ENTRIES: '8' } : {}),
  };
  const monitor = createHandler(env, {
    dynamo: clients.dynamo,
    sns: clients.sns,
    sqs: clients.sqs,
    log: (l) => lines.push(l),
  });
  return { name, log, monitor, lines };
}

const worker = () =>
  createWorkerHandler(
    { TABLE_NAME: stack.tableName, TOPIC_ARN: stack.topicArn, METRICS_NAMESPACE: NAMESPACE },
    { dynamo: clients.dynamo, sns: clients.sns, log: () => {} },
  );

async function items(log: string, prefix: string) {
  const out = await clients.dynamo.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': { S: logKey(log) }, ':p': { S: prefix } },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

async function scanNext(log: string): Promise<string | undefined> {
  const out = await clients.dynamo.send(
    new GetItemCommand({
      TableName: stack.tableName,
      Key: { pk: { S: logKey(log) }, sk: { S: 'SCAN' } },
      ConsistentRead: true,
    }),
  );
  return out.Item?.next?.S;
}

/** Every identity-match notice delivered since the last call, and the other messages. */
async function notices(): Promise<{ matches: SnsEnvelope[]; other: SnsEnvelope[] }> {
  const all = await drainQueue(clients.sqs, stack.queueUrl);
  const isMatch = (m: SnsEnvelope) => m.MessageAttributes?.status?.Value === 'identity-match';
  return { matches: all.filter(isMatch), other: all.filter((m) => !isMatch(m)) };
}

function listed(notice: SnsEnvelope): string[] {
  const json = notice.Message.slice(notice.Message.indexOf('\n{'));
  return (JSON.parse(json) as { matches: IdentityMatch[] }).matches.map((m) => m.index);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

/** Receives every message now in the scan queue (not deleted: the caller deletes what succeeded). */
async function receiveAll(): Promise<Message[]> {
  const out: Message[] = [];
  for (let round = 0; round < 100; round++) {
    const r = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: scanQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 600,
      }),
    );
    if (!r.Messages?.length) break;
    out.push(...r.Messages);
  }
  return out;
}

/** Runs the worker on each message as its own SQS event (batch size 1); deletes those that succeeded. */
async function work(messages: readonly Message[]): Promise<string[]> {
  const run = worker();
  const failed: string[] = [];
  for (const m of messages) {
    const out = await run({ Records: [{ messageId: m.MessageId as string, body: m.Body as string }] });
    if (out.batchItemFailures.length > 0) failed.push(m.MessageId as string);
    else
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: scanQueueUrl, ReceiptHandle: m.ReceiptHandle as string }),
      );
  }
  return failed;
}

/** A deterministic shuffle (seeded), so a failure reproduces. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const startOf = (m: Message) => decodeRangeWork(m.Body as string).start;

describe('identity monitoring on AWS (moto)', { timeout: 240_000 }, () => {
  it('(a) a scheduled check stores MATCH# items and sends one SNS message with the new matches; a second run sends nothing new', async () => {
    const d = await deploy('ct-a', 20, false);
    await notices();
    const first = await d.monitor(SCHEDULED_EVENT);
    assert.equal(first.status, 'initialized', first.message);
    assert.deepEqual(
      (first.matches ?? []).map((m) => m.index),
      range(0, 20),
    );
    const stored = await items('ct-a', 'MATCH#');
    assert.equal(stored.length, 20);
    assert.ok(stored.every((i) => i.delivered?.BOOL === true));
    const sent = await notices();
    assert.equal(sent.matches.length, 1, 'one message per check');
    assert.deepEqual(listed(sent.matches[0] as SnsEnvelope), range(0, 20));
    assert.equal(sent.matches[0]?.MessageAttributes?.severity?.Value, 'notice');
    assert.equal(sent.other.length, 0);
    const emf = d.lines.map((l) => JSON.parse(l)).find((o) => o.IdentityMatches !== undefined);
    assert.equal(emf?.IdentityMatches, 20);

    const second = await d.monitor(SCHEDULED_EVENT);
    assert.equal(second.status, 'unchanged');
    assert.deepEqual(second.matches, []);
    assert.equal((await notices()).matches.length, 0, 'nothing new, nothing sent');

    d.log.append(5);
    const third = await d.monitor(SCHEDULED_EVENT);
    assert.equal(third.status, 'verified');
    assert.deepEqual(
      (third.matches ?? []).map((m) => m.index),
      range(20, 25),
    );
    const again = await notices();
    assert.equal(again.matches.length, 1);
    assert.deepEqual(listed(again.matches[0] as SnsEnvelope), range(20, 25));
  });

  it('(b) a backlog larger than one invocation fans out over SQS, runs in any order, and completes with every match exactly once', async () => {
    const d = await deploy('ct-b', 5, true);
    await notices();
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'initialized');
    assert.equal(await scanNext('ct-b'), '5');
    d.log.append(60);

    const fanned = await d.monitor(SCHEDULED_EVENT);
    assert.equal(fanned.status, 'verified', fanned.message);
    assert.deepEqual(fanned.scan, { next: '5', size: '65', scanned: '0', complete: false });
    // A check before any worker ran enqueues nothing twice.
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'unchanged');
    const queued = await receiveAll();
    assert.deepEqual(
      queued.map(startOf).sort((a, b) => (a < b ? -1 : 1)),
      [5n, 13n, 21n, 29n, 37n, 45n, 53n, 61n],
    );
    const order = shuffled(queued, 7);

    // Half the ranges first: the commit stops at the first range not yet scanned.
    const firstHalf = order.slice(0, 4);
    assert.deepEqual(await work(firstHalf), []);
    const partial = await d.monitor(SCHEDULED_EVENT);
    const done = new Set(firstHalf.map(startOf));
    let expectNext = 5n;
    while (done.has(expectNext)) expectNext += 8n;
    assert.equal(partial.scan?.next, String(expectNext));
    assert.deepEqual(
      (partial.matches ?? []).map((m) => m.index),
      range(5, Number(expectNext)),
    );

    assert.deepEqual(await work(order.slice(4)), []);
    const last = await d.monitor(SCHEDULED_EVENT);
    assert.equal(last.status, 'unchanged', last.message);
    assert.deepEqual(last.scan, {
      next: '65',
      size: '65',
      scanned: String(65n - expectNext),
      complete: true,
    });
    assert.equal(await scanNext('ct-b'), '65');
    assert.equal((await items('ct-b', 'RANGE#')).length, 0, 'committed ranges are deleted');

    const all = await new DynamoScanStore({ client: clients.dynamo, tableName: stack.tableName }).allMatches(
      'ct-b',
    );
    assert.deepEqual(
      all.map((m) => m.index),
      range(0, 65),
      'every match exactly once',
    );
    const sent = (await notices()).matches.flatMap(listed);
    assert.deepEqual(sent, range(0, 65), 'each match sent once, over the checks that committed it');
    assert.equal((await d.monitor(SCHEDULED_EVENT)).matches?.length, 0);
    assert.equal((await notices()).matches.length, 0);
  });

  it("(d) ranges the queue did not take: the invocation fails as the monitor's own error, the claim is given back, the next check enqueues them", async () => {
    const d = await deploy('ct-d', 5, true);
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'initialized');
    d.log.append(16);
    const broken = createHandler(
      {
        LOG_CONFIG: JSON.stringify({
          name: 'ct-d',
          type: 'ct',
          url: d.log.url,
          publicKey: d.log.publicKeyPem,
          timeoutMs: 5_000,
          identities: { subjects: [CT_MATCH], startIndex: '0' },
        }),
        TABLE_NAME: stack.tableName,
        TOPIC_ARN: stack.topicArn,
        METRICS_NAMESPACE: NAMESPACE,
        SCAN_QUEUE_URL: scanQueueUrl.replace(/[^/]+$/, 'no-such-queue'),
        SCAN_RANGE_ENTRIES: '8',
      },
      { dynamo: clients.dynamo, sns: clients.sns, sqs: clients.sqs, log: () => {} },
    );
    await assert.rejects(
      broken(SCHEDULED_EVENT),
      (e: Error & { details?: { result?: { status?: string } } }) => {
        assert.equal(e.details?.result?.status, 'monitor-error', e.message);
        assert.match(e.message, /SQS: cannot enqueue scan ranges/);
        return true;
      },
    );
    const mark = await clients.dynamo.send(
      new GetItemCommand({
        TableName: stack.tableName,
        Key: { pk: { S: logKey('ct-d') }, sk: { S: 'FANOUT' } },
        ConsistentRead: true,
      }),
    );
    assert.equal(mark.Item?.enqueuedTo?.S, '5', 'the claim is given back');
    await receiveAll(); // ranges of other tests: none expected, but keep the queue clean
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'unchanged');
    const queued = (await receiveAll()).map(startOf).sort((a, b) => (a < b ? -1 : 1));
    assert.deepEqual(queued, [5n, 13n]);
  });

  it('(c) a forged entry in a range is refused with evidence and an alert, nothing from it is stored; the honest retry completes', async () => {
    const d = await deploy('ct-c', 5, true);
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'initialized');
    await notices();
    d.log.append(24); // size 29: ranges [5,13) [13,21) [21,29)
    d.log.forgeEntry(17);
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'verified');
    const queued = shuffled(await receiveAll(), 3);
    assert.equal(queued.length, 3);
    const failed = await work(queued);
    assert.equal(failed.length, 1);
    const bad = queued.find((m) => m.MessageId === failed[0]) as Message;
    assert.equal(startOf(bad), 13n);

    const alerts = (await notices()).other;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.MessageAttributes?.status?.Value, 'inconsistent');
    assert.equal(alerts[0]?.MessageAttributes?.severity?.Value, 'critical');
    assert.equal((await items('ct-c', 'EVIDENCE#')).length, 1);
    const evidence = JSON.parse((await items('ct-c', 'EVIDENCE#'))[0]?.result?.S ?? '{}');
    assert.equal(evidence.status, 'inconsistent');
    assert.match(JSON.stringify(evidence.evidence), /17/);

    const stuck = await d.monitor(SCHEDULED_EVENT);
    assert.equal(stuck.scan?.next, '13', 'the cursor stops before the refused range');
    // Every check while the cursor waits there says so: the alert stays open, no "resolved".
    assert.equal(stuck.status, 'inconsistent', stuck.message);
    assert.match(stuck.message ?? '', /found by the scan worker/);
    assert.ok(stuck.evidence);
    assert.match(stuck.evidenceRef ?? '', /EVIDENCE#/);
    assert.equal((await items('ct-c', 'EVIDENCE#')).length, 1, 'the evidence is not stored again');
    assert.deepEqual(
      (await notices()).other.map((m) => m.MessageAttributes?.status?.Value),
      [],
      'no resolved notice while the range is refused',
    );
    const matched = (await items('ct-c', 'MATCH#')).map((i) => i.index?.S);
    assert.deepEqual(matched, range(0, 13), 'no match from the refused range, nor past it');
    assert.equal((await items('ct-c', 'RANGE#')).length, 1, 'the range after it waits');

    // The log is honest again; SQS delivers the item again.
    d.log.reset();
    assert.deepEqual(await work([bad]), []);
    const resumed = await d.monitor(SCHEDULED_EVENT);
    assert.equal(resumed.status, 'unchanged', resumed.message);
    assert.equal(resumed.scan?.next, '29');
    assert.deepEqual(
      (await notices()).other.map(
        (m) => `${m.MessageAttributes?.status?.Value} ${m.MessageAttributes?.alert?.Value}`,
      ),
      ['inconsistent resolved'],
      'resolved once the range is proven',
    );
    assert.deepEqual(
      (await items('ct-c', 'MATCH#')).map((i) => i.index?.S),
      range(0, 29),
    );

    // A RANGE# result that does not prove (a worker fed something else) is refused by the commit.
    d.log.append(16); // size 45: ranges [29, 37) [37, 45)
    assert.equal((await d.monitor(SCHEDULED_EVENT)).status, 'verified');
    assert.equal((await receiveAll()).length, 2);
    const forged = CompactRange.empty(29n);
    for (let i = 0; i < 8; i++) forged.append(new Uint8Array(32).fill(i + 1));
    const fake: IdentityMatch = {
      index: '30',
      matcher: 'subjects',
      rule: CT_MATCH,
      values: ['x'],
      entryType: 'x509_entry',
    };
    await new DynamoScanStore({ client: clients.dynamo, tableName: stack.tableName }).putRangeResult('ct-c', {
      start: 29n,
      end: 37n,
      nodes: forged.nodes(),
      matches: [fake],
      skipped: [],
    });
    await notices();
    const refused = await d.monitor(SCHEDULED_EVENT);
    assert.equal(refused.status, 'inconsistent', refused.message);
    assert.ok(refused.evidence, 'evidence in the result');
    assert.equal(
      (await notices()).other.some((m) => m.MessageAttributes?.status?.Value === 'inconsistent'),
      true,
    );
    assert.deepEqual(
      (await items('ct-c', 'MATCH#')).map((i) => i.index?.S),
      range(0, 29),
      'no match from the refused result',
    );
    assert.equal(await scanNext('ct-c'), '29');
    assert.equal((await items('ct-c', 'RANGE#')).length, 0, 'the refused result is dropped');
  });
});
