/** Shared by the entry source tests: the bounded client, a clock that records waits, leaf checks. */
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { Clock } from '../../lib/http/ports.ts';
import { hashChildren, hashLeaf } from '../../lib/merkle/index.ts';

/** A clock whose sleeps return at once and move time on; `slept` lists every wait. */
export function recordingClock(): Clock & { slept: number[] } {
  let now = 1_700_000_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** The project's bounded client on loopback, with no retries (so faults reach the source). */
export function loopbackHttp(clock: Clock = recordingClock()) {
  return createHttpClient({ fetch: globalThis.fetch, clock, retries: 0, timeoutMs: 20_000 });
}

/** Folds leaf hashes of consecutive leaves [0, n) into a root the slow way (RFC 9162 §2.1.1). */
export function leafHashes(leaves: readonly Uint8Array[]): Uint8Array[] {
  return leaves.map((l) => hashLeaf(l));
}

/** Folds a compact range of [0, k) with the leaves from k on into a root (RFC 9162 §2.1.1), the plain way. */
export function rootFrom(range: readonly Uint8Array[], k: bigint, leaves: readonly Uint8Array[]): Uint8Array {
  const stack = range.slice();
  let count = k;
  for (const leaf of leaves) {
    let h = hashLeaf(leaf);
    for (let c = count; (c & 1n) === 1n; c >>= 1n) h = hashChildren(stack.pop() as Uint8Array, h);
    stack.push(h);
    count++;
  }
  let root = stack.pop() as Uint8Array;
  while (stack.length > 0) root = hashChildren(stack.pop() as Uint8Array, root);
  return root;
}
