/**
 * The repository stands alone: a clone runs its tests and reads its contracts with nothing
 * beside it. No file may read or link the workspace folder outside the repository that the
 * project grew up next to (its design notes and vectors now live in docs/ and test/vectors/).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Built, installed or generated: not the repository's own text. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'cdk.out', '.tlog-monitor-state', 'coverage']);
// Spelled in pieces so that this file does not match itself.
const OUTSIDE = ['..', 'shared'].join('/');
const NEEDLES = [OUTSIDE, ['shared', 'vectors'].join('/'), ['shared', 'docs/contracts.md'].join('/')];

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

it('no file in the repository reads or links the folder beside it', () => {
  const found: string[] = [];
  let scanned = 0;
  for (const path of files(ROOT)) {
    const text = readFileSync(path).toString('latin1');
    scanned++;
    for (const needle of NEEDLES) {
      const at = text.indexOf(needle);
      if (at >= 0) {
        const line = text.slice(0, at).split('\n').length;
        found.push(`${relative(ROOT, path)}:${line}: ${needle}`);
      }
    }
  }
  assert.ok(scanned > 100, `scanned only ${scanned} files under ${ROOT}`);
  assert.deepEqual(found, []);
});
