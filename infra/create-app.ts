/**
 * Builds the CDK app from the config file and CDK context; infra/app.ts synthesizes it. Kept
 * apart from app.ts so tests can build the app without synthesizing to disk.
 *
 * Context (`cdk.json` or `-c key=value`):
 *   config                 path of the config file (else env TLOG_MONITOR_CONFIG, else tlog-monitor.config.json)
 *   stackName              default TransparencyLogMonitor
 *   missedChecks           intervals without a successful check before alarming (default 3)
 *   notGrowingAfterHours   hours without growth before alarming (default 6)
 *   frozenLogs             logs that get no growth alarm: a JSON array or comma-separated names
 *   logsPerStack           the most logs in one stack; more go into nested stacks (default 40)
 *   detailedMetrics        "true": every metric per log, not only those the alarms need (costs more)
 */
import { App, Duration, Validations } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TlogError } from '../lib/errors.ts';
import { CONFIG_CONTEXT_KEY, CONFIG_ENV_VAR, loadDeployConfig, resolveConfigPath } from './deploy-config.ts';
import { MonitorStack } from './monitor-stack.ts';

export const DEFAULT_STACK_NAME = 'TransparencyLogMonitor';

export interface MonitorAppOptions {
  /** Working directory the config path is relative to. */
  readonly cwd: string;
  /** Environment: TLOG_MONITOR_CONFIG. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Context for tests; the CDK CLI passes it through the environment instead. */
  readonly context?: Record<string, unknown>;
  /** Where to synthesize. Default: the CLI's choice (cdk.out). */
  readonly outdir?: string;
  /** Function code instead of the bundle built from functions/monitor.ts (tests). */
  readonly code?: Code;
}

export interface MonitorApp {
  readonly app: App;
  readonly stack: MonitorStack;
  readonly configPath: string;
}

export function createMonitorApp(options: MonitorAppOptions): MonitorApp {
  const app = new App({
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
  });
  const ctx = (key: string): unknown => app.node.tryGetContext(key);
  const configPath = resolveConfigPath({
    context: ctx(CONFIG_CONTEXT_KEY),
    env: options.env?.[CONFIG_ENV_VAR],
    cwd: options.cwd,
  });
  const config = loadDeployConfig(configPath);

  const missedChecks = numberContext(ctx('missedChecks'), 'missedChecks');
  const hours = numberContext(ctx('notGrowingAfterHours'), 'notGrowingAfterHours');
  const frozenLogs = listContext(ctx('frozenLogs'), 'frozenLogs');
  const logsPerStack = numberContext(ctx('logsPerStack'), 'logsPerStack');
  const detailedMetrics = booleanContext(ctx('detailedMetrics'), 'detailedMetrics');
  const stackName = ctx('stackName');
  if (
    stackName !== undefined &&
    (typeof stackName !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName))
  ) {
    throw new TlogError(
      'config/invalid',
      `CDK context "stackName" must be a CloudFormation stack name (a letter, then letters, digits or "-"), got ${JSON.stringify(stackName)}`,
    );
  }

  const stack = new MonitorStack(app, (stackName as string | undefined) ?? DEFAULT_STACK_NAME, {
    description: `tlog-monitor: proves ${config.logs.length} transparency ${config.logs.length === 1 ? 'log stays' : 'logs stay'} append-only`,
    config,
    monitor: {
      ...(missedChecks === undefined ? {} : { missedChecks }),
      ...(hours === undefined ? {} : { notGrowingAfter: Duration.hours(hours) }),
      ...(frozenLogs === undefined ? {} : { frozenLogs }),
      ...(logsPerStack === undefined ? {} : { logsPerStack }),
      ...(detailedMetrics === undefined ? {} : { detailedMetrics }),
      ...(options.code === undefined ? {} : { code: options.code }),
    },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, configPath };
}

function numberContext(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new TlogError(
      'config/invalid',
      `CDK context "${key}" must be a positive number, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function booleanContext(value: unknown, key: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TlogError(
    'config/invalid',
    `CDK context "${key}" must be true or false, got ${JSON.stringify(value)}`,
  );
}

function listContext(value: unknown, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        return listContext(JSON.parse(text), key);
      } catch {
        // fall through to the error below
      }
    } else return text === '' ? [] : text.split(',').map((s) => s.trim());
  }
  throw new TlogError(
    'config/invalid',
    `CDK context "${key}" must be a list of log names (JSON array or comma-separated), got ${JSON.stringify(value)}`,
  );
}
