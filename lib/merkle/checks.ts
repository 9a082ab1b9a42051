/** Argument checks shared by the proof verifiers and generators; each throws a TlogError naming expected and actual. */
import { bytesEqual, toHex } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { requireUint64 } from './bits.ts';
import { HASH_SIZE } from './hash.ts';

/** Throws 'merkle/invalid-size' unless both are uint64 and 0 ≤ index < size. */
export function requireLeafInTree(index: bigint, size: bigint): void {
  requireUint64(size, 'tree size');
  requireUint64(index, 'leaf index');
  if (index >= size) {
    throw new TlogError('merkle/invalid-size', `leaf index ${index} is outside a tree of size ${size}`, {
      index: String(index),
      size: String(size),
    });
  }
}

/** Throws 'merkle/invalid-size' unless both are uint64 and size1 ≤ size2 (a tree never shrinks). */
export function requireOrderedSizes(size1: bigint, size2: bigint): void {
  requireUint64(size1, 'first tree size');
  requireUint64(size2, 'second tree size');
  if (size1 > size2) {
    throw new TlogError(
      'merkle/invalid-size',
      `consistency proof from size ${size1} to smaller size ${size2}`,
      {
        size1: String(size1),
        size2: String(size2),
      },
    );
  }
}

/** Throws 'merkle/invalid-hash' unless `hash` is exactly HASH_SIZE bytes. `what` names it in the message. */
export function requireHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array)) {
    throw new TlogError(
      'merkle/invalid-hash',
      `${what} must be a ${HASH_SIZE}-byte Uint8Array, got ${typeof hash}`,
    );
  }
  if (hash.length !== HASH_SIZE) {
    const shown = toHex(hash.subarray(0, 40)) + (hash.length > 40 ? '…' : '');
    throw new TlogError(
      'merkle/invalid-hash',
      `${what} must be ${HASH_SIZE} bytes, got ${hash.length}: ${shown}`,
      {
        what,
        expectedLength: HASH_SIZE,
        actualLength: hash.length,
      },
    );
  }
}

/** Checks every proof element is a HASH_SIZE-byte hash. */
export function requireProofHashes(proof: readonly Uint8Array[], what: string): void {
  proof.forEach((h, i) => {
    requireHash(h, `${what} hash ${i}`);
  });
}

/** Throws 'merkle/proof-length' unless the proof has exactly `expected` hashes. */
export function requireProofLength(proof: readonly Uint8Array[], expected: number, what: string): void {
  if (proof.length !== expected) {
    throw new TlogError('merkle/proof-length', `${what} needs ${expected} hashes, got ${proof.length}`, {
      expectedLength: expected,
      actualLength: proof.length,
    });
  }
}

/** Constant-time comparison; throws 'merkle/root-mismatch' with both roots in hex when they differ. */
export function requireSameRoot(computed: Uint8Array, expected: Uint8Array, what: string): void {
  if (!bytesEqual(computed, expected)) {
    throw new TlogError(
      'merkle/root-mismatch',
      `${what}: computed ${toHex(computed)}, expected ${toHex(expected)}`,
      {
        computed: toHex(computed),
        expected: toHex(expected),
      },
    );
  }
}
