import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bytesEqual, fromBase64 } from '../../lib/bytes.ts';
import { decodeBase64Strict } from '../../lib/entries/fast-base64.ts';

/** The reference: lib/bytes fromBase64 (regular expression and full re-encoding). */
function reference(s: string): Uint8Array | undefined {
  try {
    return fromBase64(s);
  } catch {
    return undefined;
  }
}

function fast(s: string): Uint8Array | undefined {
  try {
    return decodeBase64Strict(s, 'x');
  } catch {
    return undefined;
  }
}

const agrees = (s: string) => {
  const a = reference(s);
  const b = fast(s);
  assert.equal(a === undefined, b === undefined, `accept/reject differ on ${JSON.stringify(s)}`);
  if (a && b) assert.ok(bytesEqual(a, b), `bytes differ on ${JSON.stringify(s)}`);
};

describe('decodeBase64Strict', () => {
  it('agrees with lib/bytes fromBase64 on valid encodings and on every kind of damage', () => {
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.*é\u0000'];
    const chars = fc.constantFrom(...alphabet);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(60),
        fc.array(chars, { maxLength: 3 }),
        (bytes, at, junk) => {
          const good = Buffer.from(bytes).toString('base64');
          agrees(good);
          const i = Math.min(at, good.length);
          agrees(good.slice(0, i) + junk.join('') + good.slice(i));
          agrees(good.slice(0, i) + junk.join('') + good.slice(i + junk.length));
        },
      ),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 16 }), agrees), {
      numRuns: 5000,
    });
  });

  it('refuses non-canonical padding bits and URL-safe characters', () => {
    for (const s of ['QR==', 'QUJ=', 'a-8=', 'a_8=', 'QQ=', 'QQ==QQ==', ' QQ==']) {
      assert.throws(() => decodeBase64Strict(s, 'leaf_input'), /leaf_input: expected padded standard base64/);
    }
    assert.deepEqual([...decodeBase64Strict('', 'x')], []);
  });
});
