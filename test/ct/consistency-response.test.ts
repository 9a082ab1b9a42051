import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toBase64 } from '../../lib/bytes.ts';
import { parseGetSthConsistencyResponse } from '../../lib/ct/consistency-response.ts';
import { isTlogError } from '../../lib/errors.ts';
import { readVector } from '../support/vectors.ts';

const hash = (i: number) => toBase64(new Uint8Array(32).fill(i));
const malformed = (re: RegExp) => (e: unknown) => isTlogError(e, 'response/malformed') && re.test(e.message);

describe('parseGetSthConsistencyResponse (RFC 6962 §4.4)', () => {
  it('parses the 3 consistency proofs of ct/proofs.json (the Icarus one verbatim as served)', () => {
    const list: Array<{ rawJSON?: string; consistency?: string[]; consistencyHex?: string[] }> =
      readVector('ct/proofs.json').consistency;
    assert.equal(list.length, 3);
    for (const p of list) {
      const expected = p.consistency ?? (p.consistencyHex ?? []).map((h) => toBase64(fromHex(h)));
      assert.ok(expected.length > 0);
      const body = p.rawJSON ?? JSON.stringify({ consistency: expected });
      assert.deepEqual(parseGetSthConsistencyResponse(body).map(toBase64), expected);
    }
    assert.equal(parseGetSthConsistencyResponse(list[0]?.rawJSON ?? '').length, 24);
  });

  it('parses hashes in order, accepts empty and null as an empty proof', () => {
    const out = parseGetSthConsistencyResponse(`{"consistency":["${hash(1)}","${hash(2)}"]}`);
    assert.equal(out.length, 2);
    assert.equal(out[0]?.[0], 1);
    assert.equal(out[1]?.[31], 2);
    assert.deepEqual(parseGetSthConsistencyResponse('{"consistency":[]}'), []);
    assert.deepEqual(parseGetSthConsistencyResponse('{"consistency":null}'), []);
  });

  it('accepts 64 hashes and refuses 65', () => {
    const many = (n: number) => JSON.stringify({ consistency: Array.from({ length: n }, (_, i) => hash(i)) });
    assert.equal(parseGetSthConsistencyResponse(many(64)).length, 64);
    assert.throws(() => parseGetSthConsistencyResponse(many(65)), malformed(/at most 64 hashes, got 65/));
  });

  it('refuses wrong lengths, non-base64, wrong types and bad JSON', () => {
    const short = toBase64(new Uint8Array(31));
    assert.throws(
      () => parseGetSthConsistencyResponse(`{"consistency":["${hash(1)}","${short}"]}`),
      malformed(/consistency\[1\]: expected base64 of exactly 32 bytes, got 31 bytes/),
    );
    assert.throws(
      () => parseGetSthConsistencyResponse('{"consistency":["not base64!"]}'),
      malformed(/consistency\[0\]: expected base64/),
    );
    assert.throws(
      () => parseGetSthConsistencyResponse('{"consistency":[1]}'),
      malformed(/consistency\[0\].*got integer 1/),
    );
    assert.throws(
      () => parseGetSthConsistencyResponse('{"consistency":"x"}'),
      malformed(/consistency: expected an array/),
    );
    assert.throws(() => parseGetSthConsistencyResponse('{}'), malformed(/consistency: .*absent/));
    assert.throws(() => parseGetSthConsistencyResponse('[]'), malformed(/expected an object/));
    assert.throws(
      () => parseGetSthConsistencyResponse(`{"consistency":[],"consistency":["${hash(1)}"]}`),
      malformed(/duplicate key "consistency"/),
    );
    assert.throws(() => parseGetSthConsistencyResponse('{"consistency":[]} junk'), malformed(/trailing/));
  });
});
