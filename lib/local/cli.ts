/**
 * The `tlog-monitor` command line (docs/contracts.md, "Command line"); the full help text is in usage.ts:
 *
 *   tlog-monitor check  --type T --url URL --public-key FILE [--origin O] --state FILE [--timeout S] [--deadline S] [--json]
 *   tlog-monitor check  [--config FILE] [--log NAME] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--deadline S] [--json]
 *   tlog-monitor watch  [--config FILE] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--deadline S] [--json] [--iterations N] [--metrics-port P]
 *   tlog-monitor status [--config FILE] [--log NAME] [--state-dir DIR | --aws --table T] [--json]
 *   tlog-monitor --version | --help
 *   check and watch also take [--scan-max-entries N] [--scan-max-seconds S] (identity scan budget)
 *
 * Flags are parsed in cli-args.ts, the logs and state found in targets.ts. Exit code: 0 all
 * clean, 1 some log misbehaved (outranks 2), 2 some log could not be checked, or bad usage.
 * Errors are one line on stderr; with --json they are also a JSON object on stdout.
 */
import type { LogConfig } from '../config/log-config.ts';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import { createHttpClient } from '../http/bounded-client.ts';
import { caBundleFetch } from '../http/ca-bundle-fetch.ts';
import { withDeadline } from '../http/deadline.ts';
import type { HttpClient } from '../http/ports.ts';
import { systemClock } from '../http/ports.ts';
import { type CheckResult, worstExitCode } from '../monitor/check-result.ts';
import type { MetricsSink } from '../monitor/metrics.ts';
import type { ScanOptions } from '../scan/scan-options.ts';
import { parseCommandLine, parsePort, type Values } from './cli-args.ts';
import { formatResult } from './format-result.ts';
import { printable } from './printable.ts';
import { startMetricsServer } from './prometheus/metrics-server.ts';
import { PrometheusMetrics } from './prometheus/prometheus-metrics.ts';
import { recallFromState } from './prometheus/recall-from-state.ts';
import { type RunDeps, runChecks, watchLogs } from './run.ts';
import { configuredScanComponents, fileScanWiring, type ScanComponents } from './scan-wiring.ts';
import { runStatus } from './status/status-command.ts';
import { loadTargets, type Targets } from './targets.ts';
import { USAGE } from './usage.ts';
import { packageVersion } from './version.ts';

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Stops `watch` when aborted. */
  readonly signal?: AbortSignal;
  /** While a check runs longer than this (ms), say so on `err` every this often; absent: never. */
  readonly progressEveryMs?: number;
}

const defaultIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  // A person at a terminal hears about a slow check sooner than a log file does.
  progressEveryMs: process.stderr.isTTY ? 5_000 : 30_000,
};

export async function main(
  argv: readonly string[],
  io: Io = defaultIo,
  /** Each log's entry source and matchers for the identity scan; by default from its `identities` config. */
  scanComponents: ScanComponents = configuredScanComponents,
): Promise<number> {
  // Known before parsing, so that even a bad command line is reported as JSON when asked.
  const json = argv.includes('--json');
  const fail = (e: unknown): 2 => {
    reportError(e, json, io);
    return 2;
  };
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    return fail(e);
  }
  const { command, values } = parsed;
  if (values.version) {
    io.out(json ? JSON.stringify({ version: packageVersion() }) : packageVersion());
    return 0;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (command === undefined) {
    if (json) io.out(errorJson(new TlogError('usage/invalid', 'no command given')));
    io.err(USAGE);
    return 2;
  }
  try {
    // An explicit --timeout wins; otherwise a log's own timeoutMs, otherwise 10 s.
    const flagTimeoutMs = values.timeout === undefined ? undefined : parseTimeout(values.timeout);
    const deadlineMs = values.deadline === undefined ? DEFAULT_DEADLINE_MS : parseDeadline(values.deadline);
    // Called as each check starts (run.ts): its deadline counts from then. A log behind a private
    // CA has its tlsCaBundle added to the trusted roots (also for its trust root's TUF repository).
    const httpFor = (log: Pick<LogConfig, 'timeoutMs' | 'tlsCaBundle'>): HttpClient =>
      withDeadline(
        createHttpClient({
          fetch: log.tlsCaBundle === undefined ? globalThis.fetch : caBundleFetch(log.tlsCaBundle),
          clock: systemClock,
          timeoutMs: flagTimeoutMs ?? log.timeoutMs ?? 10_000,
        }),
        systemClock.now() + deadlineMs,
        `the check's deadline (${deadlineMs} ms)`,
      );
    const targets = await loadTargets(command, values, httpFor);
    if (command === 'status') return await runStatus(targets, values, io);
    // The monitor's own state first: a state directory it cannot write fails every log now,
    // as monitor-error, before any request is made.
    // (With trust sources, loadConfig found it before loading them: their results say so.)
    const unusable =
      (await stateProblem(targets)) ?? targets.trustFailures.find((r) => r.errorCode === 'state/io');
    if (unusable !== undefined) {
      for (const log of targets.logs) {
        const r: CheckResult = {
          log: log.name,
          durationMs: 0,
          checkedAt: new Date().toISOString(),
          ...unusable,
        };
        io.out(values.json ? JSON.stringify(r) : formatResult(r));
      }
      for (const r of targets.trustFailures) io.out(values.json ? JSON.stringify(r) : formatResult(r));
      return 2;
    }
    // Trust sources that could not be loaded (TUF unreachable, expired, forged): monitor-error.
    for (const r of targets.trustFailures) await finishResult(r, targets, values, io);
    if (targets.trustFailures.length > 0 && targets.logs.length === 0) return 2;
    const deps: RunDeps = {
      httpFor,
      store: targets.store,
      ...(targets.tufCacheDir !== undefined ? { tufCacheDir: targets.tufCacheDir } : {}),
      clock: systemClock,
      scanFor: fileScanWiring(withBudget(scanComponents, scanBudget(values, deadlineMs)), (log) =>
        targets.store.stateFileOf(log),
      ),
      ...(io.progressEveryMs !== undefined
        ? { progress: { everyMs: io.progressEveryMs, report: (line: string) => io.err(line) } }
        : {}),
    };
    if (command === 'check') {
      const results = await runChecks(targets.logs, deps);
      for (const r of results) await finishResult(r, targets, values, io);
      return worstExitCode([...targets.trustFailures, ...results]);
    }
    return await watch(targets, deps, values, io);
  } catch (e) {
    return fail(e);
  }
}

async function watch(targets: Targets, deps: RunDeps, values: Values, io: Io): Promise<number> {
  const port = values['metrics-port'] === undefined ? undefined : parsePort(values['metrics-port']);
  const prometheus = port === undefined ? undefined : new PrometheusMetrics(targets.logs, systemClock);
  if (prometheus) await recallFromState(prometheus, targets.logs, targets.store);
  const server =
    prometheus && port !== undefined ? await startMetricsServer(prometheus.registry, port) : undefined;
  try {
    const logs = targets.logs.map((l) => `${l.name} every ${l.interval}`).join(', ');
    const metrics = server ? `; metrics on port ${server.port} at /metrics` : '';
    io.err(
      `tlog-monitor ${packageVersion()} watching ${targets.logs.length} log${targets.logs.length === 1 ? '' : 's'} (${logs}); state in ${printable(targets.stateLocation)}${metrics}`,
    );
    const iterations = values.iterations === undefined ? undefined : Number(values.iterations);
    return await watchLogs(targets.logs, deps, {
      onResult: (r) => finishResult(r, targets, values, io, prometheus),
      signal: io.signal ?? stopSignal(),
      iterations,
    });
  } finally {
    await server?.close();
  }
}

/** After a check: record its status for `status`, count it in the metrics, print it. */
async function finishResult(
  r: CheckResult,
  targets: Targets,
  values: Values,
  io: Io,
  metrics?: MetricsSink,
): Promise<void> {
  try {
    await targets.store.recordCheck(r.log, r);
  } catch (e) {
    io.err(`tlog-monitor: ${r.log}: the last status was not recorded: ${(e as Error).message}`);
  }
  await metrics?.publish(r, {});
  io.out(values.json ? JSON.stringify(r) : formatResult(r));
}

/**
 * On stderr: the message (a usage error is one line, with a pointer to --help; a config error
 * lists each problem on its own line). With --json, also the error as JSON on stdout.
 */
function reportError(e: unknown, json: boolean, io: Io): void {
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof TlogError && e.code === 'usage/invalid' ? ' (see tlog-monitor --help)' : '';
  io.err(`tlog-monitor: ${message.split('\n').map(printable).join('\n')}${hint}`);
  if (json) io.out(errorJson(e));
}

/** `{"error": {"code", "message", "issues"?}}`: issues lists each config problem. */
function errorJson(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof TlogError ? e.code : 'internal';
  const issues =
    e instanceof TlogError && Array.isArray(e.details?.issues) ? { issues: e.details.issues } : {};
  return JSON.stringify({ error: { code, message, ...issues } });
}

/** Why the state cannot be written, as the fields of a monitor-error result; undefined if it can. */
async function stateProblem(
  targets: Targets,
): Promise<Pick<CheckResult, 'status' | 'message' | 'errorCode'> | undefined> {
  try {
    await targets.store.ensureWritable(targets.logs.map((l) => l.name));
    return undefined;
  } catch (e) {
    if (!(e instanceof TlogError)) throw e;
    return { status: 'monitor-error', message: e.message, errorCode: e.code };
  }
}

/**
 * The identity scan's budget per log and check: --scan-max-entries and --scan-max-seconds (checked
 * by cli-args.ts). Without --scan-max-seconds, half the check's deadline, so that the scan stops
 * between chunks well before its requests would run into the deadline.
 */
function scanBudget(v: Values, deadlineMs: number): Pick<ScanOptions, 'maxEntries' | 'maxMillis'> {
  const entries = v['scan-max-entries'];
  const seconds = v['scan-max-seconds'];
  return {
    ...(entries !== undefined ? { maxEntries: BigInt(entries) } : {}),
    maxMillis: seconds !== undefined ? Number(seconds) * 1000 : Math.floor(deadlineMs / 2),
  };
}

/** The flags' budget over each log's own scan options. */
function withBudget(
  components: ScanComponents,
  budget: Pick<ScanOptions, 'maxEntries' | 'maxMillis'>,
): ScanComponents {
  return (log, http) => {
    const c = components(log, http);
    return c ? { ...c, options: { ...c.options, ...budget } } : undefined;
  };
}

/** Default --deadline: a check, retries and backoff included, is over in a minute. */
const DEFAULT_DEADLINE_MS = 60_000;

/** --deadline in seconds, 1 to 3600. */
function parseDeadline(s: string): number {
  const ms = Math.round(Number(s) * 1000);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(s) || !(ms >= 1_000 && ms <= 3_600_000)) {
    throw new TlogError('usage/invalid', `--deadline must be a number of seconds from 1 to 3600, got "${s}"`);
  }
  return ms;
}

/** --timeout in seconds; the same range as a config file's timeoutMs. */
function parseTimeout(s: string): number {
  const ms = Math.round(Number(s) * 1000);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(s) || !(ms >= MIN_TIMEOUT_MS && ms <= MAX_TIMEOUT_MS)) {
    throw new TlogError(
      'usage/invalid',
      `--timeout must be a number of seconds from ${MIN_TIMEOUT_MS / 1000} to ${MAX_TIMEOUT_MS / 1000}, got "${s}"`,
    );
  }
  return ms;
}

function stopSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}
