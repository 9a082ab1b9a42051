/** Human output of the identity scan: matches and skipped entries (text from the log) shown escaped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatResult } from '../../lib/local/format-result.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';

const base: CheckResult = {
  log: 'rekor',
  status: 'verified',
  durationMs: 5,
  current: { size: '40', root: 'x' },
};

describe('formatResult with an identity scan', () => {
  it('lists each match and skipped entry, escaping what the log sent', () => {
    const text = formatResult({
      ...base,
      matches: [
        {
          index: '17',
          shard: '42',
          matcher: 'certIdentities',
          rule: 'alice@example\\.com',
          values: ['alice@example.com\u001b[2J\u202e'],
          entryType: 'hashedrekord',
        },
      ],
      skipped: [{ index: '23', reason: 'bad base64 "\u0007"' }],
      scan: { next: '30', size: '40', scanned: '10', complete: false },
    });
    assert.ok(
      text.includes('MATCH entry 17 (shard 42) hashedrekord: certIdentities "alice@example\\.com"'),
      text,
    );
    for (const bad of ['\u001b', '\u202e', '\u0007'])
      assert.ok(!text.includes(bad), `${JSON.stringify(bad)} shown raw`);
    assert.ok(text.includes('matched "alice@example.com\\u001b[2J\\u202e"'), text);
    assert.match(text, /skipped entry 23: /);
    assert.match(text, /identity scan at entry 30 of 40 \(10 scanned this run; continues next check\)/);
  });

  it('says how many more there are past the listed ones', () => {
    const matches = Array.from({ length: 25 }, (_, i) => ({
      index: String(i),
      matcher: 'subjects' as const,
      rule: 'a',
      values: ['a'],
      entryType: 'x509_entry',
    }));
    assert.match(formatResult({ ...base, matches }), /… 5 more; rerun with --json to list them all/);
  });
});
