import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../lib/bytes.ts';
import {
  EMPTY_ROOT,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  MemoryHashSource,
  treeRoot,
} from '../../lib/merkle/index.ts';
import { referenceRoot, referenceRootFromData } from '../support/merkle-reference.ts';
import { readVector } from '../support/vectors.ts';
import { hex } from './helpers.ts';

// RFC 6962 reference tree from transparency-dev/merkle: 8 leaves, node hashes, roots of sizes 0..8.
const v = readVector('merkle/rfc6962-reference.json');
const leaves: Uint8Array[] = v.leaves.map(hex);
const leafHashes: Uint8Array[] = v.leafHashes.map(hex);

describe('RFC 9162 §2.1.1 hashing', () => {
  it('EMPTY_ROOT is SHA-256 of nothing and the vector root of size 0', () => {
    assert.equal(HASH_SIZE, 32);
    assert.equal(toHex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(EMPTY_ROOT), v.rootHashes[0].rootHash);
  });

  it('hashLeaf gives the 8 vector leaf hashes', () => {
    assert.equal(leaves.length, 8);
    leaves.forEach((leaf, i) => {
      assert.equal(toHex(hashLeaf(leaf)), v.leafHashes[i]);
    });
  });

  it('hashChildren gives every vector node hash from the level below', () => {
    let checked = 0;
    for (let level = 1; level < v.nodeHashesByLevel.length; level++) {
      const below: string[] = v.nodeHashesByLevel[level - 1];
      v.nodeHashesByLevel[level].forEach((h: string, i: number) => {
        assert.equal(toHex(hashChildren(hex(below[2 * i] as string), hex(below[2 * i + 1] as string))), h);
        checked++;
      });
    }
    assert.equal(checked, 4 + 2 + 1);
  });

  it('leaf and node hashes are domain-separated', () => {
    const a = hashLeaf(new Uint8Array(64));
    const b = hashChildren(new Uint8Array(32), new Uint8Array(32));
    assert.notEqual(toHex(a), toHex(b));
  });
});

describe('tree roots of sizes 0..8', () => {
  it('MemoryHashSource.root, treeRoot and the reference agree with every vector root', async () => {
    assert.equal(v.rootHashes.length, 9);
    const source = new MemoryHashSource(leafHashes);
    for (const { treeSize, rootHash } of v.rootHashes) {
      const n = Number(treeSize);
      assert.equal(toHex(source.root(BigInt(n))), rootHash, `MemoryHashSource size ${n}`);
      assert.equal(toHex(await treeRoot(BigInt(n), source)), rootHash, `treeRoot size ${n}`);
      assert.equal(toHex(referenceRoot(leafHashes.slice(0, n))), rootHash, `reference size ${n}`);
      assert.equal(
        toHex(referenceRootFromData(leaves.slice(0, n))),
        rootHash,
        `reference over data size ${n}`,
      );
    }
  });

  it('MemoryHashSource keeps every perfect node of the vector tree', () => {
    const source = new MemoryHashSource(leafHashes);
    v.nodeHashesByLevel.forEach((row: string[], level: number) => {
      row.forEach((h, i) => {
        assert.equal(toHex(source.node({ level, index: BigInt(i) })), h);
      });
    });
  });
});
