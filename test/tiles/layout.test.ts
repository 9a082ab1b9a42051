/** Tile paths and widths (c2sp.org/tlog-tiles) and where each perfect subtree lives. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isTlogError } from '../../lib/errors.ts';
import { encodeTileIndex, hashTilePath, locateNode, tileWidth } from '../../lib/tiles/layout.ts';

describe('tile layout', () => {
  it('encodes tile indices in 3-digit elements, all but the last prefixed with x', () => {
    assert.equal(encodeTileIndex(0n), '000');
    assert.equal(encodeTileIndex(67n), '067');
    assert.equal(encodeTileIndex(999n), '999');
    assert.equal(encodeTileIndex(1000n), 'x001/000');
    assert.equal(encodeTileIndex(1234067n), 'x001/x234/067');
    assert.equal(encodeTileIndex(2n ** 56n), 'x072/x057/x594/x037/x927/936');
    assert.throws(
      () => encodeTileIndex(-1n),
      (e) => isTlogError(e, 'merkle/'),
    );
  });

  it('decodes back to the index for any uint64-range index', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 56n }), (n) => {
        const p = encodeTileIndex(n);
        assert.match(p, /^(x[0-9]{3}\/)*[0-9]{3}$/);
        assert.equal(BigInt(p.replace(/x|\//g, '')), n);
      }),
    );
  });

  it('writes full tiles without a suffix and partial tiles with .p/<W>', () => {
    assert.equal(hashTilePath({ level: 0, index: 1234067n, width: 256 }), 'tile/0/x001/x234/067');
    assert.equal(hashTilePath({ level: 2, index: 5n, width: 17 }), 'tile/2/005.p/17');
  });

  it('derives widths from the tree size only', () => {
    assert.equal(tileWidth(0, 0n, 1n), 1);
    assert.equal(tileWidth(0, 0n, 256n), 256);
    assert.equal(tileWidth(0, 1n, 300n), 44);
    assert.equal(tileWidth(1, 0n, 70000n), 256);
    assert.equal(tileWidth(1, 1n, 70000n), 17); // 70000 >> 8 = 273 level-8 nodes
    assert.equal(tileWidth(2, 0n, 2n ** 17n + 5n), 2);
    assert.throws(
      () => tileWidth(0, 1n, 256n),
      (e) => isTlogError(e, 'merkle/invalid-size'),
    );
    assert.throws(
      () => tileWidth(1, 0n, 255n),
      (e) => isTlogError(e, 'merkle/invalid-size'),
    );
  });

  it('gives the widths of the spec examples (c2sp.org/static-ct-api, "Partial Tiles")', () => {
    // Size 70,000: 273 full level-0 tiles and one of width 112; one full level-1 tile and one of
    // width 17; one level-2 tile of width 1.
    assert.equal(tileWidth(0, 272n, 70000n), 256);
    assert.equal(tileWidth(0, 273n, 70000n), 112);
    assert.equal(tileWidth(1, 0n, 70000n), 256);
    assert.equal(tileWidth(1, 1n, 70000n), 17);
    assert.equal(tileWidth(2, 0n, 70000n), 1);
    for (const [level, index] of [
      [0, 274n],
      [1, 2n],
      [2, 1n],
      [3, 0n],
    ] as const) {
      assert.throws(
        () => tileWidth(level, index, 70000n),
        (e) => isTlogError(e, 'merkle/invalid-size'),
      );
    }
    // Size 256: a full level-0 tile and a level-1 tile of width 1.
    assert.equal(tileWidth(0, 0n, 256n), 256);
    assert.equal(tileWidth(1, 0n, 256n), 1);
  });

  it('locates a node in the one tile that holds the hashes it is folded from', () => {
    assert.deepEqual(locateNode({ level: 0, index: 300n }), { level: 0, index: 1n, offset: 44, count: 1 });
    assert.deepEqual(locateNode({ level: 3, index: 33n }), { level: 0, index: 1n, offset: 8, count: 8 });
    assert.deepEqual(locateNode({ level: 8, index: 5n }), { level: 1, index: 0n, offset: 5, count: 1 });
    assert.deepEqual(locateNode({ level: 15, index: 3n }), { level: 1, index: 1n, offset: 128, count: 128 });
    assert.deepEqual(locateNode({ level: 16, index: 1n }), { level: 2, index: 0n, offset: 1, count: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.bigInt({ min: 0n, max: 2n ** 20n }), (level, index) => {
        const at = locateNode({ level, index });
        assert.ok(at.offset + at.count <= 256);
        assert.equal(at.count, 2 ** (level % 8));
        assert.equal(at.index * 256n + BigInt(at.offset), index << BigInt(level % 8));
      }),
    );
    assert.throws(
      () => locateNode({ level: 64, index: 0n }),
      (e) => isTlogError(e, 'merkle/'),
    );
  });
});
