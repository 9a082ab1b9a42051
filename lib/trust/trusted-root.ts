/**
 * Reads a Sigstore `TrustedRoot` (sigstore/protobuf-specs `dev.sigstore.trustedroot.v1.TrustedRoot`,
 * JSON form: media type `application/vnd.dev.sigstore.trustedroot+json;version=0.1` or `.v0.2+json`).
 * Only the transparency logs are read: `tlogs[]` (Rekor) and `ctlogs[]` (CT), each a
 * `TransparencyLogInstance { baseUrl, hashAlgorithm, publicKey { rawBytes, keyDetails, validFor },
 * logId { keyId } }`. Certificate and timestamp authorities are not the monitor's business.
 *
 * Every key is parsed in full here (DER SPKI, ECDSA P-256 or Ed25519), so a trusted root that
 * cannot verify anything is refused when the configuration is read, not at the first check.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, utf8 } from '../bytes.ts';
import { ConfigIssues, describe, isPlainObject } from '../config/issues.ts';
import { parseJsonText } from '../config/json-text.ts';
import { parseLogUrl } from '../config/log-url.ts';
import { isTlogError } from '../errors.ts';
import { type PublicKey, parseSpki } from '../keys/public-key.ts';

/** protobuf-specs `PublicKeyDetails` values this monitor can verify with. */
export const SUPPORTED_KEY_DETAILS = ['PKIX_ECDSA_P256_SHA_256', 'PKIX_ED25519'] as const;

export interface Validity {
  /** Milliseconds since the epoch; absent when the trusted root gives no start. */
  readonly startMs?: number;
  /** Absent while the key is still in use. */
  readonly endMs?: number;
  /** The RFC 3339 text as written, for configs and messages. */
  readonly start?: string;
  readonly end?: string;
}

export interface TrustedLogKey {
  /** Where it is listed: `tlogs[0]`, `ctlogs[1]`. */
  readonly where: string;
  /** Normalised base URL (lib/config/log-url.ts). */
  readonly baseUrl: string;
  readonly key: PublicKey;
  readonly keyDetails: string;
  readonly validFor: Validity;
  /** `logId.keyId`, 32 bytes. */
  readonly logId: Uint8Array;
}

export interface TrustedRootLogs {
  readonly tlogs: readonly TrustedLogKey[];
  readonly ctlogs: readonly TrustedLogKey[];
}

/** Parses trusted_root.json text. Throws TlogError `config/invalid` naming every problem. */
export function parseTrustedRoot(text: string, source: string): TrustedRootLogs {
  const raw = parseJsonText(text, source);
  const issues = new ConfigIssues();
  if (!isPlainObject(raw)) {
    issues.add(source, `a trusted root must be a JSON object, got ${describe(raw)}`);
    issues.throwIfAny();
  }
  const root = raw as Record<string, unknown>;
  const mediaType = root.mediaType;
  // protobuf-specs media types: "...trustedroot+json;version=0.1" and "...trustedroot.v0.2+json".
  if (typeof mediaType !== 'string' || !mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
    issues.add(
      `${source}: mediaType`,
      `must be a Sigstore trusted root media type ("application/vnd.dev.sigstore.trustedroot..."), got ${describe(mediaType)}`,
    );
  }
  const tlogs = readLogs(root.tlogs, 'tlogs', source, issues);
  const ctlogs = readLogs(root.ctlogs, 'ctlogs', source, issues);
  if (issues.empty && tlogs.length + ctlogs.length === 0) {
    issues.add(source, 'lists no transparency logs (tlogs and ctlogs are both empty)');
  }
  issues.throwIfAny();
  return { tlogs, ctlogs };
}

function readLogs(value: unknown, field: string, source: string, issues: ConfigIssues): TrustedLogKey[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.add(`${source}: ${field}`, `must be an array, got ${describe(value)}`);
    return [];
  }
  const out: TrustedLogKey[] = [];
  value.forEach((entry: unknown, i) => {
    const log = readLog(entry, `${field}[${i}]`, source, issues);
    if (log) out.push(log);
  });
  return out;
}

function readLog(
  entry: unknown,
  where: string,
  source: string,
  issues: ConfigIssues,
): TrustedLogKey | undefined {
  const at = (f: string) => `${source}: ${where}${f === '' ? '' : `.${f}`}`;
  if (!isPlainObject(entry)) {
    issues.add(at(''), `must be a TransparencyLogInstance object, got ${describe(entry)}`);
    return undefined;
  }
  const before = issues.list.length;
  const url = parseLogUrl(entry.baseUrl);
  if ('error' in url) issues.add(at('baseUrl'), `${url.error}, got ${describe(entry.baseUrl)}`);
  if (entry.hashAlgorithm !== 'SHA2_256') {
    // RFC 6962 and tlog-tiles trees are SHA-256 trees; nothing else can be checked here.
    issues.add(at('hashAlgorithm'), `must be "SHA2_256", got ${describe(entry.hashAlgorithm)}`);
  }
  const pk = isPlainObject(entry.publicKey) ? entry.publicKey : undefined;
  if (pk === undefined) issues.add(at('publicKey'), `must be an object, got ${describe(entry.publicKey)}`);
  const details = pk?.keyDetails;
  if (pk && !(SUPPORTED_KEY_DETAILS as readonly unknown[]).includes(details)) {
    issues.add(
      at('publicKey.keyDetails'),
      `must be one of ${SUPPORTED_KEY_DETAILS.join(', ')} (exclude this log otherwise), got ${describe(details)}`,
    );
  }
  let key: PublicKey | undefined;
  if (pk && typeof pk.rawBytes === 'string') {
    try {
      key = parseSpki(fromBase64(pk.rawBytes, 'key/malformed'));
    } catch (e) {
      if (!isTlogError(e, 'key/')) throw e;
      issues.add(at('publicKey.rawBytes'), `not a usable DER public key: ${e.message}`);
    }
  } else if (pk)
    issues.add(at('publicKey.rawBytes'), `must be base64 DER SPKI, got ${describe(pk.rawBytes)}`);
  if (key && typeof details === 'string') {
    const expected = details === 'PKIX_ED25519' ? 'ed25519' : 'p256';
    if (key.kind !== expected) {
      issues.add(at('publicKey.keyDetails'), `says ${details} but rawBytes holds an ${key.kind} key`);
    }
  }
  const validFor = readValidity(pk?.validFor, at('publicKey.validFor'), issues);
  const logIdObj = isPlainObject(entry.logId) ? entry.logId : undefined;
  let logId: Uint8Array | undefined;
  try {
    logId = typeof logIdObj?.keyId === 'string' ? fromBase64(logIdObj.keyId, 'config/invalid') : undefined;
  } catch {
    logId = undefined;
  }
  if (logId?.length !== 32) {
    issues.add(at('logId.keyId'), `must be a base64 32-byte log ID, got ${describe(logIdObj?.keyId)}`);
  }
  if (issues.list.length > before || !key || !logId || 'error' in url || validFor === undefined) {
    return undefined;
  }
  return { where, baseUrl: url.url, key, keyDetails: details as string, validFor, logId };
}

function readValidity(value: unknown, path: string, issues: ConfigIssues): Validity | undefined {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.add(path, `must be an object { start, end? }, got ${describe(value)}`);
    return undefined;
  }
  const out: { startMs?: number; endMs?: number; start?: string; end?: string } = {};
  for (const bound of ['start', 'end'] as const) {
    const v = value[bound];
    if (v === undefined) continue;
    // protobuf Timestamp JSON form is RFC 3339 with a "Z" or offset.
    const ms =
      typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v)
        ? Date.parse(v)
        : Number.NaN;
    if (!Number.isFinite(ms)) {
      issues.add(`${path}.${bound}`, `must be an RFC 3339 timestamp, got ${describe(v)}`);
      return undefined;
    }
    out[bound] = v as string;
    out[`${bound}Ms`] = ms;
  }
  if (out.startMs !== undefined && out.endMs !== undefined && out.endMs < out.startMs) {
    issues.add(path, `ends (${out.end}) before it starts (${out.start})`);
    return undefined;
  }
  return out;
}

/** SHA-256 of the DER SPKI: the log ID of Rekor v1 and CT logs (RFC 6962 §3.2). */
export function spkiLogId(key: PublicKey): Uint8Array {
  return sha256(key.spki);
}

/**
 * The log ID of a tlog-tiles log signing with Ed25519 as `origin`: the full SHA-256 whose first
 * 4 bytes are the C2SP signed-note key ID, SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ key) (c2sp.org/signed-note).
 * Rekor v2 lists this as its `logId.keyId` (log2025-1.rekor.sigstore.dev is checked in the tests).
 */
export function ed25519NoteLogId(origin: string, key: PublicKey & { kind: 'ed25519' }): Uint8Array {
  return sha256(concatBytes(utf8(`${origin}\n`), Uint8Array.of(0x01), key.raw));
}
