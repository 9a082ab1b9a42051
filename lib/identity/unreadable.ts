/**
 * An entry the matchers cannot read: malformed, of a kind not read, or over one of the caps that
 * bound the work spent on one entry. The matcher turns it into a `skipped` verdict; it never stops
 * the scan (docs/contracts.md, "Identity monitoring").
 */
import { TlogError } from '../errors.ts';

/** Caps on the work spent on one entry; an entry over any of them is skipped, with the cap named. */
export const LIMITS = {
  /** A JSON entry (Rekor v1 body, Rekor v2 entry) longer than this is not parsed. */
  maxJsonBytes: 1024 * 1024,
  /** One certificate, precertificate TBS or public key. */
  maxCertBytes: 64 * 1024,
  /** Subject alternative names in one certificate. */
  maxSubjectAltNames: 1000,
  /** Extensions in one certificate. */
  maxExtensions: 256,
  /** Characters in one name or extension value that a regex or a value list is run against. */
  maxNameChars: 4096,
  /** Signers (verifiers, keys, certificates) in one entry. */
  maxSigners: 16,
  /** PEM blocks in one public-key field. */
  maxPemBlocks: 8,
  /** Certificates in a chain that comes with the entry (CT extra_data, a PEM bundle). */
  maxChainCerts: 10,
} as const;

export function unreadable(reason: string): never {
  throw new TlogError('entry/unreadable', reason);
}
