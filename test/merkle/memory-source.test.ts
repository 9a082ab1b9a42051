import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  consistencyProof,
  type HashSource,
  hashLeaf,
  inclusionProof,
  MemoryHashSource,
  type NodeId,
  treeRoot,
  verifyInclusion,
} from '../../lib/merkle/index.ts';
import { referenceRoot } from '../support/merkle-reference.ts';
import { expectTlogError, pseudoRandomHashes } from './helpers.ts';

const leaves = pseudoRandomHashes(300, 3);

/** Wraps a source, recording each batch of ids asked for. */
function recording(inner: HashSource): { source: HashSource; calls: NodeId[][] } {
  const calls: NodeId[][] = [];
  return {
    calls,
    source: {
      hashes: (ids) => {
        calls.push([...ids]);
        return inner.hashes(ids);
      },
    },
  };
}

describe('MemoryHashSource', () => {
  it('gives the reference root for every prefix while leaves are appended one by one', () => {
    const source = new MemoryHashSource();
    assert.equal(source.size, 0n);
    for (let n = 1; n <= 130; n++) {
      source.append(leaves[n - 1] as Uint8Array);
      assert.equal(source.size, BigInt(n));
      assert.equal(toHex(source.root()), toHex(referenceRoot(leaves.slice(0, n))), `size ${n}`);
    }
    // Earlier sizes stay answerable after growth.
    assert.equal(toHex(source.root(77n)), toHex(referenceRoot(leaves.slice(0, 77))));
  });

  it('appendData hashes the leaf as SHA-256(0x00 ‖ data)', () => {
    const a = new MemoryHashSource();
    a.appendData(new Uint8Array([1, 2, 3]));
    assert.equal(toHex(a.node({ level: 0, index: 0n })), toHex(hashLeaf(new Uint8Array([1, 2, 3]))));
  });

  it('does not alias the caller’s leaf buffer', () => {
    const leaf = (leaves[0] as Uint8Array).slice();
    const source = new MemoryHashSource([leaf]);
    leaf[0] = (leaf[0] as number) ^ 1;
    assert.notEqual(toHex(source.root()), toHex(leaf));
  });

  it('refuses incomplete or absent nodes and bad leaf hashes', () => {
    const source = new MemoryHashSource(leaves.slice(0, 5));
    assert.equal(toHex(source.node({ level: 2, index: 0n })), toHex(referenceRoot(leaves.slice(0, 4))));
    expectTlogError(() => source.node({ level: 2, index: 1n }), 'merkle/invalid-size'); // leaves 4..7: incomplete
    expectTlogError(() => source.node({ level: 3, index: 0n }), 'merkle/invalid-size');
    expectTlogError(() => source.node({ level: 0, index: 5n }), 'merkle/invalid-size');
    expectTlogError(() => source.node({ level: 0, index: -1n }), 'merkle/invalid-size');
    expectTlogError(() => source.root(6n), 'merkle/invalid-size');
    expectTlogError(() => source.append(new Uint8Array(31)), 'merkle/invalid-hash');
  });

  it('builds 10^5 leaves and serves proofs over them', async () => {
    const big = pseudoRandomHashes(100_000, 11);
    const source = new MemoryHashSource(big);
    assert.equal(source.size, 100_000n);
    assert.equal(toHex(source.root()), toHex(referenceRoot(big)));
    // Leaf 0 has a sibling on each of the 17 levels; the last leaf only a left sibling per 1 bit of 99999 (10).
    assert.equal((await inclusionProof(0n, 100_000n, source)).length, 17);
    assert.equal((await inclusionProof(99_999n, 100_000n, source)).length, 10);
    verifyInclusion(
      99_999n,
      100_000n,
      big[99_999] as Uint8Array,
      await inclusionProof(99_999n, 100_000n, source),
      source.root(),
    );
  });
});

describe('proof generation from a HashSource', () => {
  const memory = new MemoryHashSource(leaves);

  it('asks for all nodes in one batch, and only complete perfect subtrees', async () => {
    const { source, calls } = recording(memory);
    await inclusionProof(6n, 299n, source);
    await consistencyProof(7n, 299n, source);
    await treeRoot(299n, source);
    assert.equal(calls.length, 3);
    for (const batch of calls) {
      assert.ok(batch.length > 0);
      for (const id of batch) {
        const end = (id.index + 1n) << BigInt(id.level);
        assert.ok(end <= 299n, `node (${id.level}, ${id.index}) goes past the tree`);
      }
    }
  });

  it('asks nothing for empty proofs and the empty tree', async () => {
    const { source, calls } = recording(memory);
    assert.deepEqual(await inclusionProof(0n, 1n, source), []);
    assert.deepEqual(await consistencyProof(4n, 4n, source), []);
    assert.deepEqual(await consistencyProof(0n, 4n, source), []);
    assert.equal(toHex(await treeRoot(0n, source)), toHex(referenceRoot([])));
    assert.equal(calls.length, 0);
  });

  it('rejects a source that answers the wrong number of hashes or non-hashes', async () => {
    const short: HashSource = { hashes: async (ids) => (await memory.hashes(ids)).slice(1) };
    await assert.rejects(inclusionProof(6n, 299n, short), { code: 'response/malformed' });
    const truncating: HashSource = {
      hashes: async (ids) => (await memory.hashes(ids)).map((h) => h.subarray(1)),
    };
    await assert.rejects(consistencyProof(6n, 299n, truncating), { code: 'merkle/invalid-hash' });
  });

  it('propagates the source’s error for nodes it lacks', async () => {
    await assert.rejects(inclusionProof(3n, 301n, memory), { code: 'merkle/invalid-size' });
  });
});
