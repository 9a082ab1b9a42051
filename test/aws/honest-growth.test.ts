/**
 * Honest growth against moto: the handler initialises, verifies growth and sees an unchanged log;
 * CloudWatch holds the metrics (read back with ListMetrics and GetMetricData), DynamoDB the HEAD
 * and one CP# item per stored head, and SNS sends nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { checkpointKey } from '../../lib/aws/dynamodb-store.ts';
import { LOG_NAME, NAMESPACE, SCHEDULED_EVENT, useHarness } from './harness.ts';

describe('monitor Lambda on moto: honest growth', () => {
  const h = useHarness({ initialSize: 5 });

  it('initialises, verifies growth, sees no change; keeps a CP# history', async () => {
    const first = await h.handler(SCHEDULED_EVENT);
    assert.equal(first.status, 'initialized');
    assert.equal(first.current?.size, '5');

    h.log.append(7);
    const second = await h.handler(SCHEDULED_EVENT);
    assert.equal(second.status, 'verified', second.message);
    assert.equal(second.previous?.size, '5');
    assert.equal(second.current?.size, '12');

    const third = await h.handler({ action: 'check' });
    assert.equal(third.status, 'unchanged');

    h.log.append(1);
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'verified');

    const head = await h.head();
    assert.equal(head?.version, 3);
    assert.equal(head?.head.size, '13');
    const cps = await h.store.checkpoints(LOG_NAME);
    assert.deepEqual(
      cps.map((c) => c.size),
      ['5', '12', '13'],
    );
    const sks = (await h.items('CP#')).map((i) => i.sk?.S);
    assert.deepEqual(
      sks,
      ['5', '12', '13'].map((s) => checkpointKey(s, h.log.treeId)),
    );
    assert.equal((await h.messages()).length, 0, 'no alert for an honest log');
  });

  it('publishes every metric with the Log dimension, readable back from CloudWatch', async () => {
    const listed = await h.clients.cloudwatch.send(new ListMetricsCommand({ Namespace: NAMESPACE }));
    const names = new Set((listed.Metrics ?? []).map((m) => m.MetricName));
    for (const n of [
      'CheckSucceeded',
      'MisbehaviourDetected',
      'CheckFailed',
      'TreeSize',
      'NewEntries',
      'SecondsSinceGrowth',
      'CheckDuration',
    ]) {
      assert.ok(names.has(n), `metric ${n} listed (got ${[...names].join(', ')})`);
    }
    for (const m of listed.Metrics ?? []) {
      assert.deepEqual(m.Dimensions, [{ Name: 'Log', Value: LOG_NAME }]);
    }
    const now = Date.now();
    const query = (id: string, name: string, stat: string) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: [{ Name: 'Log', Value: LOG_NAME }] },
        Period: 3600,
        Stat: stat,
      },
    });
    const data = await h.clients.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          query('ok', 'CheckSucceeded', 'Sum'),
          query('bad', 'MisbehaviourDetected', 'Sum'),
          query('failed', 'CheckFailed', 'Sum'),
          query('size', 'TreeSize', 'Maximum'),
          query('entries', 'NewEntries', 'Sum'),
          query('count', 'CheckDuration', 'SampleCount'),
        ],
      }),
    );
    const sum = (id: string) =>
      (data.MetricDataResults ?? []).find((r) => r.Id === id)?.Values?.reduce((a, b) => a + b, 0);
    const max = (id: string) =>
      Math.max(...((data.MetricDataResults ?? []).find((r) => r.Id === id)?.Values ?? []));
    assert.equal(sum('ok'), 4, 'four clean checks');
    assert.equal(sum('bad'), 0);
    assert.equal(sum('failed'), 0);
    assert.equal(max('size'), 13);
    assert.equal(sum('entries'), 8, '7 + 0 + 1 new entries (and 0 when initialised)');
    assert.equal(sum('count'), 4, 'one data point per metric per check');
  });
});
