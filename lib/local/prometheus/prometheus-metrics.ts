/**
 * The metrics port (lib/monitor/metrics.ts) for Prometheus, with prom-client: what `watch
 * --metrics-port` serves (docs/contracts.md, "Prometheus"). Per log, label `log`:
 *
 *   tlog_monitor_tree_size                       gauge: the verified tree size (clean checks only)
 *   tlog_monitor_checks_total{status}            counter: checks by status
 *   tlog_monitor_misbehaviour_total              counter: checks that found misbehaviour
 *   tlog_monitor_seconds_since_verified_check    gauge: since the last clean check
 *   tlog_monitor_seconds_since_growth            gauge: since the tree was last seen to grow
 *   tlog_monitor_check_interval_seconds          gauge: the configured interval (for alert rules)
 *   tlog_monitor_identity_matches_total          counter: identity matches reported by checks
 *
 * and rekor-monitor's two counters, so its dashboards and rules keep working:
 *
 *   log_index_verification_total                 counter: every check
 *   log_index_verification_failure               counter: every check that was not clean
 *
 * Before a log's first clean check (or first growth) in this process, the "seconds since"
 * gauges count from what `recall` was told (the last clean check and the stored head's time,
 * kept in the state files), else from the moment the log was registered: a monitor that never
 * succeeds is seen, and a restart does not reset the count.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { LogConfig } from '../../config/log-config.ts';
import type { Clock } from '../../http/ports.ts';
import { type CheckResult, isClean, MISBEHAVIOUR } from '../../monitor/check-result.ts';
import type { MetricExtras, MetricsSink } from '../../monitor/metrics.ts';

/** A CheckResult that may carry identity matches (docs/contracts.md, "Identity monitoring"). */
type WithMatches = CheckResult & { readonly matches?: readonly unknown[] };

export class PrometheusMetrics implements MetricsSink {
  readonly registry = new Registry();
  readonly #clock: Clock;
  /** Per log: ms since the epoch of the last clean check, and of the last growth seen. */
  readonly #lastClean = new Map<string, number>();
  readonly #lastGrowth = new Map<string, number>();
  /** Logs with at least one check published by this process. */
  readonly #checked = new Set<string>();
  readonly #treeSize: Gauge<'log'>;
  readonly #checks: Counter<'log' | 'status'>;
  readonly #misbehaviour: Counter<'log'>;
  readonly #matches: Counter<'log'>;
  readonly #interval: Gauge<'log'>;
  readonly #verificationTotal: Counter<'log'>;
  readonly #verificationFailure: Counter<'log'>;

  constructor(logs: readonly LogConfig[], clock: Clock) {
    this.#clock = clock;
    const registers = [this.registry];
    const labelNames = ['log'] as const;
    this.#treeSize = new Gauge({
      name: 'tlog_monitor_tree_size',
      help: 'Size of the last verified tree head of the log',
      labelNames,
      registers,
    });
    this.#checks = new Counter({
      name: 'tlog_monitor_checks_total',
      help: 'Checks of the log, by status',
      labelNames: ['log', 'status'],
      registers,
    });
    this.#misbehaviour = new Counter({
      name: 'tlog_monitor_misbehaviour_total',
      help: 'Checks that found the log misbehaving (inconsistent, fork, rollback, bad-signature), with evidence',
      labelNames,
      registers,
    });
    this.#matches = new Counter({
      name: 'tlog_monitor_identity_matches_total',
      help: 'Identity matches reported by checks of the log',
      labelNames,
      registers,
    });
    this.#interval = new Gauge({
      name: 'tlog_monitor_check_interval_seconds',
      help: 'Configured check interval of the log',
      labelNames,
      registers,
    });
    this.#verificationTotal = new Counter({
      name: 'log_index_verification_total',
      help: 'Checks of the log (rekor-monitor compatible)',
      labelNames,
      registers,
    });
    this.#verificationFailure = new Counter({
      name: 'log_index_verification_failure',
      help: 'Checks of the log that were not clean: misbehaviour or could not check (rekor-monitor compatible)',
      labelNames,
      registers,
    });
    const since = (name: string, help: string, times: Map<string, number>) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect: function (this: Gauge<'log'>) {
          const now = clock.now();
          for (const [log, t] of times) this.set({ log }, Math.max(0, (now - t) / 1000));
        },
      });
    since(
      'tlog_monitor_seconds_since_verified_check',
      'Seconds since the last clean check of the log (since the monitor started, before the first one)',
      this.#lastClean,
    );
    since(
      'tlog_monitor_seconds_since_growth',
      'Seconds since the log was last seen to grow (since the monitor started, before that)',
      this.#lastGrowth,
    );
    const started = clock.now();
    for (const log of logs) {
      this.#lastClean.set(log.name, started);
      this.#lastGrowth.set(log.name, started);
      this.#interval.set({ log: log.name }, log.intervalMs / 1000);
      // Zero series from the start, so rate() and increase() see the first event.
      this.#verificationTotal.inc({ log: log.name }, 0);
      this.#verificationFailure.inc({ log: log.name }, 0);
      this.#misbehaviour.inc({ log: log.name }, 0);
      this.#matches.inc({ log: log.name }, 0);
    }
  }

  /**
   * What an earlier run saw (ISO 8601 times from the state files): the last clean check, and the
   * last growth (when the stored head was stored). Ignored for a log that is not registered or
   * that this process has already seen checked, and for a time that is unreadable or in the future.
   */
  recall(log: string, seen: { readonly lastCleanAt?: string; readonly lastGrowthAt?: string }): void {
    if (!this.#lastClean.has(log) || this.#checked.has(log)) return;
    const now = this.#clock.now();
    const set = (times: Map<string, number>, iso: string | undefined) => {
      const t = iso === undefined ? Number.NaN : Date.parse(iso);
      if (Number.isFinite(t) && t <= now) times.set(log, t);
    };
    set(this.#lastClean, seen.lastCleanAt);
    set(this.#lastGrowth, seen.lastGrowthAt);
  }

  async publish(result: CheckResult, _extras: MetricExtras): Promise<void> {
    const log = result.log;
    const now = this.#clock.now();
    this.#checked.add(log);
    this.#checks.inc({ log, status: result.status });
    this.#verificationTotal.inc({ log });
    if (!isClean(result.status)) this.#verificationFailure.inc({ log });
    if (MISBEHAVIOUR.has(result.status)) this.#misbehaviour.inc({ log });
    if (isClean(result.status)) {
      this.#lastClean.set(log, now);
      if (result.current) {
        // A gauge is a double: past 2^53 it is approximate (the CheckResult keeps it exact).
        this.#treeSize.set({ log }, Number(BigInt(result.current.size)));
        if (result.status === 'initialized' || result.status === 'verified') this.#lastGrowth.set(log, now);
      }
    }
    const matches = (result as WithMatches).matches;
    if (Array.isArray(matches) && matches.length > 0) this.#matches.inc({ log }, matches.length);
  }

  /** The text exposition of every series. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
