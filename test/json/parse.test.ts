import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isTlogError } from '../../lib/errors.ts';
import { type JsonValue, parseJson } from '../../lib/json/parse.ts';

function obj(entries: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.assign(Object.create(null), entries);
}

function rejects(text: string, messagePart?: RegExp | string, options?: { maxDepth?: number }): void {
  assert.throws(
    () => parseJson(text, options),
    (e: unknown) => {
      assert.ok(isTlogError(e, 'response/malformed'), `expected response/malformed, got ${String(e)}`);
      assert.match(e.message, /offset \d+/);
      assert.equal(typeof e.details?.position, 'number');
      if (messagePart !== undefined) {
        assert.match(e.message, typeof messagePart === 'string' ? new RegExp(messagePart) : messagePart);
      }
      return true;
    },
  );
}

describe('parseJson: values', () => {
  it('parses integers as exact bigints and other numbers as numbers', () => {
    assert.equal(parseJson('0'), 0n);
    assert.equal(parseJson('-0'), 0n);
    assert.equal(parseJson('42'), 42n);
    assert.equal(parseJson('-17'), -17n);
    assert.equal(parseJson('9007199254740993'), 9007199254740993n); // 2^53 + 1, not representable as a double
    assert.equal(parseJson('18446744073709551615'), 18446744073709551615n);
    assert.equal(parseJson('123456789012345678901234567890'), 123456789012345678901234567890n);
    assert.equal(parseJson('1.5'), 1.5);
    assert.equal(parseJson('1.0'), 1);
    assert.equal(typeof parseJson('1.0'), 'number');
    assert.equal(parseJson('1e3'), 1000);
    assert.equal(typeof parseJson('1e3'), 'number');
    assert.equal(parseJson('-2.5E-3'), -0.0025);
  });

  it('parses literals, strings, arrays and null-prototype objects', () => {
    assert.equal(parseJson('true'), true);
    assert.equal(parseJson('false'), false);
    assert.equal(parseJson('null'), null);
    assert.equal(parseJson(' \t\r\n"x" \n'), 'x');
    assert.deepEqual(parseJson('[]'), []);
    assert.deepEqual(parseJson('[1, "a", [null]]'), [1n, 'a', [null]]);
    const o = parseJson('{"a": {"b": [true]}, "c": 2.5}');
    assert.deepStrictEqual(o, obj({ a: obj({ b: [true] }), c: 2.5 }));
    assert.equal(Object.getPrototypeOf(o), null);
    assert.deepStrictEqual(parseJson('{}'), obj({}));
  });

  it('keeps __proto__ and constructor as plain own keys', () => {
    const o = parseJson('{"__proto__": {"polluted": 1}, "constructor": 2}') as Record<string, JsonValue>;
    assert.equal(Object.getPrototypeOf(o), null);
    assert.ok(Object.hasOwn(o, '__proto__'));
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(o, '__proto__')?.value, obj({ polluted: 1n }));
    assert.equal(o.constructor, 2n);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('decodes every escape', () => {
    assert.equal(parseJson('"\\" \\\\ \\/ \\b \\f \\n \\r \\t"'), '" \\ / \b \f \n \r \t');
    assert.equal(parseJson('"\\u0041\\u00e9\\u2014"'), 'Aé—');
    assert.equal(parseJson('"\\ud83d\\ude00"'), '😀');
    assert.equal(parseJson('"😀 raw pair"'), '😀 raw pair');
    assert.equal(parseJson('"\\u0000"'), '\u0000');
  });
});

describe('parseJson: strictness', () => {
  it('refuses duplicate keys, naming the key', () => {
    rejects('{"tree_size": 1, "tree_size": 2}', 'duplicate key "tree_size"');
    rejects('{"a": {"x": 1, "x": 1}}', 'duplicate key "x"');
    // Different keys that look alike are fine.
    assert.deepStrictEqual(parseJson('{"a": 1, "A": 2}'), obj({ a: 1n, A: 2n }));
  });

  it('refuses leading zeros and malformed numbers', () => {
    rejects('01', 'leading zero');
    rejects('-01', 'leading zero');
    rejects('[00]', 'leading zero');
    for (const bad of ['-', '+1', '1.', '.5', '1e', '1e+', '1.5.2', '0x10', 'NaN', 'Infinity', '-Infinity']) {
      rejects(bad);
    }
    rejects('1e400', 'out of range');
    rejects('1'.repeat(1001), 'number literal of 1001 characters');
  });

  it('refuses trailing garbage', () => {
    rejects('{} x', 'trailing');
    rejects('1 2', 'trailing');
    rejects('{"a":1}}', 'trailing');
    rejects('"a""b"', 'trailing');
  });

  it('refuses malformed structure', () => {
    for (const bad of [
      '',
      ' ',
      '[',
      '[1,]',
      '[,1]',
      '{"a"}',
      '{"a":}',
      '{"a":1,}',
      '{a:1}',
      "{'a':1}",
      '[1 2]',
      'tru',
      'nul',
      '\ufeff{}',
      '{"a":1 "b":2}',
    ]) {
      rejects(bad);
    }
  });

  it('refuses unescaped control characters and bad escapes', () => {
    rejects('"a\nb"', 'control character');
    rejects('"a\u0000b"', 'control character');
    rejects('"a\tb"', 'control character');
    rejects('"\\x41"', 'invalid escape');
    rejects('"\\u12"', 'invalid \\\\u escape');
    rejects('"\\u12g4"', 'invalid \\\\u escape');
    rejects('"abc', 'unterminated');
    rejects('"abc\\', 'invalid escape');
  });

  it('refuses unpaired surrogates, escaped or raw', () => {
    rejects('"\\ud83d"', 'unpaired high surrogate');
    rejects('"\\ud83dx"', 'unpaired high surrogate');
    rejects('"\\ude00"', 'unpaired low surrogate');
    rejects('"\\ude00\\ud83d"', 'unpaired low surrogate');
    rejects('"\\ud83d\\n"', 'unpaired high surrogate');
    rejects('"\ud83d"', 'unpaired high surrogate');
    rejects('"\ude00"', 'unpaired low surrogate');
  });

  it('names the offset and shows a preview of where it failed', () => {
    assert.throws(
      () => parseJson('{"a": 1, "b": tru}'),
      (e: unknown) =>
        isTlogError(e, 'response/malformed') &&
        e.details?.position === 14 &&
        /offset 14, near "tru}"/.test(e.message),
    );
  });
});

/** Depth of `[[[...]]]` (each array holding at most one array). */
function arrayDepth(v: JsonValue | undefined): number {
  let depth = 0;
  while (Array.isArray(v)) {
    depth++;
    v = v[0];
  }
  return depth;
}

describe('parseJson: resource limits', () => {
  it('accepts nesting up to maxDepth and refuses deeper', () => {
    assert.equal(arrayDepth(parseJson(`${'['.repeat(64)}${']'.repeat(64)}`)), 64);
    rejects(`${'['.repeat(65)}${']'.repeat(65)}`, 'nesting deeper than 64');
    rejects('{"a":{"b":{"c":1}}}', 'nesting deeper than 2', { maxDepth: 2 });
    assert.deepStrictEqual(parseJson('{"a":{"b":1}}', { maxDepth: 2 }), obj({ a: obj({ b: 1n }) }));
    rejects('[]', 'nesting deeper than 0', { maxDepth: 0 });
    assert.equal(parseJson('7', { maxDepth: 0 }), 7n);
  });

  it('refuses 100000 nested arrays without overflowing the stack, even with a huge maxDepth', () => {
    rejects('['.repeat(100_000), 'nesting deeper than 64');
    // The parser is iterative: a limit far beyond the call-stack depth still works.
    const deep = parseJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, { maxDepth: 100_000 });
    assert.equal(arrayDepth(deep), 100_000);
    rejects(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 'nesting deeper than 64');
  });

  it('parses a 10 MB string', () => {
    const body = 'abcdefghij'.repeat(1_000_000);
    const s = parseJson(`{"s": "${body}"}`) as Record<string, JsonValue>;
    assert.equal(s.s, body);
    // Many escapes: string building is linear (chunks joined once), and the result is exact.
    const escaped = 'a\\n'.repeat(1_000_000);
    const t = parseJson(`"${escaped}"`) as string;
    assert.equal(t.length, 2_000_000);
    assert.equal(t, 'a\n'.repeat(1_000_000));
  });

  it('parses a large array of many small values', () => {
    const n = 200_000;
    const v = parseJson(`[${Array.from({ length: n }, (_, i) => i).join(',')}]`) as bigint[];
    assert.equal(v.length, n);
    assert.equal(v[n - 1], BigInt(n - 1));
  });
});

// ---- property: parseJson(JSON.stringify(v)) equals v with integers as bigint ----

type Plain = null | boolean | string | number | Plain[] | { [k: string]: Plain };

/** The value parseJson must produce for JSON.stringify(v): integers as bigint, null-prototype objects. */
function expected(v: Plain): JsonValue {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(expected);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, JsonValue> = Object.create(null);
    for (const [k, x] of Object.entries(v)) out[k] = expected(x);
    return out;
  }
  return v;
}

const safeJson: fc.Arbitrary<Plain> = fc.letrec<{ value: Plain }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    fc.string({ unit: 'binary' }),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('parseJson: property', () => {
  it('round-trips JSON.stringify of random values (safe integers become bigint)', () => {
    fc.assert(
      fc.property(safeJson, (v) => {
        assert.deepStrictEqual(parseJson(JSON.stringify(v), { maxDepth: 1000 }), expected(v));
        assert.deepStrictEqual(parseJson(JSON.stringify(v, null, 2), { maxDepth: 1000 }), expected(v));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips fc.jsonValue restricted to safe integers', () => {
    const arb = fc.jsonValue({ maxDepth: 5, stringUnit: 'binary' }).filter(function onlySafe(
      v: unknown,
    ): boolean {
      if (typeof v === 'number') return !Number.isInteger(v) || Number.isSafeInteger(v);
      if (Array.isArray(v)) return v.every(onlySafe);
      if (v !== null && typeof v === 'object') return Object.values(v).every(onlySafe);
      return true;
    });
    fc.assert(
      fc.property(arb, (v) => {
        assert.deepStrictEqual(parseJson(JSON.stringify(v)), expected(v as Plain));
      }),
      { numRuns: 300 },
    );
  });

  it('reads raw string contents exactly as JSON.parse, refusing only unpaired surrogates', () => {
    const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    // Exercises both string paths: verbatim runs (one native search) and runs with an escape, a
    // control character or a surrogate (read character by character).
    const unit = fc.oneof(
      fc.constantFrom(
        '"',
        '\\',
        '\\"',
        '\\n',
        '\\u00e9',
        '\\ud83d',
        '\\ude00',
        '\n',
        '\u0001',
        '\ud83d',
        '\ude00',
        '\ud83d\ude00',
        'é',
        '—',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (parts) => {
        const text = `["${parts.join('')}"]`;
        let native: unknown;
        try {
          native = JSON.parse(text);
        } catch {
          native = undefined;
        }
        let ours: JsonValue | undefined;
        try {
          ours = parseJson(text);
        } catch (e) {
          assert.ok(isTlogError(e, 'response/malformed'), String(e));
        }
        const wellFormed = Array.isArray(native) && !LONE_SURROGATE.test(native[0] as string);
        assert.deepEqual(ours, wellFormed ? native : undefined, `text ${JSON.stringify(text)}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with JSON.parse on which random texts are valid (modulo documented strictness)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'[]{}",:0123456789-.eEtrufalsn \\') }), (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        let ours = true;
        try {
          parseJson(text);
        } catch (e) {
          assert.ok(isTlogError(e, 'response/malformed'), String(e));
          ours = false;
        }
        // Everything we accept, JSON.parse accepts (we are stricter, never looser).
        if (ours) assert.ok(native, `accepted invalid JSON ${JSON.stringify(text)}`);
      }),
      { numRuns: 2000 },
    );
  });
});
