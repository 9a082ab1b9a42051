import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTlogError } from '../../lib/errors.ts';
import {
  asBigInt,
  asObject,
  describeJson,
  fieldPath,
  getArray,
  getBase64,
  getBigInt,
  getBoolean,
  getObjectField,
  getOptionalArray,
  getOptionalBigInt,
  getOptionalObject,
  getOptionalString,
  getString,
  U64_MAX,
} from '../../lib/json/access.ts';
import { parseJson } from '../../lib/json/parse.ts';

function malformed(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isTlogError(e, 'response/malformed'), `expected response/malformed, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

const doc = asObject(
  parseJson(
    '{"tree_size": 18446744073709551615, "name": "log", "ok": true, "neg": -3, "float": 1.5, "exp": 1e3,' +
      ' "big": 18446744073709551616, "str": "abc", "nul": null, "root": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",' +
      ' "proof": {"hashes": ["AA==", 7]}, "list": [1, 2]}',
  ),
  '',
);

describe('json accessors', () => {
  it('reads well-typed fields', () => {
    assert.equal(getBigInt(doc, 'tree_size'), U64_MAX);
    assert.equal(getBigInt(doc, 'tree_size', '', { max: U64_MAX }), U64_MAX);
    assert.equal(getString(doc, 'name'), 'log');
    assert.equal(getBoolean(doc, 'ok'), true);
    assert.deepEqual(getArray(doc, 'list'), [1n, 2n]);
    assert.equal(getBase64(doc, 'root', '', 32).length, 32);
    assert.equal(getBigInt(doc, 'neg', '', { min: null }), -3n);
    assert.equal(getBigInt(doc, 'neg', '', { min: -3n, max: 0n }), -3n);
    const proof = getObjectField(doc, 'proof');
    assert.equal(getArray(proof, 'hashes', 'proof').length, 2);
  });

  it('names the field path, the expectation and the actual value', () => {
    malformed(() => getBigInt(doc, 'str'), 'str: expected a non-negative integer, got string "abc"');
    malformed(() => getBigInt(doc, 'neg'), 'neg: expected a non-negative integer, got integer -3');
    malformed(() => getBigInt(doc, 'float'), 'float: expected a non-negative integer, got number 1.5');
    malformed(() => getBigInt(doc, 'exp'), 'exp: expected a non-negative integer, got number 1000');
    malformed(
      () => getBigInt(doc, 'big', '', { max: U64_MAX }),
      'big: expected an integer from 0 to 18446744073709551615, got integer 18446744073709551616',
    );
    malformed(
      () => getBigInt(doc, 'missing'),
      'missing: expected a non-negative integer, got nothing (field absent)',
    );
    malformed(() => getString(doc, 'nul'), 'nul: expected a string, got null');
    malformed(() => getString(doc, 'list'), 'list: expected a string, got array of 2');
    malformed(() => getArray(doc, 'proof'), 'proof: expected an array, got object');
    malformed(() => getBoolean(doc, 'str'), 'str: expected a boolean, got string "abc"');
    malformed(() => asObject(parseJson('[1]'), ''), '(top level): expected an object, got array of 1');
    malformed(() => asObject(parseJson('[1]'), 'body'), 'body: expected an object, got array of 1');
    malformed(() => getBigInt(doc, 'neg', '', { min: 0n, max: 10n }), /from 0 to 10, got integer -3/);
  });

  it('checks base64 strictly and its decoded length', () => {
    malformed(
      () => getBase64(doc, 'str', '', 32),
      'str: expected base64 of exactly 32 bytes, got string "abc" (not padded standard base64)',
    );
    malformed(
      () => getBase64(doc, 'root', '', 31),
      'root: expected base64 of exactly 31 bytes, got 32 bytes',
    );
    malformed(() => getBase64(doc, 'neg'), 'neg: expected base64, got integer -3');
  });

  it('builds nested paths', () => {
    assert.equal(fieldPath('', 'a'), 'a');
    assert.equal(fieldPath('a', 'b'), 'a.b');
    assert.equal(fieldPath('a.b', 3), 'a.b[3]');
    const proof = getObjectField(doc, 'proof');
    malformed(() => getString(proof, 'hashes', 'proof'), 'proof.hashes: expected a string, got array of 2');
    const hashes = getArray(proof, 'hashes', 'proof');
    malformed(() => asBigInt(hashes[0], fieldPath('proof.hashes', 0)), /^proof\.hashes\[0\]: expected/);
  });

  it('reads optional fields: absent or null is undefined, a wrong type still fails', () => {
    assert.equal(getOptionalString(doc, 'missing'), undefined);
    assert.equal(getOptionalString(doc, 'nul'), undefined);
    assert.equal(getOptionalString(doc, 'name'), 'log');
    assert.equal(getOptionalBigInt(doc, 'tree_size'), U64_MAX);
    assert.equal(getOptionalArray(doc, 'nul'), undefined);
    assert.ok(getOptionalObject(doc, 'proof'));
    malformed(() => getOptionalString(doc, 'neg'), 'neg: expected a string, got integer -3');
    malformed(() => getOptionalBigInt(doc, 'neg'), 'neg: expected a non-negative integer, got integer -3');
    malformed(() => getOptionalObject(doc, 'list'), 'list: expected an object, got array of 2');
  });

  it('does not read inherited properties', () => {
    const o = asObject(parseJson('{}'), '');
    malformed(() => getString(o, 'toString'), /toString: expected a string, got nothing/);
  });

  it('describes values briefly', () => {
    assert.equal(describeJson(10n ** 60n), `integer ${'1'.padEnd(40, '0')}… (61 digits)`);
    assert.equal(describeJson('x'.repeat(100)).length < 60, true);
  });
});
