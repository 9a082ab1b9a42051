/**
 * One monitored log: the entry that is the same in the CLI config file, the CDK config and the
 * Lambda's LOG_CONFIG (see docs/contracts.md, "Log types"). `parseLogConfig` validates every field and
 * reports every problem, each naming the log and the field.
 */

import { X509Certificate } from 'node:crypto';
import { isTlogError } from '../errors.ts';
import { type IdentitiesConfig, identitiesToJson, parseIdentities } from '../identity/identities-config.ts';
import type { LogType } from '../logs/log-client.ts';
import { logKeyMaterial, parseWitnessPolicy, refuseSelfWitness } from '../tiles/witness-policy.ts';
import { DEFAULT_INTERVAL, parseInterval } from './interval.ts';
import { ConfigIssues, describe, isPlainObject, unknownFieldMessage } from './issues.ts';
import { type KeyText, looksLikePem, parseKeyText, parseVkeyText } from './key-text.ts';
import { parseLogUrl } from './log-url.ts';

export interface LogConfig {
  /** Matches LOG_NAME_PATTERN: used in file names, DynamoDB keys, metric dimensions, Lambda names. */
  readonly name: string;
  readonly type: LogType;
  /** Absolute base URL, normalised, without a trailing slash. */
  readonly url: string;
  /** PEM SPKI text or a C2SP verifier key string, as configured. */
  readonly publicKey: string;
  /**
   * The checkpoint origin to pin. For `tiles` and `static-ct` it is always set: as configured, or
   * else the name of the verifier key. Never set for `ct`.
   */
  readonly origin?: string;
  /** The check interval as configured (`30s`, `5m`, `1h`), DEFAULT_INTERVAL when none was. */
  readonly interval: string;
  /** `interval` in milliseconds. */
  readonly intervalMs: number;
  /** Witness verifier keys (tile logs only), as configured. */
  readonly witnesses?: readonly string[];
  /** How many of `witnesses` must cosign each checkpoint (0..witnesses.length); absent means 0. */
  readonly minWitnesses?: number;
  /** Per-request timeout for this log, in milliseconds; absent means the client default. */
  readonly timeoutMs?: number;
  /**
   * A signed head the operator trusts, exactly as the log serves it (checkpoint note text, or
   * get-sth JSON for ct). The first check proves the log consistent with it instead of trusting
   * its first answer; it must verify with `publicKey` (checked at the first check).
   */
  readonly trustedHead?: string;
  /** Identity monitoring (docs/contracts.md, "Identity monitoring"): which entries to report, from where. */
  readonly identities?: IdentitiesConfig;
  /**
   * Rekor v1 only: every key of the sharded log with its validity, as a trusted root lists them
   * (lib/trust/expand.ts). `publicKey` is one of them (the active shard's). A head verifies with
   * whichever of them signed it: Rekor signs a retired shard's head with that shard's key when it
   * serves it, so the head's time says nothing about which key's `validFor` it falls in.
   */
  readonly publicKeys?: readonly ShardKey[];
  /** The log no longer grows (its trusted-root validity has ended): checked, no growth alarm. */
  readonly frozen?: boolean;
  /** PEM certificates the log's HTTPS certificate may chain to (a private CA), besides the system ones. */
  readonly tlsCaBundle?: string;
  /**
   * Keys followed through TUF at run time (the Lambda): before each check, the log's keys are
   * taken afresh from the TUF-verified trusted root, where this log is listed at `baseUrl`.
   */
  readonly tufKeys?: LogTufSource;
}

export interface LogTufSource {
  /** The TUF repository. */
  readonly url: string;
  /** The pinned initial root.json text; absent for the public Sigstore repository. */
  readonly root?: string;
  /** The log's base URL in the trusted root. */
  readonly baseUrl: string;
}

/** One Rekor v1 key and when it signs (RFC 3339 times from the trusted root's `validFor`). */
export interface ShardKey {
  readonly key: string;
  readonly validFor: { readonly start?: string; readonly end?: string };
}

export const LOG_TYPES = ['rekor-v1', 'ct', 'tiles', 'static-ct'] as const satisfies readonly LogType[];
// Fails to compile if LogType gains a member that LOG_TYPES lacks.
const allTypesListed: [Exclude<LogType, (typeof LOG_TYPES)[number]>] extends [never] ? true : never = true;
void allTypesListed;

export const LOG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A checkpoint with 100 signature lines, or a get-sth answer, fits easily. */
export const MAX_TRUSTED_HEAD_CHARS = 16_384;
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 600_000;

/** The fields a log entry may have, in the order they are documented. */
export const LOG_CONFIG_FIELDS = [
  'name',
  'type',
  'url',
  'publicKey',
  'origin',
  'interval',
  'witnesses',
  'minWitnesses',
  'timeoutMs',
  'trustedHead',
  'identities',
  'publicKeys',
  'frozen',
  'tlsCaBundle',
  'tufKeys',
] as const;

const TILE_TYPES: ReadonlySet<LogType> = new Set<LogType>(['tiles', 'static-ct']);

/**
 * Validates one log entry. `where` says where it came from (`logs[2]`, `LOG_CONFIG`) and starts
 * every message, followed by the log name when it is valid: `logs[2] ("rekor").url: ...`.
 * A parsed LogConfig serialised with logConfigToJson parses back to an equal LogConfig (so does one
 * serialised with JSON.stringify when it has no `identities`, whose startIndex is a bigint).
 * Throws TlogError `config/invalid` listing every problem (details.issues).
 */
export function parseLogConfig(raw: unknown, where: string): LogConfig {
  const issues = new ConfigIssues();
  if (!isPlainObject(raw)) {
    issues.add(where, `a log entry must be a JSON object, got ${describe(raw)}`);
    issues.throwIfAny();
  }
  const entry = raw as Record<string, unknown>;

  const name = entry.name;
  const nameOk = typeof name === 'string' && LOG_NAME_PATTERN.test(name);
  const at = nameOk ? `${where} (${JSON.stringify(name)})` : where;
  const field = (f: string): string => `${at}.${f}`;
  if (!nameOk) {
    issues.add(
      `${where}.name`,
      `${name === undefined ? 'is required and ' : ''}must be 1 to 64 letters, digits, ".", "_" or "-", ` +
        `starting with a letter or digit (it is used in file names, DynamoDB keys, metric dimensions ` +
        `and Lambda names), got ${describe(name)}`,
    );
  }

  for (const key of Object.keys(entry)) {
    if (!(LOG_CONFIG_FIELDS as readonly string[]).includes(key) && key !== 'intervalMs') {
      issues.add(field(key), unknownFieldMessage(key, LOG_CONFIG_FIELDS));
    }
  }

  const type = entry.type;
  const typeOk = typeof type === 'string' && (LOG_TYPES as readonly string[]).includes(type);
  if (!typeOk) {
    issues.add(
      field('type'),
      `${type === undefined ? 'is required; it ' : ''}must be one of ${LOG_TYPES.join(', ')}, got ${describe(type)}`,
    );
  }
  const logType = typeOk ? (type as LogType) : undefined;
  const isTileLog = logType !== undefined && TILE_TYPES.has(logType);

  let url: string | undefined;
  if (entry.url === undefined)
    issues.add(field('url'), 'is required: the log base URL, e.g. "https://rekor.sigstore.dev"');
  else {
    const u = parseLogUrl(entry.url);
    if ('error' in u) issues.add(field('url'), `${u.error}, got ${describe(entry.url)}`);
    else url = u.url;
  }

  const key = checkPublicKey(entry.publicKey, logType, field('publicKey'), issues);

  const origin = checkOrigin(entry.origin, logType, key, field('origin'), issues);

  const intervalText = entry.interval === undefined ? DEFAULT_INTERVAL : entry.interval;
  const interval = parseInterval(intervalText);
  if ('error' in interval)
    issues.add(field('interval'), `${interval.error}, got ${describe(entry.interval)}`);
  else if (entry.intervalMs !== undefined && entry.intervalMs !== interval.ms) {
    // Accepted only as the echo of a serialised LogConfig; it is derived, never a setting.
    issues.add(
      field('intervalMs'),
      `is derived from interval ${describe(intervalText)} (${interval.ms}); remove it, got ${describe(entry.intervalMs)}`,
    );
  }

  const witnesses = checkWitnesses(entry.witnesses, logType, isTileLog, field('witnesses'), issues);
  if (witnesses !== undefined && key !== undefined && origin !== undefined) {
    checkNotSelfWitness(witnesses, entry.publicKey as string, key, origin, field('witnesses'), issues);
  }
  // When the witnesses list is itself invalid, its length is unknown: skip the upper bound.
  const witnessCount = entry.witnesses === undefined ? 0 : witnesses?.length;
  const minWitnesses = checkMinWitnesses(entry.minWitnesses, witnessCount, logType, isTileLog, field, issues);

  let timeoutMs: number | undefined;
  if (entry.timeoutMs !== undefined) {
    const t = entry.timeoutMs;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < MIN_TIMEOUT_MS || t > MAX_TIMEOUT_MS) {
      issues.add(
        field('timeoutMs'),
        `must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}, got ${describe(t)}`,
      );
    } else timeoutMs = t;
  }

  const trustedHead = entry.trustedHead;
  if (
    trustedHead !== undefined &&
    (typeof trustedHead !== 'string' ||
      trustedHead.length === 0 ||
      trustedHead.length > MAX_TRUSTED_HEAD_CHARS)
  ) {
    issues.add(
      field('trustedHead'),
      `must be the signed head as the log serves it (checkpoint text or get-sth JSON, at most ${MAX_TRUSTED_HEAD_CHARS} characters), got ${describe(trustedHead)}`,
    );
  }

  const identities =
    entry.identities === undefined
      ? undefined
      : parseIdentities(entry.identities, field('identities'), issues);
  const publicKeys = checkPublicKeys(entry.publicKeys, logType, entry.publicKey, field('publicKeys'), issues);
  if (entry.frozen !== undefined && typeof entry.frozen !== 'boolean') {
    issues.add(field('frozen'), `must be true or false, got ${describe(entry.frozen)}`);
  }
  const tlsCaBundle = entry.tlsCaBundle;
  if (tlsCaBundle !== undefined) {
    const problem = caBundleProblem(tlsCaBundle);
    if (problem !== undefined) issues.add(field('tlsCaBundle'), `${problem}, got ${describe(tlsCaBundle)}`);
  }

  const tufKeys = checkTuf(entry.tufKeys, field('tufKeys'), issues);

  issues.throwIfAny();
  // Key order is fixed, so equal configs serialise identically.
  return Object.freeze({
    name: name as string,
    type: logType as LogType,
    url: url as string,
    publicKey: entry.publicKey as string,
    ...(origin === undefined ? {} : { origin }),
    interval: intervalText as string,
    intervalMs: (interval as { ms: number }).ms,
    ...(witnesses === undefined ? {} : { witnesses: Object.freeze([...witnesses]) }),
    ...(minWitnesses === undefined ? {} : { minWitnesses }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(typeof trustedHead === 'string' ? { trustedHead } : {}),
    ...(identities === undefined ? {} : { identities }),
    ...(publicKeys === undefined ? {} : { publicKeys }),
    ...(entry.frozen === true ? { frozen: true } : {}),
    ...(typeof tlsCaBundle === 'string' ? { tlsCaBundle } : {}),
    ...(tufKeys === undefined ? {} : { tufKeys }),
  });
}

function checkTuf(value: unknown, path: string, issues: ConfigIssues): LogTufSource | undefined {
  if (value === undefined) return undefined;
  const url = isPlainObject(value) ? parseLogUrl(value.url) : { error: 'missing' };
  const baseUrl = isPlainObject(value) ? parseLogUrl(value.baseUrl) : { error: 'missing' };
  const root = isPlainObject(value) ? value.root : undefined;
  const extra = isPlainObject(value)
    ? Object.keys(value).filter((k) => !['url', 'root', 'baseUrl'].includes(k))
    : [];
  if (
    'error' in url ||
    'error' in baseUrl ||
    (root !== undefined && (typeof root !== 'string' || root === '')) ||
    extra.length > 0
  ) {
    issues.add(
      path,
      `must be { "url": TUF repository, "root"?: initial root.json text, "baseUrl": the log's trusted-root URL }, got ${describe(value)}`,
    );
    return undefined;
  }
  return Object.freeze({ url: url.url, ...(typeof root === 'string' ? { root } : {}), baseUrl: baseUrl.url });
}

/** `publicKeys`: Rekor v1 only, PEM P-256 keys with RFC 3339 `validFor`, `publicKey` among them. */
function checkPublicKeys(
  value: unknown,
  type: LogType | undefined,
  publicKey: unknown,
  path: string,
  issues: ConfigIssues,
): readonly ShardKey[] | undefined {
  if (value === undefined) return undefined;
  if (type !== undefined && type !== 'rekor-v1') {
    issues.add(path, `only rekor-v1 logs have a key per shard, not ${type} logs; remove it`);
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    issues.add(
      path,
      `must be a non-empty array of { "key": PEM, "validFor": { "start", "end"? } }, got ${describe(value)}`,
    );
    return undefined;
  }
  const out: ShardKey[] = [];
  value.forEach((item: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(item) || typeof item.key !== 'string') {
      issues.add(at, `must be { "key": PEM, "validFor": { "start", "end"? } }, got ${describe(item)}`);
      return;
    }
    const key = parseKeyText(item.key);
    if ('error' in key || key.kind !== 'pem' || key.key.kind !== 'p256') {
      issues.add(`${at}.key`, `must be a PEM ECDSA P-256 public key (Rekor v1), got ${describe(item.key)}`);
      return;
    }
    const v = item.validFor ?? {};
    const bad = (t: unknown) => t !== undefined && (typeof t !== 'string' || !Number.isFinite(Date.parse(t)));
    if (
      !isPlainObject(v) ||
      bad(v.start) ||
      bad(v.end) ||
      Object.keys(v).some((k) => k !== 'start' && k !== 'end')
    ) {
      issues.add(
        `${at}.validFor`,
        `must be { "start"?, "end"? } with RFC 3339 times, got ${describe(item.validFor)}`,
      );
      return;
    }
    out.push(
      Object.freeze({
        key: item.key,
        validFor: Object.freeze({
          ...(typeof v.start === 'string' ? { start: v.start } : {}),
          ...(typeof v.end === 'string' ? { end: v.end } : {}),
        }),
      }),
    );
  });
  if (out.length === value.length && typeof publicKey === 'string' && !out.some((k) => k.key === publicKey)) {
    issues.add(path, "must list publicKey too (publicKey is the active shard's key)");
  }
  return Object.freeze(out);
}

/** The entry as written in a config file or LOG_CONFIG: a LogConfig without derived fields. */
export function logConfigToJson(config: LogConfig): Record<string, unknown> {
  const { intervalMs: _derived, identities, ...rest } = config;
  return { ...rest, ...(identities === undefined ? {} : { identities: identitiesToJson(identities) }) };
}

function checkPublicKey(
  value: unknown,
  type: LogType | undefined,
  path: string,
  issues: ConfigIssues,
): KeyText | undefined {
  if (value === undefined) {
    issues.add(path, 'is required: a PEM public key or a verifier key string "<name>+<hash>+<base64>"');
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.add(path, `must be a string (PEM text or a verifier key), got ${describe(value)}`);
    return undefined;
  }
  const key = parseKeyText(value);
  if ('error' in key) {
    issues.add(path, `${key.error}, got ${describe(value)}`);
    return undefined;
  }
  if ((type === 'rekor-v1' || type === 'ct') && key.kind !== 'pem') {
    issues.add(
      path,
      `${type} logs need a PEM public key ("-----BEGIN PUBLIC KEY-----"); verifier key strings are for ` +
        `tiles and static-ct logs, got ${describe(value)}`,
    );
    return undefined;
  }
  if ((type === 'ct' || type === 'static-ct') && key.kind === 'pem' && key.key.kind !== 'p256') {
    // RFC 6962 §2.1.4: CT logs sign with ECDSA NIST P-256 (or RSA, which is not supported here);
    // static-ct-api logs sign checkpoints with the same key (c2sp.org/static-ct-api).
    issues.add(path, `${type} logs sign with ECDSA P-256 (RFC 6962 §2.1.4), got an ${key.key.kind} key`);
    return undefined;
  }
  return key;
}

function checkOrigin(
  value: unknown,
  type: LogType | undefined,
  key: KeyText | undefined,
  path: string,
  issues: ConfigIssues,
): string | undefined {
  if (value !== undefined) {
    if (type === 'ct') {
      issues.add(path, 'ct logs have no checkpoint origin; remove it');
      return undefined;
    }
    // c2sp.org/tlog-checkpoint: the origin is the first line of the checkpoint, non-empty.
    if (typeof value !== 'string' || value === '' || /[\p{Cc}]/u.test(value) || value.trim() !== value) {
      issues.add(
        path,
        `must be the checkpoint's first line: non-empty, no control characters or surrounding spaces, got ${describe(value)}`,
      );
      return undefined;
    }
    return value;
  }
  if (type === undefined || !TILE_TYPES.has(type) || key === undefined) return undefined;
  if (key.kind === 'vkey') return key.name; // the verifier key's name is the log's origin
  issues.add(
    path,
    `is required for ${type} logs when publicKey is PEM (a verifier key string names the origin; a PEM key does not)`,
  );
  return undefined;
}

function checkWitnesses(
  value: unknown,
  type: LogType | undefined,
  isTileLog: boolean,
  path: string,
  issues: ConfigIssues,
): string[] | undefined {
  if (value === undefined) return undefined;
  if (type !== undefined && !isTileLog) {
    issues.add(path, `only tiles and static-ct logs have witness cosignatures, not ${type} logs; remove it`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    issues.add(path, `must be an array of verifier key strings, got ${describe(value)}`);
    return undefined;
  }
  let ok = true;
  value.forEach((w: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof w !== 'string' || looksLikePem(w)) {
      issues.add(at, `must be a witness verifier key string "<name>+<hash>+<base64>", got ${describe(w)}`);
      ok = false;
      return;
    }
    const vkey = parseVkeyText(w);
    if ('error' in vkey) {
      issues.add(at, `${vkey.error}, got ${describe(w)}`);
      ok = false;
    }
  });
  if (ok) {
    // The tile client's own rule: each witness once, by name and by key (a cosignature does not
    // name its witness, so one key under two names would count one cosignature twice).
    try {
      parseWitnessPolicy(value as string[]);
    } catch (e) {
      if (!isTlogError(e, 'config/')) throw e;
      const { first, duplicate } = e.details ?? {};
      issues.add(`${path}[${String(duplicate)}]`, `duplicates witnesses[${String(first)}]: ${e.message}`);
      ok = false;
    }
  }
  return ok ? (value as string[]) : undefined;
}

/** The tile client's rule, at load time: no witness has the log's name or the log's own key. */
function checkNotSelfWitness(
  witnesses: readonly string[],
  publicKey: string,
  key: KeyText,
  origin: string,
  path: string,
  issues: ConfigIssues,
): void {
  const names = key.kind === 'vkey' ? [origin, key.name] : [origin];
  try {
    refuseSelfWitness(
      parseWitnessPolicy(witnesses),
      { names, keys: [logKeyMaterial(publicKey)] },
      'this log',
    );
  } catch (e) {
    if (!isTlogError(e, 'config/')) throw e;
    issues.add(path, e.message);
  }
}

function checkMinWitnesses(
  value: unknown,
  witnessCount: number | undefined,
  type: LogType | undefined,
  isTileLog: boolean,
  field: (f: string) => string,
  issues: ConfigIssues,
): number | undefined {
  if (value === undefined) return undefined;
  if (type !== undefined && !isTileLog) {
    issues.add(
      field('minWitnesses'),
      `only tiles and static-ct logs have witnesses, not ${type} logs; remove it`,
    );
    return undefined;
  }
  const max = witnessCount ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    issues.add(
      field('minWitnesses'),
      witnessCount === undefined
        ? `must be a whole number, at least 0, got ${describe(value)}`
        : `must be a whole number from 0 to ${max} (the number of witnesses configured), got ${describe(value)}`,
    );
    return undefined;
  }
  return value;
}

/**
 * Why a tlsCaBundle is unusable, if it is: it must be PEM certificates (RFC 7468 §5), each one
 * parseable, so a pasted-in mistake is a config error, not an `unreachable` at every check.
 */
function caBundleProblem(value: unknown): string | undefined {
  const blocks = typeof value === 'string' ? (value.match(PEM_CERTIFICATE) ?? []) : [];
  if (blocks.length === 0) return 'must be PEM text with one or more "-----BEGIN CERTIFICATE-----" blocks';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (e) {
      return `certificate ${i + 1} of ${blocks.length} does not parse (${(e as Error).message})`;
    }
  }
  return undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g;
