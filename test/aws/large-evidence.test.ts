/**
 * Evidence bigger than DynamoDB's 400 KB item limit and SNS's 256 KiB message limit, on moto:
 * the EVIDENCE# item is split into gzipped parts and reads back whole; the SNS alert is delivered
 * with its evidence truncated and a pointer to the EVIDENCE# item.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DynamoStore } from '../../lib/aws/dynamodb-store.ts';
import { SNS_MAX_BYTES, SnsAlerts } from '../../lib/aws/sns-alerts.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import {
  type AwsClients,
  clientsFor,
  createStack,
  drainQueue,
  type Moto,
  type Stack,
  startMoto,
} from '../support/moto.ts';

describe('large evidence on moto', () => {
  let moto: Moto;
  let clients: AwsClients;
  let stack: Stack;
  // Incompressible: 1.5 MB of base64 noise, as a hostile log could send in a proof.
  const huge: CheckResult = {
    log: 'big',
    status: 'inconsistent',
    previous: { size: '10', root: 'AAAA' },
    current: { size: '20', root: 'BBBB' },
    durationMs: 12,
    message: 'inconsistent: consistency proof 10→20 does not verify (twice)',
    evidence: { previous: 'head-10', current: 'head-20', proof: randomBytes(1_100_000).toString('base64') },
  };
  before(async () => {
    moto = await startMoto();
    clients = clientsFor(moto.endpoint);
    stack = await createStack(clients, 'big');
  });
  after(async () => {
    for (const c of Object.values(clients ?? {})) c.destroy();
    await moto?.stop();
  });

  it('stores evidence over the item limit in parts and reads it back exactly', async () => {
    const store = new DynamoStore({ client: clients.dynamo, tableName: stack.tableName });
    const sk = await store.putEvidence('big', huge);
    assert.match(sk, /^EVIDENCE#\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f]{8}$/);
    assert.deepEqual(await store.readEvidence('big', sk), huge);
    const small = { ...huge, evidence: { current: 'x' } };
    const sk2 = await store.putEvidence('big', small);
    assert.notEqual(sk2, sk);
    assert.deepEqual(await store.readEvidence('big', sk2), small);
  });

  it('delivers an alert whose evidence is over the SNS limit, truncated, pointing at the item', async () => {
    await assert.rejects(
      clients.sns.send(
        new PublishCommand({ TopicArn: stack.topicArn, Message: 'x'.repeat(SNS_MAX_BYTES + 1) }),
      ),
      'the limit is real: a bigger message is refused',
    );
    const sns = new SnsAlerts({ client: clients.sns, topicArn: stack.topicArn });
    const ref = 'DynamoDB table big-state, item pk=LOG#big sk=EVIDENCE#2026-11-24T00:00:00.000Z#00000000';
    await sns.publish({
      kind: 'new',
      log: 'big',
      condition: 'inconsistent',
      status: 'inconsistent',
      severity: 'critical',
      result: huge,
      since: '2026-11-24T00:00:00.000Z',
      at: '2026-11-24T00:00:00.000Z',
      previousNotices: 0,
      evidenceRef: ref,
    });
    const [m, ...rest] = await drainQueue(clients.sqs, stack.queueUrl);
    assert.equal(rest.length, 0);
    assert.equal(m?.Subject, '[tlog-monitor] big: inconsistent');
    assert.ok(Buffer.byteLength(m?.Message ?? '') <= SNS_MAX_BYTES);
    assert.ok(m?.Message.includes(`the full evidence is at ${ref}`));
    assert.match(m?.Message ?? '', /\[truncated: \d+ chars\]/);
  });
});
