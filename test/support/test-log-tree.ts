/**
 * The Merkle tree behind a test log (one per Rekor shard): deterministic leaves, and the two
 * tree-level lies a log can tell — a fork (same size, different last leaf) and a rollback
 * (a smaller tree) — as switches over the honest tree, so clearing them restores honesty.
 * Roots and proofs come from test/support/merkle-reference.ts (RFC 9162 §2.1).
 */
import { referenceConsistencyProof, referenceRoot } from './merkle-reference.ts';
import { sha256 } from './test-log-signing.ts';

/** RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + data.length);
  buf.set(data, 1);
  return sha256(buf);
}

export class TestTree {
  readonly treeId: string;
  /** The honest tree's leaf hashes; only ever appended to (keeps the reference memo valid). */
  private readonly honest: Uint8Array[] = [];
  /** A forked copy, appended in step with the honest tree. */
  private forked: Uint8Array[] | undefined;
  private forks = 0;
  private rollbackTo: number | undefined;
  private rolledBack: { base: Uint8Array[]; leaves: Uint8Array[] } | undefined;

  constructor(treeId: string, initialSize = 0) {
    this.treeId = treeId;
    this.append(initialSize);
  }

  append(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`append: expected n ≥ 0, got ${n}`);
    for (let i = 0; i < n; i++) {
      const index = this.honest.length;
      const h = leafHash(new TextEncoder().encode(`test-log ${this.treeId} leaf ${index}`));
      this.honest.push(h);
      this.forked?.push(h);
    }
  }

  /** The leaf hashes of the tree being served, switches applied. */
  served(): readonly Uint8Array[] {
    const base = this.forked ?? this.honest;
    if (this.rollbackTo === undefined) return base;
    if (this.rolledBack?.base !== base || this.rolledBack.leaves.length !== this.rollbackTo) {
      this.rolledBack = { base, leaves: base.slice(0, this.rollbackTo) };
    }
    return this.rolledBack.leaves;
  }

  get size(): number {
    return this.served().length;
  }

  get honestSize(): number {
    return this.honest.length;
  }

  /** Root of the served tree at `size` (default: its full size). */
  root(size = this.size): Uint8Array {
    const leaves = this.served();
    if (size < 0 || size > leaves.length)
      throw new RangeError(`root: size ${size} outside 0..${leaves.length}`);
    return referenceRoot(size === leaves.length ? leaves : leaves.slice(0, size));
  }

  /**
   * RFC 9162 §2.1.4.1 PROOF(first, D[second]) over the served tree; empty when first is 0 or
   * equals second (nothing to prove). Caller checks 0 ≤ first ≤ second ≤ size.
   */
  consistency(first: number, second: number): Uint8Array[] {
    if (first === 0 || first === second) return [];
    const leaves = this.served();
    return referenceConsistencyProof(first, second === leaves.length ? leaves : leaves.slice(0, second));
  }

  /** From now on serve a tree of the same size whose last leaf differs. */
  fork(): void {
    const served = this.served();
    if (served.length === 0) throw new RangeError('fork: the served tree is empty');
    const index = served.length - 1;
    const copy = (this.forked ?? this.honest).slice();
    this.forks++;
    copy[index] = leafHash(
      new TextEncoder().encode(`test-log ${this.treeId} fork ${this.forks} leaf ${index}`),
    );
    this.forked = copy;
  }

  /** From now on serve the tree truncated to `toSize` (< the served size). */
  rollback(toSize: number): void {
    if (!Number.isSafeInteger(toSize) || toSize < 0 || toSize >= this.size) {
      throw new RangeError(`rollback: expected 0 ≤ size < ${this.size}, got ${toSize}`);
    }
    this.rollbackTo = toSize;
  }

  /** Back to the honest tree. */
  clearSwitches(): void {
    this.forked = undefined;
    this.rollbackTo = undefined;
    this.rolledBack = undefined;
  }
}
