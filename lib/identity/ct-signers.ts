/**
 * Signers of CT entries. The leaf is an RFC 6962 §3.4 MerkleTreeLeaf (for static-ct, rebuilt from
 * the TileLeaf, c2sp.org/static-ct-api):
 *
 *   version (0 = v1) ‖ leaf_type (0 = timestamped_entry) ‖ timestamp u64 ‖ entry_type u16 ‖
 *   x509_entry:    ASN.1Cert certificate (u24 length)
 *   precert_entry: issuer_key_hash[32] ‖ TBSCertificate (u24 length)
 *   ‖ CtExtensions (u16 length)
 *
 * The chain is not in the leaf. For ct it is `extra_data` (RFC 6962 §4.6): for x509_entry a u24
 * list of u24 certificates; for precert_entry a PrecertChainEntry, the pre_certificate (u24) and
 * then that list. static-ct serves only the chain's fingerprints, so no certificates come with
 * its entries: a chain to caRoots is then built from the caRoots certificates alone.
 */
import { readCertificate, readTbs } from './certificate.ts';
import type { EntrySigners } from './signer.ts';
import { LIMITS, unreadable } from './unreadable.ts';

export function ctSigners(leaf: Uint8Array, extraData: Uint8Array | undefined): EntrySigners {
  if (leaf.length < 12) unreadable(`MerkleTreeLeaf of ${leaf.length} bytes is too short`);
  if (leaf[0] !== 0) unreadable(`MerkleTreeLeaf version ${leaf[0]} is not v1 (0)`);
  if (leaf[1] !== 0) unreadable(`MerkleTreeLeaf leaf_type ${leaf[1]} is not timestamped_entry (0)`);
  const entryType = ((leaf[10] as number) << 8) | (leaf[11] as number);
  if (entryType === 0) {
    const cert = u24Vector(leaf, 12, 'certificate');
    endsWithExtensions(leaf, cert.next);
    return {
      entryType: 'x509_entry',
      signers: [
        { kind: 'certificate', cert: readCertificate(cert.bytes), chain: () => chainOf(extraData, false) },
      ],
    };
  }
  if (entryType === 1) {
    if (leaf.length < 44) unreadable('precert_entry: truncated issuer_key_hash');
    const issuerKeyHash = leaf.subarray(12, 44);
    const tbs = u24Vector(leaf, 44, 'tbs_certificate');
    endsWithExtensions(leaf, tbs.next);
    return {
      entryType: 'precert_entry',
      signers: [
        {
          kind: 'precertificate',
          cert: readTbs(tbs.bytes),
          issuerKeyHash,
          chain: () => chainOf(extraData, true),
        },
      ],
    };
  }
  return unreadable(`MerkleTreeLeaf entry_type ${entryType} is not x509_entry (0) or precert_entry (1)`);
}

/** CtExtensions extensions<0..2^16-1>, and nothing after it. */
function endsWithExtensions(leaf: Uint8Array, at: number): void {
  if (at + 2 > leaf.length) unreadable('MerkleTreeLeaf: truncated extensions');
  const len = ((leaf[at] as number) << 8) | (leaf[at + 1] as number);
  if (at + 2 + len !== leaf.length)
    unreadable(`MerkleTreeLeaf: ${leaf.length - (at + 2 + len)} bytes after the extensions`);
}

function u24Vector(buf: Uint8Array, at: number, what: string): { bytes: Uint8Array; next: number } {
  if (at + 3 > buf.length) unreadable(`${what}: truncated length`);
  const len = ((buf[at] as number) << 16) | ((buf[at + 1] as number) << 8) | (buf[at + 2] as number);
  if (at + 3 + len > buf.length)
    unreadable(`${what}: length ${len} exceeds the ${buf.length - at - 3} bytes left`);
  return { bytes: buf.subarray(at + 3, at + 3 + len), next: at + 3 + len };
}

/** The certificates of CT extra_data (RFC 6962 §4.6), leaf-side first. */
function chainOf(extraData: Uint8Array | undefined, precert: boolean): Uint8Array[] {
  if (extraData === undefined) return [];
  let at = 0;
  if (precert) at = u24Vector(extraData, 0, 'pre_certificate').next;
  const list = u24Vector(extraData, at, 'certificate_chain');
  if (list.next !== extraData.length) unreadable('extra_data: bytes after the certificate chain');
  const certs: Uint8Array[] = [];
  for (let p = 0; p < list.bytes.length; ) {
    if (certs.length === LIMITS.maxChainCerts)
      unreadable(`extra_data: more than ${LIMITS.maxChainCerts} certificates`);
    const cert = u24Vector(list.bytes, p, 'chain certificate');
    certs.push(cert.bytes);
    p = cert.next;
  }
  return certs;
}
