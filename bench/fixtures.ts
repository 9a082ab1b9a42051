/**
 * Benchmark inputs decoded once from the real-world vectors in test/vectors (read at run
 * time through test/support/vectors.ts). Decoding is done here so
 * that the timed code only verifies.
 */
import { fromBase64, fromHex } from '../lib/bytes.ts';
import { readVector, readVectorText } from '../test/support/vectors.ts';

/** One transparency-log entry with an RFC 9162 §2.1.3 inclusion proof and the checkpoint it is proven against. */
export interface RekorEntry {
  readonly label: string;
  readonly origin: string;
  /** Rekor `canonicalizedBody`, decoded: the leaf data (leaf hash = SHA-256(0x00 ‖ body)). */
  readonly body: Uint8Array;
  /** `inclusionProof.logIndex`: local to the shard. */
  readonly index: bigint;
  readonly treeSize: bigint;
  readonly rootHash: Uint8Array;
  readonly hashes: readonly Uint8Array[];
  /** The signed checkpoint, byte for byte. */
  readonly checkpoint: string;
  readonly kind: string;
  readonly version: string;
  readonly logIdBase64: string;
}

export interface ConsistencyCase {
  readonly label: string;
  readonly size1: bigint;
  readonly size2: bigint;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

export interface InclusionCase {
  readonly label: string;
  readonly index: bigint;
  readonly size: bigint;
  readonly leafData: Uint8Array;
  readonly root: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

// biome-ignore lint/suspicious/noExplicitAny: vector files are plain JSON data with per-file shapes
type Json = any;

function toEntry(e: Json, group: string): RekorEntry {
  const p = e.inclusionProof;
  return {
    label: `${group} ${e.origin} #${p.logIndex}`,
    origin: e.origin,
    body: fromBase64(e.canonicalizedBody),
    index: BigInt(p.logIndex),
    treeSize: BigInt(p.treeSize),
    rootHash: fromBase64(p.rootHash),
    hashes: (p.hashes as string[]).map((h) => fromBase64(h)),
    checkpoint: e.checkpoint,
    kind: e.kindVersion.kind,
    version: e.kindVersion.version,
    logIdBase64: e.logId,
  };
}

/** Rekor v1 production entries (16, two shards), signed with rekor.sigstore.dev's P-256 key. */
export function rekorV1ProductionEntries(): RekorEntry[] {
  return readVector('rekor/checkpoints-v1-production.json').entries.map((e: Json) => toEntry(e, 'v1'));
}

/** Rekor v1 entries from other instances (staging, scaffolding, conformance): 8. */
export function rekorV1OtherEntries(): RekorEntry[] {
  return readVector('rekor/checkpoints-v1-other-instances.json').entries.map((e: Json) =>
    toEntry(e, 'v1-other'),
  );
}

/** Rekor v2 entries (production log2025-1, staging, local): 18, Ed25519 checkpoints. */
export function rekorV2Entries(): RekorEntry[] {
  return readVector('tiles/rekor-v2-checkpoints.json').entries.map((e: Json) => toEntry(e, 'v2'));
}

/** Every Rekor entry in the vectors that carries an inclusion proof (v1 production, v1 other, v2). */
export function allRekorEntries(): RekorEntry[] {
  return [...rekorV1ProductionEntries(), ...rekorV1OtherEntries(), ...rekorV2Entries()];
}

/** PEM of the production Rekor v1 key (sigstore/root-signing targets/rekor.pub). */
export function rekorV1Pem(): string {
  return readVectorText('rekor/rekor.sigstore.dev.pub.pem');
}

/** C2SP verifier key of Rekor v2 production log2025-1.rekor.sigstore.dev (Ed25519). */
export function rekorV2ProductionVkey(): { vkey: string; logIdBase64: string } {
  const k = readVector('tiles/rekor-v2-checkpoints.json').keys['log2025-1.rekor.sigstore.dev (production)'];
  return { vkey: k.vkey, logIdBase64: k.trustedRootLogIdBase64 };
}

/** The real consistency proofs that the brief names: Rekor v1 (22 hashes) and CT Icarus (24). */
export function realConsistencyCases(): ConsistencyCase[] {
  const rekor = readVector('rekor/consistency-v1-production.json').consistencyProofs.filter(
    (p: Json) => p.expected === 'valid',
  );
  const out: ConsistencyCase[] = rekor.map((p: Json) => ({
    label: `Rekor v1 ${p.size1}→${p.size2} (${p.proofHex.length} hashes)`,
    size1: BigInt(p.size1),
    size2: BigInt(p.size2),
    root1: fromHex(p.root1Hex),
    root2: fromHex(p.root2Hex),
    proof: (p.proofHex as string[]).map((h) => fromHex(h)),
  }));
  for (const p of readVector('ct/proofs.json').consistency as Json[]) {
    if (p.expected !== 'valid' || !Array.isArray(p.consistency)) continue;
    out.push({
      label: `CT ${p.log} ${p.first}→${p.second} (${p.consistency.length} hashes)`,
      size1: BigInt(p.first),
      size2: BigInt(p.second),
      root1: fromBase64(p.firstRoot),
      root2: fromBase64(p.secondRoot),
      proof: (p.consistency as string[]).map((h) => fromBase64(h)),
    });
  }
  return out;
}

/** Real standalone inclusion proofs: CT Icarus (27 hashes) and the Rekor v1 rekor-evm one (25). */
export function realInclusionCases(): InclusionCase[] {
  const out: InclusionCase[] = [];
  for (const p of readVector('ct/proofs.json').inclusion as Json[]) {
    if (p.expected !== 'valid') continue;
    out.push({
      label: `CT ${p.log} leaf ${p.leaf_index} of ${p.tree_size} (${p.audit_path.length} hashes)`,
      index: BigInt(p.leaf_index),
      size: BigInt(p.tree_size),
      leafData: fromBase64(p.leaf_input),
      root: fromBase64(p.rootHash),
      proof: (p.audit_path as string[]).map((h) => fromBase64(h)),
    });
  }
  return out;
}

/** The rekor-evm inclusion proof: only its leaf hash is given (derived), so it is verified from the hash. */
export function rekorEvmInclusion(): {
  label: string;
  index: bigint;
  size: bigint;
  leafHash: Uint8Array;
  root: Uint8Array;
  proof: Uint8Array[];
} {
  const p = readVector('rekor/consistency-v1-production.json').inclusionProofs.find(
    (x: Json) => x.expected === 'valid',
  );
  return {
    label: `Rekor v1 leaf ${p.leafIndex} of ${p.treeSize} (${p.proofHex.length} hashes)`,
    index: BigInt(p.leafIndex),
    size: BigInt(p.treeSize),
    leafHash: fromHex(p.leafHashHex),
    root: fromHex(p.rootHashHex),
    proof: (p.proofHex as string[]).map((h) => fromHex(h)),
  };
}

export interface CtSth {
  readonly rawJson: string;
  readonly keyDer: Uint8Array;
  readonly treeSize: bigint;
  readonly timestamp: bigint;
  readonly rootHash: Uint8Array;
  readonly treeHeadSignature: Uint8Array;
}

/** A real Icarus get-sth answer (raw JSON as served) and the Icarus log key. */
export function icarusSth(): CtSth {
  const sths: Json[] = readVector('ct/sths.json').sths;
  const sth = sths.find((s) => s.log === 'icarus' && typeof s.rawJSON === 'string');
  const log = readVector('ct/logs.json').logs.icarus;
  return {
    rawJson: sth.rawJSON,
    keyDer: fromBase64(log.keyDERBase64),
    treeSize: BigInt(sth.tree_size),
    timestamp: BigInt(sth.timestamp),
    rootHash: fromBase64(sth.sha256_root_hash),
    treeHeadSignature: fromBase64(sth.tree_head_signature),
  };
}
