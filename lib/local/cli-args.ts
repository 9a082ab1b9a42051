/**
 * The CLI's command line: the commands, their flags, and usage errors as one line each
 * (TlogError `usage/invalid`), never Node's raw parseArgs text.
 */
import { parseArgs } from 'node:util';
import { TlogError } from '../errors.ts';

export type Command = 'check' | 'watch' | 'status';
const COMMANDS: readonly Command[] = ['check', 'watch', 'status'];

const OPTIONS = {
  config: { type: 'string' },
  log: { type: 'string' },
  'state-dir': { type: 'string' },
  state: { type: 'string' },
  type: { type: 'string' },
  url: { type: 'string' },
  'public-key': { type: 'string' },
  origin: { type: 'string' },
  name: { type: 'string' },
  timeout: { type: 'string' },
  deadline: { type: 'string' },
  'trusted-root': { type: 'string' },
  json: { type: 'boolean' },
  iterations: { type: 'string' },
  'metrics-port': { type: 'string' },
  'scan-max-entries': { type: 'string' },
  'scan-max-seconds': { type: 'string' },
  aws: { type: 'boolean' },
  table: { type: 'string' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags that only one command takes. */
const ONLY_FOR: Readonly<Record<string, Command>> = {
  iterations: 'watch',
  'metrics-port': 'watch',
  aws: 'status',
  table: 'status',
};

function parseRaw(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
}

export type Values = ReturnType<typeof parseRaw>['values'];

export interface ParsedArgs {
  readonly command: Command | undefined;
  readonly values: Values;
}

function usage(message: string): TlogError {
  return new TlogError('usage/invalid', message);
}

/** Parses the command line; throws TlogError `usage/invalid` with one line naming the problem. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (e) {
    throw usage(describeParseError(e as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  const [word, ...rest] = positionals;
  if (word !== undefined && !(COMMANDS as readonly string[]).includes(word)) {
    throw usage(`unknown command ${JSON.stringify(word)} (expected ${COMMANDS.join(', ')})`);
  }
  const command = word as Command | undefined;
  if (rest.length > 0) throw usage(`unexpected argument ${JSON.stringify(rest[0])}`);
  for (const [flag, only] of Object.entries(ONLY_FOR)) {
    if (values[flag as keyof Values] !== undefined && command !== only) {
      throw usage(`--${flag} is for "${only}"`);
    }
  }
  if (values.iterations !== undefined && !/^[1-9][0-9]{0,6}$/.test(values.iterations)) {
    throw usage(`--iterations must be a positive integer, got ${JSON.stringify(values.iterations)}`);
  }
  if (values['metrics-port'] !== undefined) parsePort(values['metrics-port']);
  for (const [flag, digits] of [
    ['scan-max-entries', 10],
    ['scan-max-seconds', 6],
  ] as const) {
    const v = values[flag];
    if (v !== undefined && !new RegExp(`^[1-9][0-9]{0,${digits - 1}}$`).test(v)) {
      throw usage(`--${flag} must be a positive whole number, got ${JSON.stringify(v)}`);
    }
  }
  if (values.table !== undefined && !values.aws) throw usage('--table goes with --aws');
  if (values.aws && values.table === undefined)
    throw usage('--aws needs --table T (the StateTableName output)');
  return { command, values };
}

/** --metrics-port: a TCP port, 0 (any free port) to 65535. */
export function parsePort(s: string): number {
  const n = Number(s);
  if (!/^[0-9]{1,5}$/.test(s) || n > 65535) {
    throw usage(`--metrics-port must be a port number from 0 to 65535, got ${JSON.stringify(s)}`);
  }
  return n;
}

/** Node's parseArgs messages, cut down to the option and what is wrong with it. */
function describeParseError(e: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option !== undefined ? JSON.stringify(option) : '(unreadable)'}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option !== undefined && /argument missing|argument is ambiguous/.test(e.message)
        ? `option ${option} needs a value`
        : `option ${option ?? '(unreadable)'} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument';
    default:
      return e.message.split('\n')[0] ?? 'invalid command line';
  }
}
