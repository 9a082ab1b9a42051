/**
 * The hash tile layout of c2sp.org/tlog-tiles ("Merkle Tree" and "Tile paths"), shared by
 * static-ct-api logs (c2sp.org/static-ct-api):
 * - tiles have height 8: the tile at level L, index N lists the hashes of the Merkle tree nodes
 *   at tree level 8·L with indices N·256 … N·256+255 (a full tile: 256 hashes, 8192 bytes);
 * - a partial tile lists only the first W (1 ≤ W < 256) of them and is served at `.p/<W>`;
 * - the index N is written in 3-digit path elements, all but the last prefixed with `x`:
 *   1234067 → `x001/x234/067`.
 * Widths are derived only from a tree size taken from a verified checkpoint.
 */
import { TlogError } from '../errors.ts';
import type { NodeId } from '../merkle/index.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const HASH_BYTES = 32;
export const FULL_TILE_BYTES = TILE_WIDTH * HASH_BYTES;

/** One hash tile: level L, index N, and how many hashes (W) it is read with. */
export interface TileId {
  readonly level: number;
  readonly index: bigint;
  /** 1 … 256; 256 is a full tile. */
  readonly width: number;
}

/** `x001/x234/067` for 1234067 (c2sp.org/tlog-tiles, "Tile paths"). */
export function encodeTileIndex(index: bigint): string {
  if (index < 0n) throw new TlogError('merkle/invalid-size', `tile index ${index} is negative`);
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift((n % 1000n).toString().padStart(3, '0'));
    n /= 1000n;
  } while (n > 0n);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** `tile/<L>/<N>` for a full tile, `tile/<L>/<N>.p/<W>` for a partial one (no leading slash). */
export function hashTilePath(tile: TileId): string {
  const base = `tile/${tile.level}/${encodeTileIndex(tile.index)}`;
  return tile.width === TILE_WIDTH ? base : `${base}.p/${tile.width}`;
}

/** The full-tile path of a tile (where a partial tile's hashes also live once it fills up). */
export function fullTilePath(tile: Omit<TileId, 'width'>): string {
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}`;
}

/**
 * The width of tile (level, index) in the tree of `treeSize` leaves: how many of its 256 nodes
 * are complete. Throws 'merkle/invalid-size' when the tile holds no complete node yet.
 */
export function tileWidth(level: number, index: bigint, treeSize: bigint): number {
  const nodes = treeSize >> BigInt(TILE_HEIGHT * level); // complete nodes at tree level 8·L
  const before = index * BigInt(TILE_WIDTH);
  if (nodes <= before) {
    throw new TlogError(
      'merkle/invalid-size',
      `tile ${level}/${index} is empty in a tree of size ${treeSize} (it starts at node ${before} of ${nodes})`,
    );
  }
  const w = nodes - before;
  return w >= BigInt(TILE_WIDTH) ? TILE_WIDTH : Number(w);
}

/** Where a perfect subtree's hash comes from: `count` consecutive hashes of one tile, folded. */
export interface NodeInTile {
  readonly level: number;
  readonly index: bigint;
  /** Position of the first hash within the tile. */
  readonly offset: number;
  /** 2^(node level − 8·L): the hashes whose perfect tree gives the node. */
  readonly count: number;
}

/**
 * Node (ℓ, i) with ℓ = 8·L + r is the root of the perfect tree over tree-level-8L nodes
 * i·2^r … (i+1)·2^r − 1, which all lie in one tile of level L (2^r ≤ 128 and aligned).
 */
export function locateNode(node: NodeId): NodeInTile {
  if (!Number.isInteger(node.level) || node.level < 0 || node.level >= 64 || node.index < 0n) {
    throw new TlogError(
      'merkle/invalid-size',
      `node (level ${node.level}, index ${node.index}) is out of range`,
    );
  }
  const level = Math.floor(node.level / TILE_HEIGHT);
  const r = node.level - level * TILE_HEIGHT;
  const first = node.index << BigInt(r);
  return {
    level,
    index: first / BigInt(TILE_WIDTH),
    offset: Number(first % BigInt(TILE_WIDTH)),
    count: 1 << r,
  };
}
