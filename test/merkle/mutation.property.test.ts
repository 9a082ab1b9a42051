/**
 * Any damage to a valid proof is caught with a TlogError: a flipped bit anywhere, a dropped,
 * added or duplicated hash, two hashes swapped, a wrong leaf index. A wrong tree size is caught
 * unless it has the same RFC proof shape (rfc-shape.ts): then the verifier does the very same
 * hashing, and accepting is correct — the root, not the size, is what a proof binds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TlogError } from '../../lib/errors.ts';
import {
  consistencyProof,
  inclusionProof,
  MAX_TREE_SIZE,
  MemoryHashSource,
  verifyConsistency,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { errorCodeOf, expectTlogError, flipBit, pseudoRandomHashes } from './helpers.ts';
import { consistencyOps, inclusionDirections } from './rfc-shape.ts';

const N = 100_000;
const leaves = pseudoRandomHashes(N, 77);
const tree = new MemoryHashSource(leaves);
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const otherSize = fc.oneof(
  fc.integer({ min: 0, max: N + 100 }).map(BigInt),
  fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
);

type Damage =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'drop'; at: number }
  | { kind: 'insert'; at: number; extra: Uint8Array }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; a: number; b: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(255) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), extra: hash32 }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
);

/**
 * Applies `d` to [...proof, ...extras] (extras = leaf/roots, which only `flip` touches). Returns
 * the damaged lists and the error code it must cause, or undefined when `d` cannot apply.
 */
function apply(d: Damage, proof: Uint8Array[], extras: Uint8Array[]) {
  const p = [...proof];
  const x = [...extras];
  const len = p.length;
  switch (d.kind) {
    case 'flip': {
      const t = d.at % (len + x.length);
      if (t < len) p[t] = flipBit(p[t] as Uint8Array, d.bit);
      else x[t - len] = flipBit(x[t - len] as Uint8Array, d.bit);
      return { p, x, code: 'merkle/root-mismatch' as const };
    }
    case 'drop':
      if (len === 0) return undefined;
      p.splice(d.at % len, 1);
      return { p, x, code: 'merkle/proof-length' as const };
    case 'insert':
      p.splice(d.at % (len + 1), 0, d.extra);
      return { p, x, code: 'merkle/proof-length' as const };
    case 'duplicate': {
      if (len === 0) return undefined;
      const at = d.at % len;
      p.splice(at, 0, p[at] as Uint8Array);
      return { p, x, code: 'merkle/proof-length' as const };
    }
    case 'swap': {
      if (len < 2) return undefined;
      const a = d.a % len;
      const b = (a + 1 + (d.b % (len - 1))) % len;
      [p[a], p[b]] = [p[b] as Uint8Array, p[a] as Uint8Array];
      return { p, x, code: 'merkle/root-mismatch' as const };
    }
  }
}

const leafIn = fc
  .integer({ min: 1, max: N })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));
const sizePair = fc
  .integer({ min: 2, max: N })
  .chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));

describe('damaged inclusion proofs fail', () => {
  it('bit flips (proof, leaf, root), dropped, inserted, duplicated and swapped hashes', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(leafIn, damage, async ([n, i], d) => {
        const proof = await inclusionProof(BigInt(i), BigInt(n), tree);
        const r = apply(d, proof, [leaves[i] as Uint8Array, tree.root(BigInt(n))]);
        if (r === undefined) return;
        applied++;
        const [leaf, root] = r.x as [Uint8Array, Uint8Array];
        expectTlogError(() => verifyInclusion(BigInt(i), BigInt(n), leaf, r.p, root), r.code);
      }),
      { numRuns: 400 },
    );
    assert.ok(applied > 200, `only ${applied} runs applied a damage`);
  });

  it('a wrong leaf index', async () => {
    await fc.assert(
      fc.asyncProperty(leafIn, fc.nat(), async ([n, i], other) => {
        const proof = await inclusionProof(BigInt(i), BigInt(n), tree);
        const root = tree.root(BigInt(n));
        // Any other index in the tree, or just past its end.
        const j = n === 1 ? 1 : (i + 1 + (other % (n - 1))) % n;
        expectTlogError(() => verifyInclusion(BigInt(j), BigInt(n), leaves[i] as Uint8Array, proof, root));
      }),
      { numRuns: 200 },
    );
  });

  it('a wrong tree size, unless it has the same PATH shape', async () => {
    let sameShape = 0;
    const codes = new Set<string | undefined>();
    await fc.assert(
      fc.asyncProperty(leafIn, otherSize, async ([n, i], other) => {
        const size = other === BigInt(n) ? other + 1n : other;
        const proof = await inclusionProof(BigInt(i), BigInt(n), tree);
        const code = errorCodeOf(() =>
          verifyInclusion(BigInt(i), size, leaves[i] as Uint8Array, proof, tree.root(BigInt(n))),
        );
        codes.add(code);
        if (BigInt(i) >= size) return assert.equal(code, 'merkle/invalid-size');
        const same = inclusionDirections(BigInt(i), size) === inclusionDirections(BigInt(i), BigInt(n));
        if (same) sameShape++;
        assert.equal(code === undefined, same, `leaf ${i}: size ${n} → ${size} gave ${code ?? 'no error'}`);
      }),
      { numRuns: 400 },
    );
    assert.ok(sameShape > 0, 'no run hit a same-shape size');
    // For a fixed leaf, a PATH of the same length always has the same shape (the extra inner levels
    // would be 1 bits of the index, i.e. left siblings, exactly as on the border), so a wrong size
    // fails on length or not at all — never with a root mismatch.
    assert.ok(codes.has('merkle/proof-length') && !codes.has('merkle/root-mismatch'), [...codes].join());
  });
});

describe('damaged consistency proofs fail', () => {
  it('bit flips (proof, both roots), dropped, inserted, duplicated and swapped hashes', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(sizePair, damage, async ([m, n], d) => {
        const proof = await consistencyProof(BigInt(m), BigInt(n), tree);
        const r = apply(d, proof, [tree.root(BigInt(m)), tree.root(BigInt(n))]);
        if (r === undefined) return;
        applied++;
        const [root1, root2] = r.x as [Uint8Array, Uint8Array];
        expectTlogError(() => verifyConsistency(BigInt(m), BigInt(n), root1, root2, r.p), r.code);
      }),
      { numRuns: 400 },
    );
    assert.ok(applied > 200, `only ${applied} runs applied a damage`);
  });

  it('a wrong size1 or size2, unless it has the same PROOF shape', async () => {
    let sameShape = 0;
    const codes = new Set<string | undefined>();
    await fc.assert(
      fc.asyncProperty(sizePair, otherSize, fc.boolean(), async ([m, n], other, first) => {
        const proof = await consistencyProof(BigInt(m), BigInt(n), tree);
        let s1 = BigInt(m);
        let s2 = BigInt(n);
        if (first) s1 = other === s1 ? other + 1n : other;
        else s2 = other === s2 ? other + 1n : other;
        const code = errorCodeOf(() =>
          verifyConsistency(s1, s2, tree.root(BigInt(m)), tree.root(BigInt(n)), proof),
        );
        codes.add(code);
        if (s1 > s2) return assert.equal(code, 'merkle/invalid-size');
        // The proof is not empty (m < n), so size1 = 0 and size1 = size2 must fail on its length.
        if (s1 === 0n || s1 === s2) return assert.equal(code, 'merkle/proof-length');
        const same = consistencyOps(s1, s2) === consistencyOps(BigInt(m), BigInt(n));
        if (same) sameShape++;
        assert.equal(code === undefined, same, `${m}→${n} as ${s1}→${s2} gave ${code ?? 'no error'}`);
      }),
      { numRuns: 400 },
    );
    assert.ok(sameShape > 0, 'no run hit a same-shape size pair');
    assert.ok(codes.has('merkle/proof-length') && codes.has('merkle/root-mismatch'), [...codes].join());
  });
});

describe('errors are TlogErrors, never crashes', () => {
  it('random junk proofs of random lengths for random sizes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 70 }),
        hash32,
        hash32,
        (a, b, proof, h1, h2) => {
          for (const f of [
            () => verifyInclusion(a, b, h1, proof, h2),
            () => verifyConsistency(a, b, h1, h2, proof),
            () => verifyConsistency(...(a < b ? ([a, b] as const) : ([b, a] as const)), h1, h2, proof),
          ]) {
            try {
              f();
            } catch (e) {
              assert.ok(e instanceof TlogError, String(e));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
