/**
 * The `raw` of a consistency proof computed from tiles: the proof hashes and the tiles they were
 * computed from, exactly as served, so a proof that fails against the signed roots shows which
 * tiles contradict them. Tile bytes beyond a budget are recorded by SHA-256 only, to keep the
 * evidence storable (DynamoDB items are at most 400 KB).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64, toHex } from '../bytes.ts';
import type { ServedTile } from './tile-reader.ts';

/** Tile bytes kept in full in one piece of evidence (base64 grows it by a third). */
export const EVIDENCE_TILE_BUDGET = 96 * 1024;

/**
 * On a re-fetch (the first proof failed): the roots the tiles give for both sizes, and whether
 * each equals its signed root. Tiles that contradict the new signed root were served wrongly
 * (or the new head is not the tree behind them); tiles that match the new root but not the
 * stored one show two signed heads that no single history explains.
 */
export interface TileRootDiagnosis {
  readonly firstRootFromTiles: string;
  readonly tilesMatchFirst: boolean;
  readonly secondRootFromTiles: string;
  readonly tilesMatchSecond: boolean;
}

export function tileProofEvidence(
  first: bigint,
  second: bigint,
  hashes: readonly Uint8Array[],
  served: Iterable<ServedTile>,
  diagnosis?: TileRootDiagnosis,
): string {
  const tiles: Record<string, string> = {};
  const digests: Record<string, string> = {};
  let budget = EVIDENCE_TILE_BUDGET;
  for (const t of served) {
    if (t.bytes.length <= budget) {
      tiles[t.path] = toBase64(t.bytes);
      budget -= t.bytes.length;
    } else digests[t.path] = `sha256:${toHex(sha256(t.bytes))}`;
  }
  return JSON.stringify({
    computedFrom: 'tiles',
    first: first.toString(),
    second: second.toString(),
    hashes: hashes.map(toBase64),
    tiles,
    ...(Object.keys(digests).length > 0 ? { tileDigests: digests } : {}),
    ...(diagnosis ? { diagnosis } : {}),
  });
}
