/**
 * The scan's proof work, for the benchmarks: each leaf hashed (RFC 9162 §2.1.1) and folded into a
 * Merkle frontier (the compact range of [0, n)), whose root must equal the signed root at the end.
 * The hash is injected so the benchmarks can compare @noble/hashes and node:crypto on this path.
 */
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';

export interface TreeHasher {
  readonly name: string;
  leaf(data: Uint8Array): Uint8Array;
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

/** node:crypto SHA-256 (OpenSSL, native). */
export const nodeHasher: TreeHasher = {
  name: 'node:crypto',
  leaf: (data) => createHash('sha256').update(LEAF).update(data).digest(),
  node: (l, r) => createHash('sha256').update(NODE).update(l).update(r).digest(),
};

/** @noble/hashes SHA-256 (pure JS), as lib/merkle hashes. */
export const nobleHasher: TreeHasher = {
  name: '@noble/hashes',
  leaf: (data) => {
    const buf = new Uint8Array(1 + data.length);
    buf.set(data, 1);
    return sha256(buf);
  },
  node: (l, r) => {
    const buf = new Uint8Array(65);
    buf[0] = 1;
    buf.set(l, 1);
    buf.set(r, 33);
    return sha256(buf);
  },
};

export class Frontier {
  readonly #stack: Uint8Array[] = [];
  #count = 0;
  constructor(private readonly hasher: TreeHasher) {}

  get count(): number {
    return this.#count;
  }

  /** Appends one leaf by its data. */
  push(leaf: Uint8Array): void {
    let h = this.hasher.leaf(leaf);
    for (let c = this.#count; c & 1; c = Math.floor(c / 2))
      h = this.hasher.node(this.#stack.pop() as Uint8Array, h);
    this.#stack.push(h);
    this.#count++;
  }

  /** MTH of the leaves pushed so far (folded from the right). */
  root(): Uint8Array {
    let root = this.#stack[this.#stack.length - 1] as Uint8Array;
    for (let i = this.#stack.length - 2; i >= 0; i--)
      root = this.hasher.node(this.#stack[i] as Uint8Array, root);
    return root;
  }
}
