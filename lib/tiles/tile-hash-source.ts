/**
 * A HashSource (lib/merkle) over hash tiles: each perfect subtree a proof needs is read from the
 * one tile that holds it (c2sp.org/tlog-tiles, "Merkle Tree"), with tile widths derived from a
 * verified checkpoint's size, so every node asked for must be complete in that tree.
 */
import { TlogError } from '../errors.ts';
import type { HashSource, NodeId } from '../merkle/index.ts';
import { hashChildren } from '../merkle/index.ts';
import { HASH_BYTES, locateNode, type TileId, tileWidth } from './layout.ts';
import type { ServedTile, TileReader } from './tile-reader.ts';

export class TileHashSource implements HashSource {
  readonly #reader: TileReader;
  readonly #treeSize: bigint;
  readonly #fresh: boolean;
  /** Tiles this source has read (`L/N` → its hashes at the width for #treeSize). */
  readonly #local = new Map<string, Uint8Array>();
  /** Every tile answer the hashes came from, by path, in the order first used. */
  readonly served = new Map<string, ServedTile>();

  /**
   * `treeSize` must come from a verified checkpoint. `fresh`: tiles the reader cached before this
   * source existed are fetched again (each once; this source reuses what it has read).
   */
  constructor(reader: TileReader, treeSize: bigint, options: { fresh?: boolean } = {}) {
    this.#reader = reader;
    this.#treeSize = treeSize;
    this.#fresh = options.fresh ?? false;
  }

  async hashes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    const located = ids.map((id) => {
      const at = locateNode(id);
      const width = tileWidth(at.level, at.index, this.#treeSize);
      if (at.offset + at.count > width) {
        throw new TlogError(
          'merkle/invalid-size',
          `node (level ${id.level}, index ${id.index}) is not complete in a tree of size ${this.#treeSize}`,
        );
      }
      return { at, tile: { level: at.level, index: at.index, width } satisfies TileId };
    });
    const missing = new Map<string, TileId>();
    for (const { tile } of located) {
      const k = `${tile.level}/${tile.index}`;
      if (!this.#local.has(k)) missing.set(k, tile);
    }
    if (missing.size > 0) {
      const { hashes, served } = await this.#reader.readAll([...missing.values()], this.#fresh);
      for (const [k, h] of hashes) this.#local.set(k, h);
      for (const [path, s] of served) this.served.set(path, s);
    }
    return located.map(({ at }) => {
      const data = this.#local.get(`${at.level}/${at.index}`) as Uint8Array;
      return foldPerfect(data.subarray(at.offset * HASH_BYTES, (at.offset + at.count) * HASH_BYTES));
    });
  }
}

/** Root of the perfect tree whose 2^k bottom hashes are concatenated in `bytes` (RFC 9162 §2.1.1). */
function foldPerfect(bytes: Uint8Array): Uint8Array {
  let row: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += HASH_BYTES) row.push(bytes.slice(i, i + HASH_BYTES));
  while (row.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2)
      up.push(hashChildren(row[i] as Uint8Array, row[i + 1] as Uint8Array));
    row = up;
  }
  return row[0] as Uint8Array;
}
