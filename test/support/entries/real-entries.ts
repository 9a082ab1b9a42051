/**
 * Real log entries from test/vectors (provenance: test/vectors/README.md), as the entry test logs
 * serve them:
 * - Rekor v1: the `canonicalizedBody` of the 24 entries with Fulcio certificates or keys
 *   (production and other instances: hashedrekord, dsse, intoto);
 * - Rekor v2: the `canonicalizedBody` of the distinct Rekor v2 entries (hashedrekord, dsse v0.0.2);
 * - CT: Icarus's `leaf_input`/`extra_data` (an x509_entry with its chain), and variants of it that
 *   differ only in the TimestampedEntry timestamp (so a large log has distinct leaves of the real
 *   size and structure);
 * - static-ct: the same entry as a TileLeaf (TimestampedEntry + SHA-256 fingerprints of the chain).
 */
import { createHash } from 'node:crypto';
import { readVector } from '../vectors.ts';

export interface RealRekorEntry {
  readonly body: Uint8Array;
  readonly kind: string;
  readonly version: string;
  /** Where the vector came from: origin and logIndex. */
  readonly label: string;
}

// biome-ignore lint/suspicious/noExplicitAny: vector files are plain JSON data
type Json = any;

function rekorEntries(file: string): RealRekorEntry[] {
  const seen = new Set<string>();
  const out: RealRekorEntry[] = [];
  for (const e of readVector(file).entries as Json[]) {
    if (seen.has(e.canonicalizedBody)) continue;
    seen.add(e.canonicalizedBody);
    out.push({
      body: new Uint8Array(Buffer.from(e.canonicalizedBody, 'base64')),
      kind: e.kindVersion.kind,
      version: e.kindVersion.version,
      label: `${e.origin} #${e.logIndex}`,
    });
  }
  return out;
}

/** Distinct Rekor v1 bodies: production, then other instances. */
export function realRekorV1Entries(): RealRekorEntry[] {
  return [
    ...rekorEntries('rekor/checkpoints-v1-production.json'),
    ...rekorEntries('rekor/checkpoints-v1-other-instances.json'),
  ];
}

/** Distinct Rekor v2 bodies. */
export function realRekorV2Entries(): RealRekorEntry[] {
  return rekorEntries('tiles/rekor-v2-checkpoints.json');
}

export interface RealCtEntry {
  /** The MerkleTreeLeaf. */
  readonly leafInput: Uint8Array;
  /** The chain (RFC 6962 §4.6 extra_data). */
  readonly extraData: Uint8Array;
}

/** Icarus leaf 120000000 exactly as get-entry-and-proof served it (test/vectors/ct/proofs.json). */
export function realCtEntry(): RealCtEntry {
  const e = (readVector('ct/proofs.json').inclusion as Json[])[0];
  return {
    leafInput: new Uint8Array(Buffer.from(e.leaf_input, 'base64')),
    extraData: new Uint8Array(Buffer.from(e.extra_data, 'base64')),
  };
}

/** Bytes 2..9 of a MerkleTreeLeaf: the TimestampedEntry timestamp (RFC 6962 §3.4). */
const TIMESTAMP_AT = 2;

/**
 * The real CT entry with its timestamp moved by `i` ms: same size and structure, a distinct leaf.
 * Writes into `into` (a copy of the real leaf) when given, to avoid an allocation per entry.
 */
export function ctEntryVariant(real: RealCtEntry, i: number, into?: Uint8Array): Uint8Array {
  const leaf = into ?? real.leafInput.slice();
  const view = new DataView(leaf.buffer, leaf.byteOffset, leaf.byteLength);
  const base = new DataView(real.leafInput.buffer, real.leafInput.byteOffset).getBigUint64(TIMESTAMP_AT);
  view.setBigUint64(TIMESTAMP_AT, base + BigInt(i));
  return leaf;
}

/** The certificates of an RFC 6962 `extra_data` for an x509_entry: ASN.1Cert certificate_chain<0..2^24-1>. */
export function chainCertificates(extraData: Uint8Array): Uint8Array[] {
  const u24 = (at: number) =>
    ((extraData[at] as number) << 16) | ((extraData[at + 1] as number) << 8) | (extraData[at + 2] as number);
  const total = u24(0);
  const certs: Uint8Array[] = [];
  for (let pos = 3; pos < 3 + total; ) {
    const n = u24(pos);
    certs.push(extraData.subarray(pos + 3, pos + 3 + n));
    pos += 3 + n;
  }
  return certs;
}

/**
 * A static-ct-api TileLeaf for a CT leaf (c2sp.org/static-ct-api): the TimestampedEntry (the
 * MerkleTreeLeaf without its 2-byte version and leaf_type), `pre_certificate` for a precert entry,
 * then the SHA-256 fingerprints of the chain, uint16-length-prefixed.
 */
export function tileLeafOf(
  leafInput: Uint8Array,
  chain: readonly Uint8Array[],
  preCertificate?: Uint8Array,
): Uint8Array {
  const parts: Uint8Array[] = [leafInput.subarray(2)];
  if (preCertificate !== undefined) {
    const n = preCertificate.length;
    parts.push(Uint8Array.of(n >> 16, (n >> 8) & 0xff, n & 0xff), preCertificate);
  }
  const fingerprints = chain.map((c) => new Uint8Array(createHash('sha256').update(c).digest()));
  const n = fingerprints.length * 32;
  parts.push(Uint8Array.of(n >> 8, n & 0xff), ...fingerprints);
  return new Uint8Array(Buffer.concat(parts));
}
