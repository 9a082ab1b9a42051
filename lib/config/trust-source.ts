/**
 * A `logs[]` entry that stands for many logs (docs/contracts.md, "Log types"):
 *
 *   { "trustedRoot": "<trusted_root.json file>" | "tuf": { "url": "...", "root"?: "<root.json file>" },
 *     "signingConfig"?: "<signing_config.json file>",
 *     "include"?: [name | baseUrl], "exclude"?: [name | baseUrl],
 *     "interval"?, "timeoutMs"?, "tlsCaBundle"?,            (every log of the root)
 *     "overrides"?: { "<name | baseUrl>": { "interval"?, "type"?, "url"?, "origin"?, ... } } }
 *
 * With both `tuf` and `trustedRoot`, the file is a snapshot for `cdk synth` (which makes no network
 * request) to decide which functions exist; the CLI and each function then follow the keys through
 * TUF. Only the shape is checked here; lib/trust/ reads the files, runs TUF and expands the root into
 * log entries, each then validated by parseLogConfig like a hand-written one. File paths are
 * relative to the config file. `tuf.root` may be left out only for the public Sigstore repository,
 * whose initial root ships with @sigstore/tuf.
 */
import { type ConfigIssues, describe, isPlainObject, unknownFieldMessage } from './issues.ts';
import { parseLogUrl } from './log-url.ts';

export interface TufSourceConfig {
  /** Repository base URL: metadata at `<url>/<n>.root.json`, targets at `<url>/targets/`. */
  readonly url: string;
  /** The pinned initial root.json, a file path; absent only for the public Sigstore repository. */
  readonly root?: string;
}

export interface TrustSource {
  /** Where it is in the config, e.g. `config.json: logs[2]`. */
  readonly where: string;
  readonly trustedRoot?: string;
  readonly tuf?: TufSourceConfig;
  readonly signingConfig?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** interval, timeoutMs, tlsCaBundle: applied to every log of the root. */
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The public Sigstore TUF repository (its initial root is in @sigstore/tuf's seeds.json). */
export const PUBLIC_SIGSTORE_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';

export const TRUST_SOURCE_FIELDS = [
  'trustedRoot',
  'tuf',
  'signingConfig',
  'include',
  'exclude',
  'interval',
  'timeoutMs',
  'tlsCaBundle',
  'overrides',
] as const;
const DEFAULT_FIELDS = ['interval', 'timeoutMs', 'tlsCaBundle'] as const;

export function isTrustSourceEntry(entry: unknown): boolean {
  return isPlainObject(entry) && (Object.hasOwn(entry, 'trustedRoot') || Object.hasOwn(entry, 'tuf'));
}

export function parseTrustSource(
  entry: Record<string, unknown>,
  where: string,
  issues: ConfigIssues,
): TrustSource | undefined {
  const before = issues.list.length;
  for (const key of Object.keys(entry)) {
    if (!(TRUST_SOURCE_FIELDS as readonly string[]).includes(key)) {
      issues.add(`${where}.${key}`, unknownFieldMessage(key, TRUST_SOURCE_FIELDS));
    }
  }
  const file = (f: string): string | undefined => {
    const v = entry[f];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '' || v.includes('\0')) {
      issues.add(`${where}.${f}`, `must be a file path (relative to the config file), got ${describe(v)}`);
      return undefined;
    }
    return v;
  };
  const trustedRoot = file('trustedRoot');
  const signingConfig = file('signingConfig');
  const tuf = entry.tuf === undefined ? undefined : parseTuf(entry.tuf, `${where}.tuf`, issues);
  const include = nameList(entry.include, `${where}.include`, issues);
  const exclude = nameList(entry.exclude, `${where}.exclude`, issues);
  const overrides: Record<string, Record<string, unknown>> = {};
  if (entry.overrides !== undefined) {
    if (!isPlainObject(entry.overrides)) {
      issues.add(
        `${where}.overrides`,
        `must be an object of log name or base URL to fields, got ${describe(entry.overrides)}`,
      );
    } else {
      for (const [k, v] of Object.entries(entry.overrides)) {
        if (!isPlainObject(v))
          issues.add(`${where}.overrides.${k}`, `must be an object of log fields, got ${describe(v)}`);
        else overrides[k] = { ...v };
      }
    }
  }
  const defaults: Record<string, unknown> = {};
  for (const f of DEFAULT_FIELDS) if (entry[f] !== undefined) defaults[f] = entry[f];
  if (issues.list.length > before) return undefined;
  return Object.freeze({
    where,
    ...(trustedRoot === undefined ? {} : { trustedRoot }),
    ...(tuf === undefined ? {} : { tuf }),
    ...(signingConfig === undefined ? {} : { signingConfig }),
    ...(include === undefined ? {} : { include }),
    ...(exclude === undefined ? {} : { exclude }),
    defaults: Object.freeze(defaults),
    overrides: Object.freeze(overrides),
  });
}

function parseTuf(value: unknown, path: string, issues: ConfigIssues): TufSourceConfig | undefined {
  if (!isPlainObject(value)) {
    issues.add(path, `must be { "url": "...", "root": "<root.json file>" }, got ${describe(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'url' && key !== 'root')
      issues.add(`${path}.${key}`, unknownFieldMessage(key, ['url', 'root']));
  }
  const url = parseLogUrl(value.url ?? PUBLIC_SIGSTORE_TUF_URL);
  if ('error' in url) {
    issues.add(`${path}.url`, `${url.error}, got ${describe(value.url)}`);
    return undefined;
  }
  const root = value.root;
  if (root === undefined && url.url !== PUBLIC_SIGSTORE_TUF_URL) {
    issues.add(
      `${path}.root`,
      `is required: the repository's initial root.json, pinned (only ${PUBLIC_SIGSTORE_TUF_URL} has a built-in one)`,
    );
    return undefined;
  }
  if (root !== undefined && (typeof root !== 'string' || root.trim() === '')) {
    issues.add(`${path}.root`, `must be the path of the initial root.json, got ${describe(root)}`);
    return undefined;
  }
  return Object.freeze({ url: url.url, ...(typeof root === 'string' ? { root } : {}) });
}

function nameList(value: unknown, path: string, issues: ConfigIssues): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    issues.add(path, `must be an array of log names or base URLs, got ${describe(value)}`);
    return undefined;
  }
  return Object.freeze([...(value as string[])]);
}
