import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../lib/bytes.ts';
import { nativeLeafHasher, nativeNodeHasher } from '../../lib/local/native-leaf-hasher.ts';
import {
  CompactRange,
  compactRangeRoot,
  hashChildren,
  hashLeaf,
  inclusionProofLength,
  type NodeHasher,
  rootFromInclusionProof,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { expectTlogError } from '../merkle/helpers.ts';
import { readVector } from '../support/vectors.ts';

// biome-ignore lint/suspicious/noExplicitAny: vector files are plain JSON data
type Json = any;

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Every Rekor v1 and v2 entry of the vectors with an inclusion proof. */
function realEntries() {
  return [
    'rekor/checkpoints-v1-production.json',
    'rekor/checkpoints-v1-other-instances.json',
    'tiles/rekor-v2-checkpoints.json',
  ].flatMap((file) =>
    (readVector(file).entries as Json[])
      .filter((e) => e.inclusionProof !== undefined)
      .map((e) => ({
        body: b64(e.canonicalizedBody),
        leafHashHex: e.leafHashHex as string,
        index: BigInt(e.inclusionProof.logIndex),
        size: BigInt(e.inclusionProof.treeSize),
        root: b64(e.inclusionProof.rootHash),
        proof: (e.inclusionProof.hashes as string[]).map(b64),
      })),
  );
}

describe('node:crypto hashers injected into lib/merkle inclusion (RFC 9162 §2.1.1, §2.1.3.2)', () => {
  it('give the same hashes as lib/merkle for any input', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (d, h) => {
          assert.equal(toHex(nativeLeafHasher(d)), toHex(hashLeaf(d)));
          assert.equal(toHex(nativeNodeHasher(h, d)), toHex(hashChildren(h, d)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('verify the inclusion of every real Rekor entry, and reject it with one bit flipped', () => {
    const entries = realEntries();
    assert.equal(entries.length, 42);
    for (const e of entries) {
      const leaf = nativeLeafHasher(e.body);
      assert.equal(toHex(leaf), e.leafHashHex);
      verifyInclusion(e.index, e.size, leaf, e.proof, e.root, nativeNodeHasher);
      if (e.proof.length === 0) continue;
      const bad = e.proof.map((p) => p.slice());
      (bad[0] as Uint8Array)[0] = ((bad[0] as Uint8Array)[0] as number) ^ 1;
      expectTlogError(
        () => verifyInclusion(e.index, e.size, leaf, bad, e.root, nativeNodeHasher),
        'merkle/root-mismatch',
      );
    }
  });

  it('the injected node hasher computes every interior hash of the path', () => {
    const e = realEntries()[0] as ReturnType<typeof realEntries>[number];
    let calls = 0;
    const counting: NodeHasher = (l, r) => {
      calls++;
      return nativeNodeHasher(l, r);
    };
    const root = rootFromInclusionProof(e.index, e.size, nativeLeafHasher(e.body), e.proof, counting);
    assert.equal(toHex(root), toHex(e.root));
    assert.equal(calls, inclusionProofLength(e.index, e.size));
    assert.ok(calls > 0);
  });

  it('a compact range folded with the native node hasher has the same nodes and root, and uses it for every merge', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 70 }), fc.nat(5), (leaves, at) => {
        let merges = 0;
        const counting: NodeHasher = (l, r) => {
          merges++;
          return nativeNodeHasher(l, r);
        };
        const native = CompactRange.empty(BigInt(at) * 64n, counting);
        const portable = CompactRange.empty(BigInt(at) * 64n);
        for (const leaf of leaves) {
          native.append(nativeLeafHasher(leaf));
          portable.append(hashLeaf(leaf));
        }
        assert.deepEqual(native.nodes().map(toHex), portable.nodes().map(toHex));
        // n leaves appended to an aligned start leave popcount(n) nodes: n − popcount(n) merges.
        const n = leaves.length;
        assert.equal(merges, n - n.toString(2).replaceAll('0', '').length);
        if (at === 0) assert.equal(toHex(compactRangeRoot(native)), toHex(compactRangeRoot(portable)));
      }),
      { numRuns: 200 },
    );
  });
});
