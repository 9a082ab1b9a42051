/** Runs checks for configured logs: once (`check`) or on each log's interval (`watch`). */
import type { LogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import type { Clock, HttpClient } from '../http/ports.ts';
import { createLogClient } from '../logs/create-client.ts';
import { checkLog } from '../monitor/check.ts';
import { type CheckResult, exitCodeFor, worseExitCode } from '../monitor/check-result.ts';
import type { StateStore } from '../monitor/state-store.ts';
import { checkAndScan, type ScanWiring } from '../scan/check-and-scan.ts';
import { followKeysThroughTuf } from '../trust/follow-keys.ts';

export interface RunDeps {
  /** The bounded HTTP client for a log (its own timeout, if the config sets one). */
  readonly httpFor: (log: LogConfig) => HttpClient;
  readonly store: StateStore;
  readonly clock: Clock;
  /** While a check runs longer than `everyMs`, a line saying so every `everyMs`. */
  readonly progress?: { readonly everyMs: number; readonly report: (line: string) => void };
  /** Where a log whose keys follow TUF (LogConfig.tufKeys) caches the repository's metadata. */
  readonly tufCacheDir?: (log: LogConfig) => string;
  /** The identity scan of a log after its check (docs/contracts.md, "Identity monitoring"); none when undefined. */
  readonly scanFor?: (log: LogConfig, http: HttpClient) => ScanWiring | undefined;
}

/**
 * Checks one log; a log whose client cannot be built (keys not available through TUF included)
 * yields a monitor-error result.
 */
export async function runOne(log: LogConfig, deps: RunDeps): Promise<CheckResult> {
  let client: ReturnType<typeof createLogClient>;
  let scan: ScanWiring | undefined;
  try {
    const http = deps.httpFor(log);
    const keyed =
      log.tufKeys === undefined || deps.tufCacheDir === undefined
        ? log
        : await followKeysThroughTuf(log, { http, cacheDir: deps.tufCacheDir(log), nowMs: deps.clock.now() });
    client = createLogClient(keyed, http);
    scan = deps.scanFor?.(keyed, http);
  } catch (e) {
    return {
      log: log.name,
      status: 'monitor-error',
      durationMs: 0,
      checkedAt: new Date(deps.clock.now()).toISOString(),
      message: (e as Error).message,
      errorCode: e instanceof TlogError ? e.code : 'internal',
    };
  }
  const checkDeps = {
    client,
    store: deps.store,
    clock: deps.clock,
    ...(log.trustedHead !== undefined ? { trustedHead: log.trustedHead } : {}),
  };
  const stopProgress = deps.progress ? reportProgress(log.name, deps.progress, deps.clock) : () => {};
  try {
    return await (scan ? checkAndScan(log.name, checkDeps, scan) : checkLog(log.name, checkDeps));
  } finally {
    stopProgress();
  }
}

/** Says every `everyMs` that the check of `log` is still running; returns the function that stops it. */
function reportProgress(log: string, progress: NonNullable<RunDeps['progress']>, clock: Clock): () => void {
  const started = clock.now();
  const timer = setInterval(() => {
    const seconds = Math.round((clock.now() - started) / 1000);
    progress.report(`${new Date(clock.now()).toISOString()} ${log}: still checking (${seconds} s so far)`);
  }, progress.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Checks every log once, concurrently; results come back in config order. */
export function runChecks(logs: readonly LogConfig[], deps: RunDeps): Promise<CheckResult[]> {
  return Promise.all(logs.map((log) => runOne(log, deps)));
}

export interface WatchOptions {
  /** Receives each result; when it returns a promise, the log's next check waits for it. */
  readonly onResult: (r: CheckResult) => unknown;
  readonly signal: AbortSignal;
  /** Stop after this many checks of each log (for tests and cron-like use); default: forever. */
  readonly iterations?: number;
}

/**
 * Checks each log on its own interval until the signal aborts (or `iterations` checks each).
 * Returns the worst exit code seen, so a supervisor can tell a monitor that saw a lie.
 */
export async function watchLogs(
  logs: readonly LogConfig[],
  deps: RunDeps,
  options: WatchOptions,
): Promise<number> {
  // Only the worst exit code so far is kept (a watch runs for months; results go to onResult).
  let worst: 0 | 1 | 2 = 0;
  await Promise.all(
    logs.map(async (log) => {
      for (let i = 0; options.iterations === undefined || i < options.iterations; i++) {
        if (options.signal.aborted) return;
        const started = deps.clock.now();
        const result = await runOne(log, deps);
        worst = worseExitCode(worst, exitCodeFor(result.status));
        await options.onResult(result);
        if (options.iterations !== undefined && i + 1 >= options.iterations) return;
        await sleepUntil(started + log.intervalMs, deps.clock, options.signal);
      }
    }),
  );
  return worst;
}

async function sleepUntil(when: number, clock: Clock, signal: AbortSignal): Promise<void> {
  const ms = when - clock.now();
  if (ms <= 0 || signal.aborted) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
