/**
 * The `tlog-monitor` command line (DESIGN.md, "CLI"):
 *
 *   tlog-monitor check  --type T --url URL --public-key FILE [--origin O] --state FILE [--timeout S] [--json]
 *   tlog-monitor check  [--config FILE] [--log NAME] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--json]
 *   tlog-monitor watch  [--config FILE] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--json] [--iterations N]
 *
 * USAGE below is the full help text. Exit code: 0 all clean, 1 some log misbehaved (outranks 2),
 * 2 some log could not be checked, or bad usage.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type LogConfig, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, parseLogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import { createHttpClient } from '../http/bounded-client.ts';
import { caBundleFetch } from '../http/ca-bundle-fetch.ts';
import type { HttpClient } from '../http/ports.ts';
import { systemClock } from '../http/ports.ts';
import { type CheckResult, worstExitCode } from '../monitor/check-result.ts';
import type { StateStore } from '../monitor/state-store.ts';
import { FileStateStore } from './file-state-store.ts';
import { formatResult } from './format-result.ts';
import { loadConfig } from './load-config.ts';
import { runChecks, watchLogs } from './run.ts';

export const USAGE = `tlog-monitor — prove that transparency logs stay append-only

Usage:
  tlog-monitor check --type T --url URL --public-key FILE [--origin O] --state FILE [--timeout S] [--json]
  tlog-monitor check [--config FILE] [--log NAME] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--json]
  tlog-monitor watch [--config FILE] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--json] [--iterations N]

Commands:
  check   check each log once: verify its signed head against the pinned key and prove it
          consistent with the last verified head; store the new head only if it is proven
  watch   check each configured log again and again, each on its own interval

Options:
  --config FILE      config file (default: tlog-monitor.config.json)
  --log NAME         check only this configured log
  --trusted-root FILE  monitor every log a Sigstore trusted_root.json lists (with or without --config)
  --state-dir DIR    directory of state files, one per log (default: config "stateDir" or .tlog-monitor-state)
  --type T           rekor-v1 | ct | tiles | static-ct
  --url URL          the log's base URL (https, or http on loopback)
  --public-key FILE  the log's public key: PEM (P-256 or Ed25519) or a C2SP verifier key
  --origin O         expected checkpoint origin / signer name
  --name NAME        name for an ad-hoc log (default: derived from the URL)
  --state FILE       state file for an ad-hoc check
  --timeout S        per-request timeout in seconds (default 10)
  --json             print one CheckResult JSON object per line
  --iterations N     watch: stop after N checks of each log (default: until SIGINT or SIGTERM)
  -h, --help         show this help

Exit codes: 0 every log verified, unchanged or initialized; 1 a log misbehaved (inconsistent,
fork, rollback, bad-signature); 2 a log could not be checked (unreachable, invalid-response,
monitor-error) or the command line or config is wrong. Misbehaviour outranks "could not check".
`;

interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Stops `watch` when aborted. */
  readonly signal?: AbortSignal;
}

const defaultIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`tlog-monitor: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { command, values } = parsed;
  if (values.help || command === undefined) {
    (command === undefined && !values.help ? io.err : io.out)(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    // An explicit --timeout wins; otherwise a log's own timeoutMs, otherwise 10 s.
    const flagTimeoutMs = values.timeout === undefined ? undefined : parseTimeout(values.timeout);
    const httpFor = (log: Pick<LogConfig, 'timeoutMs' | 'tlsCaBundle'>) =>
      createHttpClient({
        fetch: log.tlsCaBundle === undefined ? globalThis.fetch : caBundleFetch(log.tlsCaBundle),
        clock: systemClock,
        timeoutMs: flagTimeoutMs ?? log.timeoutMs ?? 10_000,
      });
    const { logs, store, trustFailures, tufCacheDir } = await loadTargets(command, values, httpFor);
    const print = (r: CheckResult) => (values.json ? io.out(JSON.stringify(r)) : io.out(formatResult(r)));
    if (command === 'check') {
      const results = [
        ...trustFailures,
        ...(await runChecks(logs, { httpFor, store, clock: systemClock, tufCacheDir })),
      ];
      results.forEach(print);
      return worstExitCode(results);
    }
    trustFailures.forEach(print);
    if (trustFailures.length > 0 && logs.length === 0) return 2;
    const iterations = values.iterations === undefined ? undefined : Number(values.iterations);
    const signal = io.signal ?? stopSignal();
    return await watchLogs(
      logs,
      { httpFor, store, clock: systemClock, tufCacheDir },
      { onResult: print, signal, iterations },
    );
  } catch (e) {
    io.err(`tlog-monitor: ${e instanceof TlogError || e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      log: { type: 'string' },
      'state-dir': { type: 'string' },
      'trusted-root': { type: 'string' },
      state: { type: 'string' },
      type: { type: 'string' },
      url: { type: 'string' },
      'public-key': { type: 'string' },
      origin: { type: 'string' },
      name: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      iterations: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== 'check' && command !== 'watch') {
    throw new Error(`unknown command "${command}" (expected check or watch)`);
  }
  if (rest.length > 0) throw new Error(`unexpected argument "${rest[0]}"`);
  if (values.iterations !== undefined && command !== 'watch') {
    throw new Error('--iterations is for "watch"');
  }
  if (values.iterations !== undefined && !/^[1-9][0-9]{0,6}$/.test(values.iterations)) {
    throw new Error(`--iterations must be a positive integer, got "${values.iterations}"`);
  }
  return { command: command as 'check' | 'watch' | undefined, values };
}

type Values = ReturnType<typeof parse>['values'];

/** --timeout in seconds; the same range as a config file's timeoutMs. */
function parseTimeout(s: string): number {
  const ms = Math.round(Number(s) * 1000);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(s) || !(ms >= MIN_TIMEOUT_MS && ms <= MAX_TIMEOUT_MS)) {
    throw new TlogError(
      'config/invalid',
      `--timeout must be a number of seconds from ${MIN_TIMEOUT_MS / 1000} to ${MAX_TIMEOUT_MS / 1000}, got "${s}"`,
    );
  }
  return ms;
}

async function loadTargets(
  command: 'check' | 'watch',
  v: Values,
  httpFor: (log: Pick<LogConfig, 'timeoutMs' | 'tlsCaBundle'>) => HttpClient,
): Promise<{
  logs: LogConfig[];
  store: StateStore;
  trustFailures: CheckResult[];
  tufCacheDir?: (log: LogConfig) => string;
}> {
  const adHoc = v.type !== undefined || v.url !== undefined || v['public-key'] !== undefined;
  if (adHoc) {
    if (command !== 'check')
      throw new TlogError(
        'config/invalid',
        '--type/--url/--public-key are for "check"; "watch" reads --config',
      );
    for (const [flag, val] of [
      ['--type', v.type],
      ['--url', v.url],
      ['--public-key', v['public-key']],
      ['--state', v.state],
    ] as const) {
      if (val === undefined) throw new TlogError('config/invalid', `an ad-hoc check needs ${flag}`);
    }
    if (v.config !== undefined || v.log !== undefined) {
      throw new TlogError(
        'config/invalid',
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
      trustFailures: [],
    };
  }
  if (v.state !== undefined)
    throw new TlogError('config/invalid', '--state is for an ad-hoc check; with a config use --state-dir');
  const loaded = await loadConfig(v, httpFor);
  const { config, configPath } = loaded;
  let logs = [...config.logs];
  if (v.log !== undefined) {
    logs = logs.filter((l) => l.name === v.log);
    if (logs.length === 0) {
      const known = config.logs.map((l) => l.name).join(', ');
      throw new TlogError(
        'config/invalid',
        `no log named "${v.log}" in ${configPath} (configured: ${known})`,
      );
    }
  }
  return {
    logs,
    store: FileStateStore.directory(loaded.stateDir),
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

function stopSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}
