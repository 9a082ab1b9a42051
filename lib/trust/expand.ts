/**
 * From a Sigstore trusted root to monitored logs (docs/contracts.md, "Log types"):
 *
 * - Rekor v1: every key listed under one `baseUrl` belongs to one sharded log; `publicKey` is the
 *   newest key (the active shard's) and `publicKeys` lists all of them with their `validFor`.
 * - Rekor v2: a `tiles` log at `<baseUrl>/api/v2` whose checkpoint origin is the URL's host
 *   (sigstore/rekor-tiles signs as its hostname; for Ed25519 keys the listed log ID must be the
 *   C2SP key hash of that origin, which is checked).
 * - CT: an RFC 6962 `ct` log at `baseUrl`.
 *
 * Rekor v1 or v2 (see `tlogApi`): an explicit `type` override, else the signing config's
 * `majorApiVersion` for that URL, else the answer of a probe made once at config time, else
 * Sigstore's naming of Rekor v2 shards (`log<YYYY>-<N>.` hosts, e.g. log2025-1.rekor.sigstore.dev),
 * else Rekor v1 (the only kind trusted roots listed before Rekor v2).
 *
 * A log whose keys' `validFor.end` have all passed is `frozen`: still checked, no growth alarm.
 * Names come from the URL (host and path), so they are stable across trusted-root updates.
 * The result is raw log entries; the caller validates them with parseLogConfig like any other.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, toBase64, toHex, utf8 } from '../bytes.ts';
import { ConfigIssues } from '../config/issues.ts';
import type { PublicKey } from '../keys/public-key.ts';
import {
  ed25519NoteLogId,
  spkiLogId,
  type TrustedLogKey,
  type TrustedRootLogs,
  type Validity,
} from './trusted-root.ts';

export type TlogApi = 'rekor-v1' | 'tiles';

/** Why a tlog was taken for Rekor v1 or v2; errors say it. */
export type TlogApiReason = 'override' | 'signing-config' | 'probe' | 'v2-shard-name' | 'default-v1';

const REASON_TEXT: Readonly<Record<TlogApiReason, string>> = {
  override: 'its type override',
  'signing-config': "the signing config's majorApiVersion",
  probe: 'the probe of /api/v1/log and /api/v2/checkpoint',
  'v2-shard-name': "Sigstore's log<year>-<n> naming of Rekor v2 shards",
  'default-v1': 'default: no override, signing config or probe said otherwise',
};

export interface ExpandOptions {
  /** Milliseconds since the epoch: decides which logs are frozen. */
  readonly nowMs: number;
  /** Keep only these logs (names or base URLs); absent keeps all. */
  readonly include?: readonly string[];
  /** Drop these logs (names or base URLs). */
  readonly exclude?: readonly string[];
  /** Fields every expanded log gets (interval, timeoutMs, tlsCaBundle, ...). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Per-log fields, by name or base URL; `type` picks Rekor v1 or v2 for a tlog. */
  readonly overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Rekor API major version by base URL, from a signing config. */
  readonly apiVersions?: ReadonlyMap<string, number>;
  /** What a probe found, by base URL (see probe.ts). */
  readonly probed?: ReadonlyMap<string, TlogApi>;
  /** Starts every message, e.g. `config.json: logs[0] (trustedRoot "tr.json")`. */
  readonly where: string;
}

export interface ExpandedLog {
  /** A raw log entry for parseLogConfig. */
  readonly entry: Record<string, unknown>;
  readonly baseUrl: string;
}

/** Fields a trusted root decides; an override may not change them. */
const PINNED_BY_ROOT = ['publicKey', 'publicKeys', 'frozen'] as const;

/** Sigstore names Rekor v2 shards log<year>-<n> (log2025-1.rekor.sigstore.dev). */
const V2_SHARD_HOST = /^log\d{4}-\d+\./;

export function expandTrustedRoot(root: TrustedRootLogs, options: ExpandOptions): ExpandedLog[] {
  const issues = new ConfigIssues();
  const out: ExpandedLog[] = [];
  const overrides = options.overrides ?? {};
  const usedOverrides = new Set<string>();
  const overrideFor = (name: string, baseUrl: string): Record<string, unknown> => {
    const hits = [name, baseUrl].filter((k) => Object.hasOwn(overrides, k));
    for (const h of hits) usedOverrides.add(h);
    return Object.assign({}, ...hits.map((h) => overrides[h]));
  };
  const wanted = (name: string, baseUrl: string): boolean => {
    const named = (list?: readonly string[]) => list?.some((x) => x === name || x === baseUrl) ?? false;
    return (options.include === undefined || named(options.include)) && !named(options.exclude);
  };

  for (const [baseUrl, keys] of groupByUrl(root.tlogs)) {
    const name = nameFromUrl(baseUrl);
    if (!wanted(name, baseUrl)) continue;
    const override = overrideFor(name, baseUrl);
    const at = `${options.where}: ${JSON.stringify(name)}`;
    const api = tlogApi(baseUrl, override.type, options);
    if ('error' in api) {
      issues.add(at, api.error);
      continue;
    }
    const entry =
      api.api === 'rekor-v1'
        ? rekorV1Entry(
            name,
            baseUrl,
            keys,
            options.nowMs,
            `${at} (Rekor v1 by ${REASON_TEXT[api.reason]})`,
            issues,
          )
        : rekorV2Entry(name, baseUrl, keys, options.nowMs, override.origin, at, issues);
    if (entry) out.push({ entry: merge(entry, options.defaults, override, at, issues), baseUrl });
  }
  for (const [baseUrl, keys] of groupByUrl(root.ctlogs)) {
    const name = nameFromUrl(baseUrl);
    if (!wanted(name, baseUrl)) continue;
    const override = overrideFor(name, baseUrl);
    const at = `${options.where}: ${JSON.stringify(name)}`;
    if (override.type !== undefined && override.type !== 'ct') {
      issues.add(
        `${at}.type`,
        `a ctlogs entry is a ct log; it cannot be overridden to ${JSON.stringify(override.type)}`,
      );
      continue;
    }
    const entry = ctEntry(name, baseUrl, keys, options.nowMs, at, issues);
    if (entry) out.push({ entry: merge(entry, options.defaults, override, at, issues), baseUrl });
  }
  for (const k of Object.keys(overrides)) {
    if (!usedOverrides.has(k)) {
      issues.add(
        `${options.where}: overrides.${k}`,
        'names no log of the trusted root (or one excluded); use a log name or a base URL from it',
      );
    }
  }
  for (const [field, list] of [
    ['include', options.include],
    ['exclude', options.exclude],
  ] as const) {
    for (const x of list ?? []) {
      const known = [...root.tlogs, ...root.ctlogs].some(
        (k) => k.baseUrl === x || nameFromUrl(k.baseUrl) === x,
      );
      if (!known)
        issues.add(`${options.where}: ${field}`, `${JSON.stringify(x)} names no log of the trusted root`);
    }
  }
  issues.throwIfAny();
  return out;
}

/**
 * A readable, stable log name from a URL: host and path, other characters as "-". Names are at
 * most 64 characters (LOG_NAME_PATTERN); a longer one keeps its first 55 and ends in 8 hex digits
 * of SHA-256(URL), so two long URLs never share a name.
 */
export function nameFromUrl(url: string): string {
  const u = new URL(url);
  const name = `${u.host}${u.pathname}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  if (name.length <= 64) return name;
  return `${name.slice(0, 55)}-${toHex(sha256(utf8(url))).slice(0, 8)}`;
}

/** Rekor v1 or v2 for one tlog base URL, and why (see the file comment for the order). */
export function tlogApi(
  baseUrl: string,
  type: unknown,
  options: Pick<ExpandOptions, 'apiVersions' | 'probed'>,
): { api: TlogApi; reason: TlogApiReason } | { error: string } {
  if (type !== undefined) {
    if (type === 'rekor-v1' || type === 'tiles') return { api: type, reason: 'override' };
    return {
      error: `type override must be "rekor-v1" (Rekor v1) or "tiles" (Rekor v2), got ${JSON.stringify(type)}`,
    };
  }
  const major = options.apiVersions?.get(baseUrl);
  if (major === 1) return { api: 'rekor-v1', reason: 'signing-config' };
  if (major === 2) return { api: 'tiles', reason: 'signing-config' };
  const probed = options.probed?.get(baseUrl);
  if (probed !== undefined) return { api: probed, reason: 'probe' };
  if (V2_SHARD_HOST.test(new URL(baseUrl).hostname)) return { api: 'tiles', reason: 'v2-shard-name' };
  return { api: 'rekor-v1', reason: 'default-v1' };
}

function rekorV1Entry(
  name: string,
  baseUrl: string,
  keys: readonly TrustedLogKey[],
  nowMs: number,
  at: string,
  issues: ConfigIssues,
): Record<string, unknown> | undefined {
  let ok = true;
  for (const k of keys) {
    if (k.key.kind !== 'p256') {
      issues.add(
        `${at} ${k.where}`,
        `Rekor v1 signs with ECDSA P-256, this key is ${k.key.kind} (set type "tiles" if it is Rekor v2)`,
      );
      ok = false;
    } else if (!bytesEqual(spkiLogId(k.key), k.logId)) {
      issues.add(
        `${at} ${k.where}.logId.keyId`,
        `must be SHA-256 of the key, ${toBase64(spkiLogId(k.key))}, got ${toBase64(k.logId)}`,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  // Oldest first; the newest start is the active shard's key.
  const sorted = [...keys].sort((a, b) => (a.validFor.startMs ?? 0) - (b.validFor.startMs ?? 0));
  const active = sorted[sorted.length - 1] as TrustedLogKey;
  return {
    name,
    type: 'rekor-v1',
    url: baseUrl,
    publicKey: pem(active.key),
    ...(sorted.length > 1
      ? { publicKeys: sorted.map((k) => ({ key: pem(k.key), validFor: validityJson(k.validFor) })) }
      : {}),
    ...(keys.every((k) => ended(k.validFor, nowMs)) ? { frozen: true } : {}),
  };
}

function rekorV2Entry(
  name: string,
  baseUrl: string,
  keys: readonly TrustedLogKey[],
  nowMs: number,
  originOverride: unknown,
  at: string,
  issues: ConfigIssues,
): Record<string, unknown> | undefined {
  const [k, ...more] = keys;
  if (!k || more.length > 0) {
    issues.add(
      at,
      `a Rekor v2 log has one key per base URL (a new key is a new shard URL), got ${keys.length}`,
    );
    return undefined;
  }
  const origin = typeof originOverride === 'string' ? originOverride : new URL(baseUrl).host;
  if (k.key.kind === 'ed25519' && !bytesEqual(ed25519NoteLogId(origin, k.key), k.logId)) {
    issues.add(
      `${at} ${k.where}.logId.keyId`,
      `is not the C2SP key hash of origin ${JSON.stringify(origin)} (expected ${toBase64(ed25519NoteLogId(origin, k.key))}, ` +
        `got ${toBase64(k.logId)}); set overrides.${name}.origin to the log's checkpoint origin`,
    );
    return undefined;
  }
  return {
    name,
    type: 'tiles',
    url: `${baseUrl}/api/v2`,
    publicKey: pem(k.key),
    origin,
    ...(ended(k.validFor, nowMs) ? { frozen: true } : {}),
  };
}

function ctEntry(
  name: string,
  baseUrl: string,
  keys: readonly TrustedLogKey[],
  nowMs: number,
  at: string,
  issues: ConfigIssues,
): Record<string, unknown> | undefined {
  const [k, ...more] = keys;
  if (!k || more.length > 0) {
    issues.add(at, `a CT log has one key (RFC 6962 §3.2: the log ID is the key's hash), got ${keys.length}`);
    return undefined;
  }
  if (k.key.kind !== 'p256') {
    issues.add(`${at} ${k.where}`, `CT logs sign with ECDSA P-256 here, this key is ${k.key.kind}`);
    return undefined;
  }
  if (!bytesEqual(spkiLogId(k.key), k.logId)) {
    issues.add(
      `${at} ${k.where}.logId.keyId`,
      `must be SHA-256 of the key, ${toBase64(spkiLogId(k.key))}, got ${toBase64(k.logId)}`,
    );
    return undefined;
  }
  return {
    name,
    type: 'ct',
    url: baseUrl,
    publicKey: pem(k.key),
    ...(ended(k.validFor, nowMs) ? { frozen: true } : {}),
  };
}

/** Defaults, then the root's fields, then the per-log override (which may not touch keys). */
function merge(
  entry: Record<string, unknown>,
  defaults: Readonly<Record<string, unknown>> | undefined,
  override: Record<string, unknown>,
  at: string,
  issues: ConfigIssues,
): Record<string, unknown> {
  const { type: _type, ...rest } = override; // `type` was used to pick v1 or v2
  for (const f of PINNED_BY_ROOT) {
    if (Object.hasOwn(rest, f)) {
      issues.add(`${at}.${f}`, 'comes from the trusted root and cannot be overridden');
      delete rest[f];
    }
  }
  return { ...defaults, ...entry, ...rest };
}

function groupByUrl(keys: readonly TrustedLogKey[]): Map<string, TrustedLogKey[]> {
  const groups = new Map<string, TrustedLogKey[]>();
  for (const k of keys) groups.set(k.baseUrl, [...(groups.get(k.baseUrl) ?? []), k]);
  return groups;
}

function ended(v: Validity, nowMs: number): boolean {
  return v.endMs !== undefined && v.endMs <= nowMs;
}

function validityJson(v: Validity): Record<string, string> {
  return {
    ...(v.start !== undefined ? { start: v.start } : {}),
    ...(v.end !== undefined ? { end: v.end } : {}),
  };
}

/** PEM SubjectPublicKeyInfo (RFC 7468 §13), 64 characters a line. */
export function pem(key: PublicKey): string {
  const b64 = toBase64(key.spki);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}
