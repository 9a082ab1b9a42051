/** Real entries from test/vectors as ReceivedEntry, and helpers that wrap minted certificates in entries. */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { readVector } from '../support/vectors.ts';
import { toPem } from './mint.ts';

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** The production Rekor v1 entries (sigstore-js, sigstore-go and conformance fixtures). */
export function rekorV1Production(): ReceivedEntry[] {
  return readVector('rekor/checkpoints-v1-production.json').entries.map(
    (e: { canonicalizedBody: string }, i: number) => ({
      index: BigInt(i),
      leaf: b64(e.canonicalizedBody),
    }),
  );
}

/** Rekor v1 entries of staging, scaffolding and conformance instances (their own Fulcio). */
export function rekorV1Other(): ReceivedEntry[] {
  return readVector('rekor/checkpoints-v1-other-instances.json').entries.map(
    (e: { canonicalizedBody: string }, i: number) => ({ index: BigInt(i), leaf: b64(e.canonicalizedBody) }),
  );
}

/** Rekor v2 entries as stored in the entry bundles (production, staging, local). */
export function rekorV2(): ReceivedEntry[] {
  return readVector('tiles/rekor-v2-checkpoints.json').entries.map(
    (e: { canonicalizedBody: string }, i: number) => ({
      index: BigInt(i),
      leaf: b64(e.canonicalizedBody),
    }),
  );
}

/** The real Icarus get-entry-and-proof answer: an x509_entry for gem-jewelers.com under Let's Encrypt X3. */
export function icarus(): ReceivedEntry & { chain: Uint8Array[] } {
  const e = readVector('ct/proofs.json').inclusion[0];
  const extra = b64(e.extra_data);
  const chain: Uint8Array[] = [];
  const total = ((extra[0] as number) << 16) | ((extra[1] as number) << 8) | (extra[2] as number);
  for (let p = 3; p < 3 + total; ) {
    const len = ((extra[p] as number) << 16) | ((extra[p + 1] as number) << 8) | (extra[p + 2] as number);
    chain.push(extra.subarray(p + 3, p + 3 + len));
    p += 3 + len;
  }
  return { index: 120000000n, leaf: b64(e.leaf_input), unsigned: extra, chain };
}

/**
 * Production Fulcio's CA certificates (intermediate and root), from the trusted root that
 * @sigstore/tuf ships offline in seeds.json (sigstore/root-signing).
 */
export function productionFulcioPem(): string {
  const seeds = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('@sigstore/tuf/seeds.json'), 'utf8'),
  );
  const root = JSON.parse(
    Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64').toString(
      'utf8',
    ),
  );
  const current = root.certificateAuthorities.find(
    (ca: { validFor: { end?: string } }) => ca.validFor.end === undefined,
  );
  return current.certChain.certificates.map((c: { rawBytes: string }) => toPem(b64(c.rawBytes))).join('');
}

/** SHA-256 of a certificate's SubjectPublicKeyInfo as OpenSSL re-encodes it (an independent computation). */
export function spkiFingerprint(der: Uint8Array): string {
  const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  return createHashHex(spki);
}

export function createHashHex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A Rekor body `{ apiVersion, kind, spec }` as leaf bytes. */
export function rekorBody(kind: string, apiVersion: string, spec: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify({ apiVersion, kind, spec })));
}

/** base64 of PEM text, as Rekor v1 stores keys and certificates. */
export function b64Pem(pem: string): string {
  return Buffer.from(pem).toString('base64');
}

/** An RFC 6962 §3.4 MerkleTreeLeaf. */
export function ctLeaf(
  entry: { x509: Uint8Array } | { tbs: Uint8Array; issuerKeyHash: Uint8Array },
): Uint8Array {
  const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];
  const head = [0, 0, 0, 0, 0, 0, 1, 0x8f, 0, 0]; // v1, timestamped_entry, timestamp
  const body =
    'x509' in entry
      ? [0, 0, ...u24(entry.x509.length), ...entry.x509]
      : [0, 1, ...entry.issuerKeyHash, ...u24(entry.tbs.length), ...entry.tbs];
  return new Uint8Array([...head, ...body, 0, 0]);
}

/** CT extra_data: for x509_entry the chain; for precert_entry the pre_certificate then the chain. */
export function ctExtraData(chain: readonly Uint8Array[], preCertificate?: Uint8Array): Uint8Array {
  const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];
  const list = chain.flatMap((c) => [...u24(c.length), ...c]);
  const pre = preCertificate === undefined ? [] : [...u24(preCertificate.length), ...preCertificate];
  return new Uint8Array([...pre, ...u24(list.length), ...list]);
}
