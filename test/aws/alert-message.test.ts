/**
 * Alert text (lib/monitor/alerts.ts) and SNS attributes (lib/aws/sns-alerts.ts): subjects within
 * SNS's 100-character printable-ASCII rule, a summary then the CheckResult JSON, and evidence
 * truncated (saying where the full evidence is) when the body would pass the size limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageAttributes, SNS_MAX_BYTES } from '../../lib/aws/sns-alerts.ts';
import { type Alert, alertBody, alertSubject, MAX_SUBJECT_CHARS } from '../../lib/monitor/alerts.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';

const fork: CheckResult = {
  log: 'rekor',
  status: 'fork',
  previous: { size: '120', root: 'AAAA' },
  current: { size: '120', root: 'BBBB' },
  durationMs: 41,
  message: 'fork: two validly signed heads of size 120 with different roots',
  evidence: {
    previous: 'rekor.test.local - 1\n120\nAAAA\n\n— sig1\n',
    current: 'rekor.test.local - 1\n120\nBBBB\n',
  },
};

const alert = (over: Partial<Alert> = {}): Alert => ({
  kind: 'new',
  log: 'rekor',
  condition: 'fork',
  status: 'fork',
  severity: 'critical',
  result: fork,
  since: '2026-11-24T00:00:00.000Z',
  at: '2026-11-24T00:00:00.000Z',
  previousNotices: 0,
  evidenceRef: 'DynamoDB table t, item pk=LOG#rekor sk=EVIDENCE#2026-11-24T00:00:00.000Z#abcd',
  ...over,
});

const JSON_HEADER = '--- CheckResult (JSON) ---\n';

describe('alert subject', () => {
  it('follows [tlog-monitor] <log>: <status>, with reminder and resolved variants', () => {
    assert.equal(alertSubject(alert()), '[tlog-monitor] rekor: fork');
    assert.equal(alertSubject(alert({ kind: 'reminder' })), '[tlog-monitor] rekor: fork (reminder)');
    assert.equal(alertSubject(alert({ kind: 'resolved' })), '[tlog-monitor] rekor: resolved (fork)');
  });

  it('stays under 100 printable ASCII characters (SNS: "less than 100") for the longest log name and status', () => {
    assert.equal(MAX_SUBJECT_CHARS, 99);
    const log = `a${'x'.repeat(63)}`;
    for (const kind of ['new', 'reminder', 'resolved'] as const) {
      const s = alertSubject(
        alert({ kind, log, condition: 'split-view-inconsistent', status: 'invalid-response' }),
      );
      assert.ok(s.length < 100, `${s.length}: ${s}`);
      assert.match(s, /^\[tlog-monitor\] [\x20-\x7e]+$/);
      assert.ok(
        s.endsWith(
          kind === 'resolved'
            ? 'resolved (invalid-response)'
            : kind === 'reminder'
              ? '(reminder)'
              : 'inconsistent',
        ),
      );
    }
    assert.equal(alertSubject(alert({ log: 'ünï\ncode' })), '[tlog-monitor] ?n??code: fork');
  });
});

describe('alert body', () => {
  it('is a human summary, then the CheckResult JSON with evidence', () => {
    const body = alertBody(alert(), SNS_MAX_BYTES);
    const [summary, json] = body.split(JSON_HEADER);
    assert.match(summary ?? '', /^\[critical\] Log "rekor": the log misbehaved: fork\./);
    assert.match(summary ?? '', /Verified head: size 120, root AAAA/);
    assert.match(summary ?? '', /Evidence stored at DynamoDB table t, item pk=LOG#rekor sk=EVIDENCE#/);
    assert.deepEqual(JSON.parse(json ?? ''), fork);
    const resolved = alertBody(
      alert({ kind: 'resolved', result: { log: 'rekor', status: 'verified', durationMs: 3 } }),
      10_000,
    );
    assert.match(resolved, /^\[resolved\] Log "rekor" checks clean again \(status verified\)/);
    const notStored = alertBody(
      alert({ evidenceRef: undefined, evidenceNotStored: 'DynamoDB down' }),
      10_000,
    );
    assert.match(notStored, /Evidence was NOT stored: DynamoDB down/);
    const down = alertBody(
      alert({
        severity: 'warning',
        condition: 'unreachable',
        status: 'unreachable',
        result: { log: 'rekor', status: 'unreachable', durationMs: 1, message: 'timeout' },
      }),
      10_000,
    );
    assert.match(
      down,
      /^\[warning\] Log "rekor": the log could not be checked: unreachable\.\nDetail: timeout/,
    );
  });

  it('truncates evidence to fit, says so and where the full evidence is; JSON still parses', () => {
    const huge: CheckResult = {
      ...fork,
      evidence: {
        ...fork.evidence,
        proof: 'p'.repeat(1_000_000),
        other: { firstProof: 'é'.repeat(400_000) },
      },
    };
    const max = SNS_MAX_BYTES - 2048;
    const body = alertBody(alert({ result: huge }), max);
    assert.ok(Buffer.byteLength(body) <= max, `${Buffer.byteLength(body)} > ${max}`);
    assert.match(
      body,
      /The evidence was truncated to fit the \d+-byte message limit; the full evidence is at DynamoDB table t/,
    );
    const sent = JSON.parse(body.split(JSON_HEADER)[1] ?? '') as CheckResult;
    assert.match(sent.evidence?.proof ?? '', /^p+\.\.\.\[truncated: 1000000 chars\]$/);
    assert.match(sent.evidence?.other?.firstProof ?? '', /\[truncated: 400000 chars\]$/);
    assert.equal(sent.evidence?.previous, fork.evidence?.previous, 'small evidence is kept whole');
    const tiny = alertBody(alert({ result: huge, evidenceRef: undefined }), 600);
    assert.ok(Buffer.byteLength(tiny) <= 600);
  });
});

describe('SNS message attributes', () => {
  it('carry severity, log and status for filter policies', () => {
    const a = messageAttributes(alert({ kind: 'resolved' }));
    assert.deepEqual(
      Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [v.DataType, v.StringValue]])),
      {
        severity: ['String', 'critical'],
        log: ['String', 'rekor'],
        status: ['String', 'fork'],
        condition: ['String', 'fork'],
        alert: ['String', 'resolved'],
      },
    );
  });
});
