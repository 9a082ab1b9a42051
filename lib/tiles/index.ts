/** Tile-based logs (c2sp.org/tlog-tiles, c2sp.org/static-ct-api): layout, reader, proofs, witnesses. */
export {
  encodeTileIndex,
  FULL_TILE_BYTES,
  fullTilePath,
  hashTilePath,
  locateNode,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileId,
  tileWidth,
} from './layout.ts';
export { EVIDENCE_TILE_BUDGET, type TileRootDiagnosis, tileProofEvidence } from './proof-evidence.ts';
export { TileHashSource } from './tile-hash-source.ts';
export { DEFAULT_TILE_CONCURRENCY, type ServedTile, TileReader, type TileReadStats } from './tile-reader.ts';
export { parseWitnessPolicy, verifyWitnesses, type Witness, type WitnessPolicy } from './witness-policy.ts';
