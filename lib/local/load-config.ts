/**
 * The CLI's config: the config file, `--trusted-root FILE`, and the logs their trust sources
 * expand into (lib/trust/). Files named in a config are relative to it; `--trusted-root` is
 * relative to the working directory. Without `--config`, `--trusted-root` alone is the config.
 * TUF metadata is cached next to the state, in `<state dir>/tuf/<repository>`.
 * `checkStateDir`, when given, runs before any trust source is loaded (TUF and the Rekor API
 * probe are network work): a state directory it refuses turns every trust source into a
 * `monitor-error` naming the directory, and nothing is fetched.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type MonitorConfig, parseConfigFile, parseMonitorConfig } from '../config/config-file.ts';
import type { LogConfig } from '../config/log-config.ts';
import type { TrustSource } from '../config/trust-source.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import type { CheckResult } from '../monitor/check-result.ts';
import { nameFromUrl } from '../trust/expand.ts';
import { loadTrustSources } from '../trust/load.ts';

export const DEFAULT_CONFIG_FILE = 'tlog-monitor.config.json';
export const DEFAULT_STATE_DIR = '.tlog-monitor-state';

export interface LoadedConfig {
  readonly config: MonitorConfig;
  readonly configPath: string;
  readonly stateDir: string;
  /** Trust sources that could not be loaded, as `monitor-error` results. */
  readonly trustFailures: CheckResult[];
  /** Each TUF-keyed log's own metadata cache (checks run concurrently; caches are not shared). */
  readonly tufCacheDir: (log: LogConfig) => string;
}

export async function loadConfig(
  flags: { readonly config?: string; readonly 'trusted-root'?: string; readonly 'state-dir'?: string },
  httpFor: (log: Pick<LogConfig, 'timeoutMs' | 'tlsCaBundle'>) => HttpClient,
  nowMs: number = Date.now(),
  checkStateDir?: (stateDir: string) => Promise<void>,
): Promise<LoadedConfig> {
  const trustedRoot = flags['trusted-root'];
  const configPath = flags.config ?? (trustedRoot === undefined ? DEFAULT_CONFIG_FILE : 'command line');
  let config: MonitorConfig;
  if (flags.config === undefined && trustedRoot !== undefined) {
    config = parseMonitorConfig({ logs: [{ trustedRoot: resolve(trustedRoot) }] }, '--trusted-root');
  } else {
    config = parseConfigFile(await readText(configPath, '--config'), configPath);
    if (trustedRoot !== undefined) {
      const extra = parseMonitorConfig({ logs: [{ trustedRoot: resolve(trustedRoot) }] }, '--trusted-root');
      config = { ...config, trust: [...(config.trust ?? []), ...(extra.trust ?? [])] };
    }
  }
  const stateDir = flags['state-dir'] ?? config.stateDir ?? DEFAULT_STATE_DIR;
  const base = flags.config === undefined ? process.cwd() : dirname(resolve(configPath));
  const stateFailure = await stateDirFailure(config, stateDir, checkStateDir);
  if (stateFailure !== undefined) {
    const failures = (config.trust ?? []).map((source) => ({
      log: trustSourceName(source),
      status: 'monitor-error' as const,
      durationMs: 0,
      message: `${source.where}: ${stateFailure.message}`,
      errorCode: stateFailure.code,
    }));
    const tufCacheDir = (log: LogConfig) => join(stateDir, 'tuf', log.name);
    return { config: { ...config, trust: [] }, configPath, stateDir, trustFailures: failures, tufCacheDir };
  }
  const { config: expanded, failures } = await loadTrustSources(config, {
    readText: (p) => readText(resolve(base, p), 'trust source'),
    nowMs,
    http: (tlsCaBundle) => httpFor(tlsCaBundle === undefined ? {} : { tlsCaBundle }),
    tufCacheDir: (url) => join(stateDir, 'tuf', nameFromUrl(url)),
    probe: true,
  });
  const trustFailures = failures.map(
    (f): CheckResult => ({
      log: f.name,
      status: 'monitor-error',
      durationMs: 0,
      message: `${f.where}: ${f.error.message}`,
      errorCode: f.error.code,
    }),
  );
  if (expanded.logs.length === 0 && trustFailures.length === 0) {
    throw new TlogError('config/invalid', `${configPath}: no logs to check`);
  }
  const tufCacheDir = (log: LogConfig) =>
    join(stateDir, 'tuf', nameFromUrl(log.tufKeys?.url ?? log.url), 'logs', log.name);
  return { config: expanded, configPath, stateDir, trustFailures, tufCacheDir };
}

/** The state directory's problem, checked only when trust sources would otherwise fetch first. */
async function stateDirFailure(
  config: MonitorConfig,
  stateDir: string,
  checkStateDir: ((stateDir: string) => Promise<void>) | undefined,
): Promise<TlogError | undefined> {
  if (checkStateDir === undefined || (config.trust ?? []).length === 0) return undefined;
  try {
    await checkStateDir(stateDir);
    return undefined;
  } catch (e) {
    if (e instanceof TlogError) return e;
    throw e;
  }
}

/** A name for a trust source's result before it is expanded: `tuf-<host>` or `trusted-root-<file>`. */
function trustSourceName(source: TrustSource): string {
  if (source.tuf !== undefined) return `tuf-${nameFromUrl(source.tuf.url)}`;
  return `trusted-root-${basename(source.trustedRoot ?? '', '.json').replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new TlogError('config/invalid', `${what}: cannot read ${path}: ${why}`);
  }
}
