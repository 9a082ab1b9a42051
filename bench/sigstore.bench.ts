/**
 * Our Rekor inclusion verification side by side with @sigstore/verify's, on every Rekor entry in
 * the vectors that has an inclusion proof.
 *
 * @sigstore/verify 3.x exports only the high-level Verifier from its package root, so the tlog
 * functions are imported from their dist paths (the package has no "exports" map, so deep imports
 * resolve; they are internal API and may move in another version):
 *  - dist/tlog/merkle.js     verifyMerkleInclusion(entry, checkpoint): RFC 6962 inclusion of
 *                            SHA-256(0x00 ‖ canonicalizedBody) at inclusionProof.logIndex against
 *                            checkpoint.logSize / checkpoint.logHash; throws VerificationError.
 *  - dist/tlog/checkpoint.js LogCheckpoint.fromString(noteBody) (origin, size, root parsing).
 *  - dist/tlog/index.js      verifyTLogInclusion(entry, tlogAuthorities): checkpoint signature
 *                            (node:crypto) then verifyMerkleInclusion.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { loadavg } from 'node:os';
import { LogCheckpoint } from '@sigstore/verify/dist/tlog/checkpoint.js';
import { verifyTLogInclusion } from '@sigstore/verify/dist/tlog/index.js';
import { verifyMerkleInclusion } from '@sigstore/verify/dist/tlog/merkle.js';
import { bytesEqual, fromBase64 } from '../lib/bytes.ts';
import { parsePemPublicKey } from '../lib/keys/public-key.ts';
import { nativeLeafHasher, nativeNodeHasher } from '../lib/local/native-leaf-hasher.ts';
import { hashLeaf, verifyInclusion } from '../lib/merkle/index.ts';
import {
  ecdsaNoteVerifier,
  type NoteVerifier,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyCheckpoint,
} from '../lib/note/index.ts';
import {
  allRekorEntries,
  type RekorEntry,
  rekorV1Pem,
  rekorV1ProductionEntries,
  rekorV2Entries,
  rekorV2ProductionVkey,
} from './fixtures.ts';
import { type BenchResult, benchGroup, consume } from './harness.ts';
import type { Section } from './section.ts';

const LEAF_PREFIX = new Uint8Array([0x00]); // RFC 6962 §2.1 leaf hash prefix

type SigstoreEntry = Parameters<typeof verifyMerkleInclusion>[0];
type TLogAuthority = Parameters<typeof verifyTLogInclusion>[1][number];

/** The protobuf-JSON-like TransparencyLogEntry shape @sigstore/verify works on (Buffers for bytes). */
function toSigstoreEntry(e: RekorEntry): SigstoreEntry {
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
      hashes: e.hashes.map((h) => Buffer.from(h)),
      checkpoint: { envelope: e.checkpoint },
    },
    canonicalizedBody: Buffer.from(e.body),
  };
}

/** Our path: leaf hash from the body, then RFC 9162 §2.1.3.2 against the checkpoint's size and root. */
interface OurInput {
  readonly index: bigint;
  readonly size: bigint;
  readonly root: Uint8Array;
  readonly body: Uint8Array;
  readonly hashes: readonly Uint8Array[];
}

function oursFromEntry(e: RekorEntry): OurInput {
  const cp = parseCheckpoint(parseNote(e.checkpoint).body);
  return { index: e.index, size: cp.size, root: cp.rootHash, body: e.body, hashes: e.hashes };
}

function sigstoreCheckpoint(e: RekorEntry): LogCheckpoint {
  return LogCheckpoint.fromString(parseNote(e.checkpoint).body);
}

function oursInclusion(x: OurInput): void {
  verifyInclusion(x.index, x.size, hashLeaf(x.body), x.hashes, x.root);
}

/** The same with node:crypto injected, as a composition root does (lib/local/native-leaf-hasher.ts). */
function oursNativeInclusion(x: OurInput): void {
  verifyInclusion(x.index, x.size, nativeLeafHasher(x.body), x.hashes, x.root, nativeNodeHasher);
}

/** One flipped bit in the last proof hash, or in the body when the proof is empty (a tree of 1). */
function mutate(e: RekorEntry): RekorEntry {
  const flip = (b: Uint8Array): Uint8Array => {
    const c = b.slice();
    c[c.length - 1] = (c[c.length - 1] as number) ^ 0x01;
    return c;
  };
  if (e.hashes.length === 0) return { ...e, body: flip(e.body) };
  return { ...e, hashes: [...e.hashes.slice(0, -1), flip(e.hashes[e.hashes.length - 1] as Uint8Array)] };
}

function countPasses(items: readonly unknown[], run: (i: number) => void): number {
  let ok = 0;
  items.forEach((_, i) => {
    try {
      run(i);
      ok++;
    } catch {
      // counted as rejected
    }
  });
  return ok;
}

/** Merkle inclusion only: both sides hash the body and walk the proof; checkpoints are pre-parsed. */
function inclusionOnly(lines: string[]): BenchResult[] {
  const entries = allRekorEntries();
  const ours = entries.map(oursFromEntry);
  const theirs = entries.map(toSigstoreEntry);
  const checkpoints = entries.map(sigstoreCheckpoint);
  const n = entries.length;

  const bad = entries.map(mutate);
  const oursBad = bad.map(oursFromEntry);
  const theirsBad = bad.map(toSigstoreEntry);

  const oursOk = countPasses(ours, (i) => oursInclusion(ours[i] as OurInput));
  const nativeOk = countPasses(ours, (i) => oursNativeInclusion(ours[i] as OurInput));
  const nativeBadOk = countPasses(oursBad, (i) => oursNativeInclusion(oursBad[i] as OurInput));
  const theirsOk = countPasses(theirs, (i) =>
    verifyMerkleInclusion(theirs[i] as SigstoreEntry, checkpoints[i] as LogCheckpoint),
  );
  const oursBadOk = countPasses(oursBad, (i) => oursInclusion(oursBad[i] as OurInput));
  const theirsBadOk = countPasses(theirsBad, (i) =>
    verifyMerkleInclusion(theirsBad[i] as SigstoreEntry, checkpoints[i] as LogCheckpoint),
  );
  lines.push(
    `Entries with an inclusion proof: ${n} (Rekor v1 production ${rekorV1ProductionEntries().length}, v1 other instances ${n - rekorV1ProductionEntries().length - rekorV2Entries().length}, Rekor v2 ${rekorV2Entries().length}).`,
    `Sanity, inclusion only: ours accepts ${oursOk}/${n} (node:crypto injected: ${nativeOk}/${n}), @sigstore/verify accepts ${theirsOk}/${n}; with one bit flipped in the proof (or body): ours rejects ${n - oursBadOk}/${n} (node:crypto injected: ${n - nativeBadOk}/${n}), @sigstore/verify rejects ${n - theirsBadOk}/${n}.`,
  );
  if (
    oursOk !== n ||
    nativeOk !== n ||
    theirsOk !== n ||
    oursBadOk !== 0 ||
    nativeBadOk !== 0 ||
    theirsBadOk !== 0
  ) {
    throw new Error(
      'inclusion sanity check failed: the side-by-side figures would not compare like with like',
    );
  }

  const avg = (entries.reduce((s, e) => s + e.hashes.length, 0) / n).toFixed(1);
  const what = `${n} Rekor entries (avg ${avg} hashes)`;
  const avgBody = Math.round(entries.reduce((s, e) => s + e.body.length, 0) / n);
  const rows = benchGroup([
    {
      name: `ours, node:crypto injected: nativeLeafHasher + verifyInclusion(…, nativeNodeHasher), ${what}`,
      fn: () => {
        for (const x of ours) oursNativeInclusion(x);
      },
      options: { opsPerCall: n, note: 'per entry; what the composition roots inject' },
    },
    {
      name: `ours: hashLeaf + verifyInclusion, ${what}`,
      fn: () => {
        for (const x of ours) oursInclusion(x);
      },
      options: { opsPerCall: n, note: 'per entry; @noble/hashes SHA-256' },
    },
    {
      name: `@sigstore/verify: verifyMerkleInclusion, ${what}`,
      fn: () => {
        for (let i = 0; i < n; i++)
          verifyMerkleInclusion(theirs[i] as SigstoreEntry, checkpoints[i] as LogCheckpoint);
      },
      options: { opsPerCall: n, note: 'per entry; node:crypto SHA-256' },
    },
    // Where the difference comes from: the leaf hash over the whole canonicalized body.
    {
      name: `leaf hash only, @noble/hashes: hashLeaf(body), avg body ${avgBody} bytes`,
      fn: () => {
        for (const e of entries) consume(hashLeaf(e.body));
      },
      options: { opsPerCall: n, note: 'per entry; explains the gap' },
    },
    {
      name: `leaf hash only, node:crypto: SHA-256(0x00‖body), avg body ${avgBody} bytes`,
      fn: () => {
        for (const e of entries) consume(createHash('sha256').update(LEAF_PREFIX).update(e.body).digest());
      },
      options: { opsPerCall: n, note: 'per entry; explains the gap' },
    },
  ]);
  const us = (prefix: string) => rows.find((r) => r.name.startsWith(prefix))?.usPerOp ?? Number.NaN;
  const theirsUs = us('@sigstore/verify');
  lines.push(
    `Inclusion, ours / @sigstore/verify (speed, >1 is faster), wall time in the table below: node:crypto injected ${(theirsUs / us('ours, node:crypto')).toFixed(2)}×, portable @noble/hashes ${(theirsUs / us('ours: hashLeaf')).toFixed(2)}×.`,
  );
  // CPU time of this process, the two sides alternated five times: steadier than wall time on a shared machine.
  const cpuOurs: number[] = [];
  const cpuTheirs: number[] = [];
  for (let round = 0; round < 5; round++) {
    cpuOurs.push(cpuMicrosPerCall(() => ours.forEach(oursNativeInclusion)) / n);
    cpuTheirs.push(
      cpuMicrosPerCall(() => {
        for (let i = 0; i < n; i++)
          verifyMerkleInclusion(theirs[i] as SigstoreEntry, checkpoints[i] as LogCheckpoint);
      }) / n,
    );
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  lines.push(
    `**Inclusion in CPU time (median of 5 alternated rounds of ~150 ms): ours with node:crypto injected ${mid(cpuOurs).toFixed(1)} µs per entry, @sigstore/verify ${mid(cpuTheirs).toFixed(1)} µs: ours ${(mid(cpuTheirs) / mid(cpuOurs)).toFixed(2)}× its speed (load ${(loadavg()[0] ?? 0).toFixed(2)}).**`,
  );
  return rows;
}

/** CPU microseconds (process.cpuUsage) per call of `fn`, over about 150 ms after a short warm-up. */
function cpuMicrosPerCall(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let calls = 0;
  while (Number(process.hrtime.bigint() - t0) < 150e6) {
    fn();
    calls++;
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / calls;
}

function ed25519Spki(raw: Uint8Array): KeyObject {
  const prefix = Buffer.from('302a300506032b6570032100', 'hex'); // RFC 8410 SPKI header
  return createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' });
}

const ALWAYS = { start: new Date(0), end: new Date(8.64e15) };

/**
 * Checkpoint signature + inclusion, on the production entries whose keys are pinned here: Rekor v1
 * (P-256, 16 entries) and Rekor v2 log2025-1 (Ed25519, 3 entries).
 */
function fullPath(lines: string[]): BenchResult[] {
  const v1Key = parsePemPublicKey(rekorV1Pem());
  if (v1Key.kind !== 'p256') throw new Error('Rekor v1 key is not P-256');
  const v2 = rekorV2ProductionVkey();
  const v2Raw = fromBase64(v2.vkey.split('+')[2] ?? '').subarray(1);
  const v1Entries = rekorV1ProductionEntries();
  const v2Entries = rekorV2Entries().filter((e) => e.origin === 'log2025-1.rekor.sigstore.dev');
  const v1LogId = v1Entries[0]?.logIdBase64 ?? '';

  const verifiers: NoteVerifier[] = [
    ecdsaNoteVerifier('rekor.sigstore.dev', v1Key),
    parseVerifierKey(v2.vkey),
  ];
  const authorities: TLogAuthority[] = [
    {
      logID: Buffer.from(fromBase64(v1LogId)),
      baseURL: 'https://rekor.sigstore.dev',
      publicKey: createPublicKey({ key: Buffer.from(v1Key.spki), format: 'der', type: 'spki' }),
      validFor: ALWAYS,
    },
    {
      logID: Buffer.from(fromBase64(v2.logIdBase64)),
      baseURL: 'https://log2025-1.rekor.sigstore.dev',
      publicKey: ed25519Spki(v2Raw),
      validFor: ALWAYS,
    },
  ];

  /** Ours: verify the signed checkpoint, check it matches the proof, then inclusion against it. */
  const ours = (e: RekorEntry): void => {
    const { checkpoint } = verifyCheckpoint(e.checkpoint, verifiers);
    if (checkpoint.size !== e.treeSize || !bytesEqual(checkpoint.rootHash, e.rootHash)) {
      throw new Error(`checkpoint ${checkpoint.size} does not match proof tree size ${e.treeSize}`);
    }
    verifyInclusion(e.index, checkpoint.size, hashLeaf(e.body), e.hashes, checkpoint.rootHash);
  };

  const rows: BenchResult[] = [];
  for (const [label, group] of [
    ['Rekor v1 P-256', v1Entries],
    ['Rekor v2 Ed25519', v2Entries],
  ] as const) {
    const theirs = group.map(toSigstoreEntry);
    const bad = group.map(mutate);
    const theirsBad = bad.map(toSigstoreEntry);
    const n = group.length;
    const oursOk = countPasses(group, (i) => ours(group[i] as RekorEntry));
    const theirsOk = countPasses(theirs, (i) => verifyTLogInclusion(theirs[i] as SigstoreEntry, authorities));
    const oursBadOk = countPasses(bad, (i) => ours(bad[i] as RekorEntry));
    const theirsBadOk = countPasses(theirsBad, (i) =>
      verifyTLogInclusion(theirsBad[i] as SigstoreEntry, authorities),
    );
    lines.push(
      `Sanity, checkpoint signature + inclusion, ${label}: ours accepts ${oursOk}/${n}, @sigstore/verify accepts ${theirsOk}/${n}; mutated proof: ours rejects ${n - oursBadOk}/${n}, @sigstore/verify rejects ${n - theirsBadOk}/${n}.`,
    );
    if (oursOk !== n || theirsOk !== n || oursBadOk !== 0 || theirsBadOk !== 0) {
      throw new Error(`full-path sanity check failed for ${label}`);
    }
    rows.push(
      ...benchGroup([
        {
          name: `ours: verifyCheckpoint + verifyInclusion, ${n} ${label} entries`,
          fn: () => {
            for (const e of group) ours(e);
          },
          options: { opsPerCall: n, note: 'per entry; @noble/curves' },
        },
        {
          name: `@sigstore/verify: verifyTLogInclusion, ${n} ${label} entries`,
          fn: () => {
            for (const t of theirs) verifyTLogInclusion(t, authorities);
          },
          options: { opsPerCall: n, note: 'per entry; node:crypto' },
        },
      ]),
    );
  }
  return rows;
}

export function sigstoreBenchmarks(): Section {
  const lines: string[] = [];
  const results = [...inclusionOnly(lines), ...fullPath(lines)];
  return {
    title: '3. Rekor inclusion: ours vs @sigstore/verify 3.x (same entries, same run)',
    results,
    lines,
  };
}
