/**
 * The identity scan's metrics in the EMF line (docs/contracts.md, "CloudWatch metrics"): `IdentityMatches` (matches
 * the check delivered) and `ScanBacklog` (entries between the cursor and the verified size),
 * declared per log, and only for a log whose result carries a scan (a log with identities).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emfDocument } from '../../lib/aws/emf-metrics.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';

const scanned: CheckResult = {
  log: 'rekor',
  status: 'verified',
  previous: { size: '120', root: 'a' },
  current: { size: '180', root: 'b' },
  durationMs: 41,
  matches: [{ index: '150', matcher: 'subjects', rule: 'a', values: ['a'], entryType: 'x509_entry' }],
  scan: { next: '160', size: '180', scanned: '40', complete: false },
};

describe('emfDocument with an identity scan', () => {
  it('declares IdentityMatches and ScanBacklog per log, with their values', () => {
    const d = emfDocument(scanned, { secondsSinceGrowth: 0 }, { namespace: 'NS' }, 0);
    const perLog = d._aws.CloudWatchMetrics.find((x) => x.Dimensions[0]?.[0] === 'Log');
    assert.deepEqual(
      perLog?.Metrics.map((m) => m.Name),
      ['SecondsSinceGrowth', 'IdentityMatches', 'ScanBacklog'],
    );
    assert.equal(d.IdentityMatches, 1);
    assert.equal(d.ScanBacklog, 20);
  });

  it('a log without identities has neither', () => {
    const { matches: _m, scan: _s, ...plain } = scanned;
    const d = emfDocument(plain, {}, { namespace: 'NS' }, 0);
    assert.equal(d.IdentityMatches, undefined);
    assert.equal(d.ScanBacklog, undefined);
  });
});
