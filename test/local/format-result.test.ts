/**
 * Issue 10, item 9: whatever a log sent reaches the terminal escaped. A message quoting a log's
 * answer, a shard name or an origin with control characters (ANSI escape sequences, a newline
 * that fakes another result line, bidi overrides) is printed with them as \uXXXX.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatResult } from '../../lib/local/format-result.ts';

const ESC = '\u001b';

describe('formatResult', () => {
  it('escapes control and bidi characters from the log in every field it prints', () => {
    const text = formatResult({
      log: 'rekor',
      status: 'verified',
      durationMs: 3,
      previous: { size: '1', root: 'AAAA', shard: `1${ESC}[2J` },
      current: { size: '2', root: 'BBBB', shard: `2${ESC}]0;owned\u0007` },
      shardRotation: { from: `1${ESC}[2J`, to: `2${ESC}]0;owned\u0007`, finalSize: '1' },
      originChanged: { from: 'a - 1', to: `b\u202e - 1` },
      message: `signed as ${ESC}[31mred\nok   other: verified (0 ms)`,
    });
    const raw = [...text].filter((ch) => {
      const c = ch.codePointAt(0) as number;
      return (c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e);
    });
    assert.deepEqual(raw, [], 'no raw control or bidi character reaches the terminal');
    assert.match(text, /\\u001b\[31mred\\u000aok {3}other/);
    assert.equal(text.split('\n').length, 2, 'one result line and one message line, nothing injected');
  });

  it('prints a rename of the signer', () => {
    const text = formatResult({
      log: 'rekor',
      status: 'verified',
      durationMs: 1,
      originChanged: { from: 'rekor.local - 1', to: 'pod-1 - 1' },
    });
    assert.match(text, /signer renamed "rekor.local - 1" → "pod-1 - 1"/);
  });
});
