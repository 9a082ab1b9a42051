/** The identity-match notice: subject, escaped values, and bodies split so that no match is dropped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { matchNoticeBodies, matchNoticeSubject } from '../../lib/identity/match-notice.ts';

const match = (index: string, value = 'alice@example.com'): IdentityMatch => ({
  index,
  matcher: 'certIdentities',
  rule: 'alice@example\\.com',
  values: [value],
  entryType: 'hashedrekord',
});

test('subject: [tlog-monitor] <log>: identity-match (<count>), ASCII and under 100 characters', () => {
  assert.equal(matchNoticeSubject('rekor', 2), '[tlog-monitor] rekor: identity-match (2)');
  const long = matchNoticeSubject(`${'é'.repeat(200)}`, 12345);
  assert.ok(long.length <= 99, long);
  assert.match(long, /^\[tlog-monitor\] \?+\.\.\.: identity-match \(12345\)$/);
});

test('body: one summary line per match with values escaped, then the matches as JSON', () => {
  const [only, ...rest] = matchNoticeBodies('rekor', [match('7', 'evil\x1b[2Jname')], 10_000);
  assert.equal(rest.length, 0);
  assert.ok(only);
  assert.match(only.body, /^\[notice\] Log "rekor": 1 entry names a monitored identity\./);
  assert.match(
    only.body,
    /- entry 7 \(hashedrekord\): certIdentities "alice@example\\\\.com" matched "evil\\u001b\[2Jname"/,
  );
  assert.ok(!only.body.includes('\x1b'), 'no raw escape character reaches the message');
  const json = JSON.parse(only.body.slice(only.body.indexOf('\n{')));
  assert.deepEqual(json, {
    log: 'rekor',
    status: 'identity-match',
    matches: [match('7', 'evil\x1b[2Jname')],
  });
});

test('many matches are split over several bodies under the limit, in order, none dropped', () => {
  const matches = Array.from({ length: 500 }, (_, i) => match(String(i)));
  const bodies = matchNoticeBodies('ct', matches, 20_000);
  assert.ok(bodies.length > 1, `${bodies.length} bodies`);
  for (const b of bodies) assert.ok(Buffer.byteLength(b.body) <= 20_000);
  assert.deepEqual(
    bodies.flatMap((b) => b.matches),
    matches,
  );
});
