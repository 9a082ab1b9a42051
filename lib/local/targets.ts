/**
 * What a command works on: the logs (from the config file, or one ad-hoc log from the command
 * line) and where their state is kept. Moved here from cli.ts unchanged in behaviour.
 */
import { readFile } from 'node:fs/promises';
import { type LogConfig, parseLogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import type { CheckResult } from '../monitor/check-result.ts';
import type { Command, Values } from './cli-args.ts';
import { FileStateStore } from './file-state-store.ts';
import { DEFAULT_CONFIG_FILE, DEFAULT_STATE_DIR, loadConfig } from './load-config.ts';

export interface Targets {
  readonly logs: LogConfig[];
  readonly store: FileStateStore;
  /** Where the state is, for the start line and `status`. */
  readonly stateLocation: string;
  /** Trust sources (trusted roots, TUF) that could not be loaded, as `monitor-error` results. */
  readonly trustFailures: CheckResult[];
  /** Where each TUF-keyed log caches its repository's metadata. */
  readonly tufCacheDir?: (log: LogConfig) => string;
}

export { DEFAULT_CONFIG_FILE as DEFAULT_CONFIG, DEFAULT_STATE_DIR };

export async function loadTargets(
  command: Command,
  v: Values,
  httpFor: (log: Pick<LogConfig, 'timeoutMs' | 'tlsCaBundle'>) => HttpClient,
): Promise<Targets> {
  const adHoc = v.type !== undefined || v.url !== undefined || v['public-key'] !== undefined;
  if (adHoc) {
    if (command !== 'check')
      throw new TlogError(
        'usage/invalid',
        `--type/--url/--public-key are for "check"; "${command}" reads --config`,
      );
    for (const [flag, val] of [
      ['--type', v.type],
      ['--url', v.url],
      ['--public-key', v['public-key']],
      ['--state', v.state],
    ] as const) {
      if (val === undefined) throw new TlogError('usage/invalid', `an ad-hoc check needs ${flag}`);
    }
    if (v.config !== undefined || v.log !== undefined) {
      throw new TlogError(
        'usage/invalid',
        '--config/--log cannot be combined with --type/--url/--public-key',
      );
    }
    const publicKey = await readText(v['public-key'] as string, '--public-key');
    const url = v.url as string;
    const raw = {
      name: v.name ?? defaultName(url),
      type: v.type,
      url,
      publicKey: publicKey.trim(),
      ...(v.origin !== undefined ? { origin: v.origin } : {}),
    };
    return {
      logs: [parseLogConfig(raw, 'command line')],
      store: FileStateStore.singleFile(v.state as string),
      stateLocation: v.state as string,
      trustFailures: [],
    };
  }
  if (v.state !== undefined)
    throw new TlogError('usage/invalid', '--state is for an ad-hoc check; with a config use --state-dir');
  // check and watch write state: a state directory they cannot write is found before the trust
  // sources are loaded over the network (cli.ts reports it for the logs written out).
  const loaded = await loadConfig(
    v,
    httpFor,
    Date.now(),
    command === 'status' ? undefined : FileStateStore.ensureDirectoryWritable,
  );
  const { config, configPath } = loaded;
  let logs = [...config.logs];
  if (v.log !== undefined) {
    logs = logs.filter((l) => l.name === v.log);
    // A state directory found unusable before the trust sources were expanded: their logs are
    // unknown, and the state problem is what to report.
    const unexpanded = loaded.trustFailures.some((r) => r.errorCode === 'state/io');
    if (logs.length === 0 && !unexpanded) {
      const known = config.logs.map((l) => l.name).join(', ');
      throw new TlogError(
        'config/invalid',
        `no log named ${JSON.stringify(v.log)} in ${configPath} (configured: ${known})`,
      );
    }
  }
  return {
    logs,
    store: FileStateStore.directory(loaded.stateDir),
    stateLocation: loaded.stateDir,
    trustFailures: loaded.trustFailures,
    tufCacheDir: loaded.tufCacheDir,
  };
}

function defaultName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.pathname}`
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-+$/, '')
      .slice(0, 64);
  } catch {
    return 'log';
  }
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new TlogError(
      'config/invalid',
      `${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}
