/**
 * Hashing on the identity-scan path, side by side in one run, on the real Rekor entries of the
 * vectors (Rekor v1 and v2 canonicalized bodies, ~1.5–4 KB):
 * - SHA-256 leaf hash with @noble/hashes (what lib/merkle uses) and with node:crypto;
 * - Merkle inclusion (leaf hash + RFC 9162 §2.1.3.2 path) with lib/merkle (noble), with lib/merkle
 *   given node:crypto's leaf and node hashes, and with @sigstore/verify's verifyMerkleInclusion.
 * The result decides which hash the scan's hot path should use; nothing here asserts on timing.
 */

import { LogCheckpoint } from '@sigstore/verify/dist/tlog/checkpoint.js';
import { verifyMerkleInclusion } from '@sigstore/verify/dist/tlog/merkle.js';
import { fromBase64 } from '../../lib/bytes.ts';
import { hashLeaf, verifyInclusion } from '../../lib/merkle/index.ts';
import { parseNote } from '../../lib/note/index.ts';
import { allRekorEntries, type RekorEntry } from '../fixtures.ts';
import { type BenchResult, benchGroup, consume } from '../harness.ts';
import type { Section } from '../section.ts';
import { nobleHasher, nodeHasher, type TreeHasher } from './frontier.ts';

/** lib/merkle's RFC 9162 §2.1.3.2 inclusion verification with the hasher's leaf and node hashes injected. */
function verifyWith(h: TreeHasher, e: RekorEntry): void {
  verifyInclusion(e.index, e.treeSize, h.leaf(e.body), e.hashes, e.rootHash, h.node);
}

type SigstoreEntry = Parameters<typeof verifyMerkleInclusion>[0];

function sigstoreEntry(e: RekorEntry): SigstoreEntry {
  return {
    logIndex: e.index.toString(),
    logId: { keyId: Buffer.from(fromBase64(e.logIdBase64)) },
    kindVersion: { kind: e.kind, version: e.version },
    integratedTime: '0',
    inclusionPromise: undefined,
    inclusionProof: {
      logIndex: e.index.toString(),
      treeSize: e.treeSize.toString(),
      rootHash: Buffer.from(e.rootHash),
      hashes: e.hashes.map((x) => Buffer.from(x)),
      checkpoint: { envelope: e.checkpoint },
    },
    canonicalizedBody: Buffer.from(e.body),
  };
}

export function entryHashingBenchmarks(): Section {
  const entries = allRekorEntries();
  const n = entries.length;
  const theirs = entries.map(sigstoreEntry);
  const checkpoints = entries.map((e) => LogCheckpoint.fromString(parseNote(e.checkpoint).body));
  // Same verdicts before timing: all of them verify on every path.
  for (const [i, e] of entries.entries()) {
    verifyWith(nobleHasher, e);
    verifyWith(nodeHasher, e);
    verifyInclusion(e.index, e.treeSize, hashLeaf(e.body), e.hashes, e.rootHash);
    verifyMerkleInclusion(theirs[i] as SigstoreEntry, checkpoints[i] as LogCheckpoint);
  }
  const avgBody = Math.round(entries.reduce((s, e) => s + e.body.length, 0) / n);
  const avgPath = (entries.reduce((s, e) => s + e.hashes.length, 0) / n).toFixed(1);
  const per = { opsPerCall: n, note: 'per entry' };
  const results: BenchResult[] = benchGroup([
    {
      name: `leaf SHA-256, @noble/hashes, avg body ${avgBody} B`,
      fn: () => {
        for (const e of entries) consume(nobleHasher.leaf(e.body));
      },
      options: per,
    },
    {
      name: `leaf SHA-256, node:crypto, avg body ${avgBody} B`,
      fn: () => {
        for (const e of entries) consume(nodeHasher.leaf(e.body));
      },
      options: per,
    },
    {
      name: `inclusion, lib/merkle (noble), avg ${avgPath} hashes`,
      fn: () => {
        for (const e of entries) verifyInclusion(e.index, e.treeSize, hashLeaf(e.body), e.hashes, e.rootHash);
      },
      options: per,
    },
    {
      name: 'inclusion, lib/merkle with node:crypto injected (leaf and node)',
      fn: () => {
        for (const e of entries) verifyWith(nodeHasher, e);
      },
      options: per,
    },
    {
      name: 'inclusion, @sigstore/verify verifyMerkleInclusion (node:crypto)',
      fn: () => {
        for (let i = 0; i < n; i++)
          verifyMerkleInclusion(theirs[i] as SigstoreEntry, checkpoints[i] as LogCheckpoint);
      },
      options: per,
    },
  ]);
  const us = (name: string) => results.find((r) => r.name.startsWith(name))?.usPerOp ?? Number.NaN;
  const sig = us('inclusion, @sigstore');
  return {
    title: 'Identity scan: hashing on the scan path (real Rekor entries)',
    lines: [
      `${n} real Rekor entries (v1 and v2), all verified on every path before timing.`,
      `Inclusion, ours vs @sigstore/verify: lib/merkle (noble) ${(sig / us('inclusion, lib/merkle')).toFixed(2)}× its speed, node:crypto injected ${(sig / us('inclusion, lib/merkle with')).toFixed(2)}× (>1 is faster).`,
    ],
    results,
  };
}
