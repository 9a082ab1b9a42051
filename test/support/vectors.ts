/** Reads the real-world test vectors kept in the repository under `test/vectors/` (provenance: test/vectors/README.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VECTORS_ROOT = new URL('../vectors/', import.meta.url);

/** Absolute filesystem path of a vector file, e.g. vectorPath('note/real-checkpoints.json'). */
export function vectorPath(relPath: string): string {
  return fileURLToPath(new URL(relPath, VECTORS_ROOT));
}

/** Parses a JSON vector file. */
// biome-ignore lint/suspicious/noExplicitAny: vector files have per-file shapes; tests read them as data
export function readVector(relPath: string): any {
  return JSON.parse(readFileSync(vectorPath(relPath), 'utf8'));
}

/** Reads a vector file as text (e.g. a PEM key). */
export function readVectorText(relPath: string): string {
  return readFileSync(vectorPath(relPath), 'utf8');
}
