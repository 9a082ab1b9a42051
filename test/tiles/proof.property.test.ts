/**
 * Property tests of consistency proofs computed from tiles, on a generated log of 2^17 + 4321
 * leaves (level-0, -1 and -2 tiles, full and partial): for random (old, new) sizes the proof
 * verifies against both roots and equals the proof computed from the tree itself; and any tile
 * mutation that changes the proof makes it fail to verify (a lying tile is always caught).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bytesEqual } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import type { VerifiedHead } from '../../lib/logs/log-client.ts';
import { tileLogClient } from '../../lib/logs/tiles.ts';
import { consistencyProof, verifyConsistency } from '../../lib/merkle/index.ts';
import type { NoteVerifier } from '../../lib/note/verifier.ts';
import { generatedTree, memoryTiles } from './memory-tiles.ts';

const SIZE = 2 ** 17 + 4321;
const tree = generatedTree(SIZE);
const BASE = 'https://tiles.example/log';
const unusedKey: NoteVerifier = { name: 'x', keyHash: new Uint8Array(4), verify: () => false };

const head = (size: number): VerifiedHead => ({
  size: BigInt(size),
  rootHash: tree.root(BigInt(size)),
  signed: `(size ${size})`,
  origin: 'x',
});

function client(tiles: ReturnType<typeof memoryTiles>) {
  return tileLogClient({ type: 'tiles', url: BASE, origin: 'x', verifiers: [unusedKey], http: tiles.http });
}

const sizes = fc
  .tuple(fc.integer({ min: 1, max: SIZE }), fc.integer({ min: 1, max: SIZE }))
  .filter(([a, b]) => a < b)
  .map(([a, b]) => [a, b] as const);

describe('consistency proofs from tiles (generated log of 2^17 + 4321 leaves)', () => {
  it('random (old, new) pairs: the proof verifies and equals the tree-computed proof', async () => {
    const levels = new Set<string>();
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(sizes, async ([a, b]) => {
        const tiles = memoryTiles(tree, BASE);
        const proof = await client(tiles).fetchConsistencyProof(head(a), head(b));
        verifyConsistency(BigInt(a), BigInt(b), tree.root(BigInt(a)), tree.root(BigInt(b)), proof.hashes);
        const expected = await consistencyProof(BigInt(a), BigInt(b), tree);
        assert.equal(proof.hashes.length, expected.length);
        proof.hashes.forEach((h, i) => {
          assert.ok(bytesEqual(h, expected[i] as Uint8Array));
        });
        for (const p of tiles.requests) {
          levels.add(p.split('/')[1] as string);
          if (p.includes('.p/')) partial++;
        }
      }),
      { numRuns: 150 },
    );
    assert.deepEqual([...levels].sort(), ['0', '1', '2'], 'level-0, -1 and -2 tiles were all used');
    assert.ok(partial > 0, 'partial tiles were used');
  });

  it('edge sizes: tile boundaries, powers of two, size - 1 → size', async () => {
    const cut = [
      1,
      2,
      255,
      256,
      257,
      511,
      512,
      65535,
      65536,
      65537,
      2 ** 17 - 1,
      2 ** 17,
      2 ** 17 + 1,
      SIZE - 1,
      SIZE,
    ];
    for (const a of cut) {
      for (const b of cut) {
        if (a >= b) continue;
        const proof = await client(memoryTiles(tree, BASE)).fetchConsistencyProof(head(a), head(b));
        verifyConsistency(BigInt(a), BigInt(b), tree.root(BigInt(a)), tree.root(BigInt(b)), proof.hashes);
      }
    }
  });

  it('any tile mutation either leaves the proof unchanged or makes it fail to verify', async () => {
    let caught = 0;
    await fc.assert(
      fc.asyncProperty(
        sizes,
        fc.nat(),
        fc.integer({ min: 0, max: 255 * 32 + 31 }),
        fc.integer({ min: 1, max: 255 }),
        async ([a, b], pick, at, xor) => {
          const honest = await consistencyProof(BigInt(a), BigInt(b), tree);
          const tiles = memoryTiles(tree, BASE);
          await client(tiles).fetchConsistencyProof(head(a), head(b)); // learn which tiles it reads
          const paths = tiles.requests.slice();
          if (paths.length === 0) return;
          const target = paths[pick % paths.length] as string;
          const lying = memoryTiles(tree, BASE);
          lying.mutate = (path, bytes) => {
            if (path === target) bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ xor;
          };
          const proof = await client(lying).fetchConsistencyProof(head(a), head(b));
          const same =
            proof.hashes.length === honest.length &&
            proof.hashes.every((h, i) => bytesEqual(h, honest[i] as Uint8Array));
          if (same) return;
          caught++;
          assert.throws(
            () =>
              verifyConsistency(
                BigInt(a),
                BigInt(b),
                tree.root(BigInt(a)),
                tree.root(BigInt(b)),
                proof.hashes,
              ),
            (e) => isTlogError(e, 'merkle/root-mismatch'),
          );
          // the lying tile is in the evidence, byte for byte as served
          const raw = JSON.parse(proof.raw);
          assert.ok(target in raw.tiles || target in (raw.tileDigests ?? {}), target);
        },
      ),
      { numRuns: 150 },
    );
    assert.ok(caught > 50, `${caught} mutations changed the proof and were caught`);
  });
});
