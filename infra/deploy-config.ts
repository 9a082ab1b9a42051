/**
 * The deployment's configuration: the same config file as the CLI (`tlog-monitor.config.json`,
 * see lib/config/config-file.ts), validated at synth time, plus the rules only a deployment has.
 *
 * EventBridge Scheduler runs rate schedules in whole minutes, at most once a minute
 * (`rate(value unit)`, unit minutes|hours|days), so an interval the CLI accepts (10s..24h) is
 * refused here unless it is a whole number of minutes. Refusing is deliberate: silently rounding
 * 30s up to 1m would make the alarms' "N missed intervals" mean something other than configured.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AlertsConfig,
  type MonitorConfig,
  parseConfigFile,
  parseMonitorConfig,
} from '../lib/config/config-file.ts';
import { ConfigIssues } from '../lib/config/issues.ts';
import { type LogConfig, logConfigToJson } from '../lib/config/log-config.ts';
import { TlogError } from '../lib/errors.ts';
import { expandTrustForSynth } from './trusted-logs.ts';

/** The config file the CLI and the app read when none is named. */
export const DEFAULT_CONFIG_FILE = 'tlog-monitor.config.json';
/** The CDK context key (`npx cdk deploy -c config=FILE`) and environment variable naming the file. */
export const CONFIG_CONTEXT_KEY = 'config';
export const CONFIG_ENV_VAR = 'TLOG_MONITOR_CONFIG';

const MINUTE_MS = 60_000;
/** The largest log entry (as JSON) that fits in env LOG_CONFIG beside the other variables. */
export const MAX_LOG_CONFIG_BYTES = 3_500;

/** Where the config file is: CDK context first, then the environment, then the default, from `cwd`. */
export function resolveConfigPath(options: {
  readonly context?: unknown;
  readonly env?: string | undefined;
  readonly cwd: string;
}): string {
  const { context, env, cwd } = options;
  if (context !== undefined && context !== null) {
    if (typeof context !== 'string' || context.trim() === '') {
      throw new TlogError(
        'config/invalid',
        `CDK context "${CONFIG_CONTEXT_KEY}" must be the path of a config file, got ${JSON.stringify(context)}`,
      );
    }
    return resolve(cwd, context);
  }
  if (env !== undefined && env.trim() !== '') return resolve(cwd, env);
  return resolve(cwd, DEFAULT_CONFIG_FILE);
}

/**
 * Reads and validates a config file for deployment. Throws TlogError `config/invalid` listing
 * every problem, each naming the file, the log and the field.
 */
export function loadDeployConfig(path: string): MonitorConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new TlogError(
      'config/invalid',
      `cannot read the config file ${path} (${why}); name another with -c ${CONFIG_CONTEXT_KEY}=FILE ` +
        `or ${CONFIG_ENV_VAR}=FILE`,
    );
  }
  const config = expandTrustForSynth(parseConfigFile(text, path), path, Date.now());
  checkDeployable(config.logs, path);
  return config;
}

/**
 * Validates settings handed to the construct directly (not read from a file) exactly as the
 * config file's: every log field, names unique ignoring case, alert addresses and reminder
 * hours; then the deployment rules. Returns them parsed afresh.
 */
export function validateForDeployment(
  input: { readonly logs: readonly LogConfig[]; readonly alerts?: AlertsConfig },
  source: string,
): MonitorConfig {
  const raw = {
    logs: input.logs.map((l) => logConfigToJson(l)),
    ...(input.alerts === undefined ? {} : { alerts: input.alerts }),
  };
  const parsed = parseMonitorConfig(raw, source);
  checkDeployable(parsed.logs, source);
  return parsed;
}

/** The rules a deployment adds to the config file's: see scheduleMinutes. */
export function checkDeployable(logs: readonly LogConfig[], source: string): void {
  const issues = new ConfigIssues();
  logs.forEach((log, i) => {
    const at = `${source}: logs[${i}] (${JSON.stringify(log.name)})`;
    const minutes = scheduleMinutes(log);
    if ('error' in minutes) issues.add(`${at}.interval`, minutes.error);
    // Lambda allows 4 KB of environment in all; the other variables take about 300 bytes.
    const size = Buffer.byteLength(JSON.stringify(logConfigToJson(log)));
    if (size > MAX_LOG_CONFIG_BYTES) {
      issues.add(
        at,
        `the entry is ${size} bytes as JSON, over the ${MAX_LOG_CONFIG_BYTES} bytes that fit in the function's ` +
          'environment (Lambda allows 4 KB in all); list fewer witnesses, or shorten tlsCaBundle or the TUF root.json',
      );
    }
  });
  issues.throwIfAny();
}

/** The log's interval as whole minutes for a Scheduler rate expression, or why it has none. */
export function scheduleMinutes(log: LogConfig): { minutes: number } | { error: string } {
  if (log.intervalMs < MINUTE_MS || log.intervalMs % MINUTE_MS !== 0) {
    return {
      error:
        'EventBridge Scheduler runs a schedule at most once a minute and in whole minutes; ' +
        `use a whole number of minutes such as "1m", "5m" or "1h", got ${JSON.stringify(log.interval)}`,
    };
  }
  return { minutes: log.intervalMs / MINUTE_MS };
}

/** `rate(1 minute)`, `rate(5 minutes)`, `rate(2 hours)`: the Scheduler rate expression syntax. */
export function rateExpression(minutes: number): string {
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return `rate(${hours} ${hours === 1 ? 'hour' : 'hours'})`;
  }
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}
