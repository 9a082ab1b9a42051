import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGetEntriesPage } from '../../lib/entries/ct/get-entries-page.ts';
import { decodeBase64Strict } from '../../lib/entries/fast-base64.ts';
import { TlogError } from '../../lib/errors.ts';
import { asObject, asString, getArray } from '../../lib/json/access.ts';
import { parseJson } from '../../lib/json/parse.ts';

/** The reference: the strict parser alone. */
function strict(text: string) {
  const list = getArray(asObject(parseJson(text), 'a'), 'entries', 'a');
  return list.map((item) => {
    const e = asObject(item, 'e');
    return { leafInput: asString(e.leaf_input, 'l'), extraData: asString(e.extra_data, 'x') };
  });
}

/** What the CT source makes of a page: both values decoded as strict base64. */
const decoded = (entries: { leafInput: string; extraData: string }[]) =>
  entries.map((e) => [decodeBase64Strict(e.leafInput, 'l'), decodeBase64Strict(e.extraData, 'x')]);

const outcome = (f: () => { leafInput: string; extraData: string }[]) => {
  try {
    return { ok: decoded(f()) };
  } catch (e) {
    assert.ok(
      e instanceof TlogError && e.code === 'response/malformed',
      `only TlogError response/malformed, got ${e}`,
    );
    return { error: true };
  }
};

const value = fc.oneof(fc.base64String({ maxLength: 12 }), fc.string({ maxLength: 6 }));
const page = fc.array(fc.record({ leaf_input: value, extra_data: value }), { maxLength: 4 });

describe('parseGetEntriesPage', () => {
  it('gives the entries the strict parser gives (after base64 decoding), on compact pages and on pages damaged anywhere', () => {
    const chars = fc.constantFrom('"', '\\', ',', ' ', '{', '}', ']', 'é', '\u0001', 'x', ':');
    fc.assert(
      fc.property(
        page,
        fc.nat(400),
        fc.array(chars, { maxLength: 2 }),
        fc.boolean(),
        (entries, at, junk, pretty) => {
          const good = pretty ? JSON.stringify({ entries }, null, 1) : JSON.stringify({ entries });
          for (const text of [good, good.slice(0, at) + junk.join('') + good.slice(at)]) {
            const a = outcome(() => parseGetEntriesPage(new TextEncoder().encode(text)));
            const b = outcome(() => strict(text));
            assert.deepEqual(a, b, text);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads the other field order and extra fields through the strict parser', () => {
    const text = '{"entries":[{"extra_data":"AA==","leaf_input":"AQ==","x":1}]}';
    assert.deepEqual(parseGetEntriesPage(new TextEncoder().encode(text)), [
      { leafInput: 'AQ==', extraData: 'AA==' },
    ]);
  });
});
