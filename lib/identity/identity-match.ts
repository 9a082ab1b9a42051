/**
 * What the matchers report (docs/contracts.md, "Identity monitoring"): one IdentityMatch per configured
 * rule that an entry satisfies. The config names follow rekor-monitor's `monitoredValues`.
 */
import type { EntryFormat, ReceivedEntry } from '../entries/received-entry.ts';

export type MatcherKind = 'certIdentities' | 'subjects' | 'fingerprints' | 'oidMatchers';

export interface IdentityMatch {
  /** Index of the entry (decimal string: trees pass 2^53); per shard for Rekor v1. */
  readonly index: string;
  /** Rekor v1 tree ID of the shard the index belongs to, when the log has shards. */
  readonly shard?: string;
  readonly matcher: MatcherKind;
  /** The configured rule that matched, as configured (regex source, fingerprint, OID). */
  readonly rule: string;
  /** The values in the entry that matched (SANs and issuer, a fingerprint, an extension value). */
  readonly values: readonly string[];
  /** The entry's type as its log names it: hashedrekord, dsse, intoto, rekord, x509_entry, precert_entry. */
  readonly entryType: string;
}

/** An entry the matchers could not read (malformed, oversized): counted and listed, never silently dropped. */
export interface SkippedEntry {
  readonly index: string;
  readonly shard?: string;
  readonly reason: string;
}

/** What one proven entry yields: its matches (often none), or why it could not be read. */
export type EntryVerdict =
  | { readonly matches: readonly Omit<IdentityMatch, 'index' | 'shard'>[] }
  | { readonly skipped: string };

/** The compiled `identities` config of one log. Pure and synchronous; throws nothing. */
export interface EntryMatcher {
  match(format: EntryFormat, entry: ReceivedEntry): EntryVerdict;
}
