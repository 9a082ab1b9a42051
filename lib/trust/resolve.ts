/**
 * Expands trust sources into validated log configs and merges them with the configured logs.
 * Synchronous and free of I/O: the caller has read the files (or fetched them through TUF).
 */
import type { MonitorConfig } from '../config/config-file.ts';
import { ConfigIssues, issuesOf } from '../config/issues.ts';
import { type LogConfig, parseLogConfig } from '../config/log-config.ts';
import { parseLogUrl } from '../config/log-url.ts';
import type { TrustSource } from '../config/trust-source.ts';
import { TlogError } from '../errors.ts';
import { expandTrustedRoot, type TlogApi } from './expand.ts';
import { parseSigningConfigApis } from './signing-config.ts';
import { parseTrustedRoot } from './trusted-root.ts';

export interface LoadedTrustSource {
  readonly source: TrustSource;
  /** trusted_root.json text, and where it came from (a file, or `tuf <url>`), for messages. */
  readonly trustedRoot: { readonly text: string; readonly from: string };
  readonly signingConfig?: { readonly text: string; readonly from: string };
  readonly probed?: ReadonlyMap<string, TlogApi>;
  /** Deploying with keys followed through TUF: each log's LogConfig.tufKeys (its root.json text, if not the public one). */
  readonly followTuf?: { readonly url: string; readonly root?: string };
}

/** One source's logs, each validated by parseLogConfig. Throws TlogError `config/invalid`. */
export function expandTrustSource(loaded: LoadedTrustSource, nowMs: number): LogConfig[] {
  const { source } = loaded;
  const root = parseTrustedRoot(loaded.trustedRoot.text, loaded.trustedRoot.from);
  const apiVersions =
    loaded.signingConfig === undefined
      ? undefined
      : parseSigningConfigApis(loaded.signingConfig.text, loaded.signingConfig.from);
  const where = `${source.where} (${loaded.trustedRoot.from})`;
  const expanded = expandTrustedRoot(root, {
    nowMs,
    where,
    defaults: source.defaults,
    overrides: normalisedKeys(source.overrides),
    ...(source.include === undefined ? {} : { include: source.include.map(normaliseName) }),
    ...(source.exclude === undefined ? {} : { exclude: source.exclude.map(normaliseName) }),
    ...(apiVersions === undefined ? {} : { apiVersions }),
    ...(loaded.probed === undefined ? {} : { probed: loaded.probed }),
  });
  const issues = new ConfigIssues();
  const logs: LogConfig[] = [];
  for (const { entry, baseUrl } of expanded) {
    const follow = loaded.followTuf === undefined ? {} : { tufKeys: { ...loaded.followTuf, baseUrl } };
    try {
      logs.push(parseLogConfig({ ...entry, ...follow }, where));
    } catch (e) {
      if (!(e instanceof TlogError && e.code === 'config/invalid')) throw e;
      issues.addAll(issuesOf(e));
    }
  }
  issues.throwIfAny();
  return logs;
}

/** The config with the trust sources' logs added; names stay unique (ignoring case). */
export function withTrustedLogs(config: MonitorConfig, trusted: readonly LogConfig[]): MonitorConfig {
  const issues = new ConfigIssues();
  const seen = new Map(config.logs.map((l) => [l.name.toLowerCase(), l]));
  const added: LogConfig[] = [];
  for (const log of trusted) {
    const clash = seen.get(log.name.toLowerCase());
    if (clash !== undefined) {
      issues.add(
        `log ${JSON.stringify(log.name)} (${log.url})`,
        `its name is taken by ${JSON.stringify(clash.name)} (${clash.url}); exclude one, or rename it with overrides.<name>.name`,
      );
      continue;
    }
    seen.set(log.name.toLowerCase(), log);
    added.push(log);
  }
  issues.throwIfAny();
  const { trust: _expanded, ...rest } = config;
  return Object.freeze({ ...rest, logs: Object.freeze([...config.logs, ...added]) });
}

function normaliseName(x: string): string {
  const u = parseLogUrl(x);
  return 'error' in u ? x : u.url;
}

function normalisedKeys<T>(o: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(o)) out[normaliseName(k)] = v;
  return out;
}
