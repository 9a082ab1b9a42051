/**
 * Fan-out work items (lib/scan-fanout/range-work.ts): decimals survive past 2^53, a bad item names
 * what is wrong, and an item that would not fit in an SQS message is refused when enqueued.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isTlogError } from '../../lib/errors.ts';
import { decodeRangeWork, encodeRangeWork, MAX_WORK_BYTES } from '../../lib/scan-fanout/range-work.ts';

describe('range work items', () => {
  it('round-trip, indices past 2^53 exact', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 63n }),
        fc.bigInt({ min: 1n, max: 2n ** 20n }),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 63n }), { nil: undefined }),
        (start, length, indexOffset) => {
          const w = {
            log: { name: 'rekor', type: 'rekor-v1' },
            head: 'signed\n',
            start,
            end: start + length,
            ...(indexOffset !== undefined ? { indexOffset } : {}),
          };
          assert.deepEqual(decodeRangeWork(encodeRangeWork(w)), w);
        },
      ),
    );
  });

  it('refuses a malformed item, naming the field', () => {
    const good = JSON.parse(encodeRangeWork({ log: {}, head: 'h', start: 5n, end: 13n }));
    const cases: [unknown, RegExp][] = [
      ['not json', /not JSON/],
      [[], /not a JSON object/],
      [{ ...good, v: 2 }, /version 2/],
      [{ ...good, head: '' }, /"head"/],
      [{ ...good, start: 5 }, /"start" must be a decimal string, got 5/],
      [{ ...good, end: '-1' }, /"end" must be a decimal/],
      [{ ...good, end: '5' }, /range \[5, 5\) is empty/],
      [{ ...good, indexOffset: '01' }, /"indexOffset"/],
    ];
    for (const [value, message] of cases) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      assert.throws(
        () => decodeRangeWork(text),
        (e: Error) => isTlogError(e, 'state/corrupt') && message.test(e.message),
        text,
      );
    }
  });

  it('an item over the SQS message limit (256 KiB) is refused before it is sent', () => {
    const big = { log: { note: 'x'.repeat(MAX_WORK_BYTES) }, head: 'h', start: 0n, end: 1n };
    assert.throws(
      () => encodeRangeWork(big),
      (e: Error) => isTlogError(e, 'config/invalid') && /must fit in 262144 bytes/.test(e.message),
    );
  });
});
