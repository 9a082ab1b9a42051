/**
 * The identity scan's Lambda settings (lib/aws/runtime-config.ts): SCAN_QUEUE_URL and
 * SCAN_RANGE_ENTRIES, each problem naming its variable; the log entry kept as given for work items.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SCAN_RANGE_ENTRIES, readRuntimeConfig } from '../../lib/aws/runtime-config.ts';
import { isTlogError } from '../../lib/errors.ts';
import { startTestLog } from '../support/test-log-server.ts';

describe('runtime config: identity scan settings', async () => {
  const log = await startTestLog({ type: 'ct', initialSize: 1 });
  const entry = { name: 'ct', type: 'ct', url: log.url, publicKey: log.publicKeyPem };
  await log.close();
  const base = {
    LOG_CONFIG: JSON.stringify(entry),
    TABLE_NAME: 'tlog-monitor-state',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    METRICS_NAMESPACE: 'NS',
  };

  it('defaults: no queue, 100000 entries per range; the log entry kept as given', () => {
    const c = readRuntimeConfig(base);
    assert.equal(c.scanQueueUrl, undefined);
    assert.equal(c.scanRangeEntries, DEFAULT_SCAN_RANGE_ENTRIES);
    assert.deepEqual(c.logJson, entry);
  });

  it('reads a queue URL and a range size', () => {
    const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/scan-queue';
    const c = readRuntimeConfig({ ...base, SCAN_QUEUE_URL: url, SCAN_RANGE_ENTRIES: '5000' });
    assert.equal(c.scanQueueUrl, url);
    assert.equal(c.scanRangeEntries, 5000n);
  });

  it('refuses bad values, naming the variable', () => {
    for (const [name, value] of [
      ['SCAN_QUEUE_URL', 'arn:aws:sqs:us-east-1:123456789012:q'],
      ['SCAN_RANGE_ENTRIES', '0'],
      ['SCAN_RANGE_ENTRIES', '1e5'],
    ] as const) {
      assert.throws(
        () => readRuntimeConfig({ ...base, [name]: value }),
        (e: Error) => isTlogError(e, 'config/invalid') && e.message.includes(name),
        `${name}=${value}`,
      );
    }
  });
});
