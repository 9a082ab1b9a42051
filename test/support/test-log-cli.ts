/**
 * The `tlog-monitor` CLI run in-process for tests against the in-repo test logs (Rekor v1, CT,
 * tiles, static-ct): output captured, `--json` lines parsed into CheckResults.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/local/cli.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';

export interface CliRun {
  readonly code: number;
  /** One CheckResult per `--json` output line. */
  readonly results: CheckResult[];
  readonly err: string;
}

/** Runs `tlog-monitor <args>` in-process; the args should include `--json`. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, results: out.map((l) => JSON.parse(l) as CheckResult), err: err.join('\n') };
}

/** The log an ad-hoc check (`check --type --url --public-key [--origin] --state`) is pointed at. */
export interface AdHocLog {
  readonly type: string;
  readonly url: string;
  /** Written to the --public-key file. */
  readonly keyText: string;
  readonly origin?: string;
}

/** Ad-hoc checks of one log, named "test", with their own key and state file in a fresh directory. */
export class AdHocCli {
  private constructor(
    readonly log: AdHocLog,
    readonly dir: string,
    readonly keyFile: string,
  ) {}

  static async create(log: AdHocLog): Promise<AdHocCli> {
    const dir = await mkdtemp(join(tmpdir(), 'tlog-cli-'));
    const keyFile = join(dir, 'key');
    await writeFile(keyFile, log.keyText);
    return new AdHocCli(log, dir, keyFile);
  }

  get stateFile(): string {
    return join(this.dir, 'state.json');
  }

  args(): string[] {
    return [
      'check',
      ...['--type', this.log.type, '--url', this.log.url, '--public-key', this.keyFile],
      ...(this.log.origin !== undefined ? ['--origin', this.log.origin] : []),
      ...['--state', this.stateFile, '--name', 'test', '--json', '--timeout', '1'],
    ];
  }

  run(): Promise<CliRun> {
    return runCli(this.args());
  }

  /** Runs one check and asserts its single result's status and the exit code. */
  async expect(status: CheckResult['status'], code: number): Promise<CheckResult> {
    const r = await this.run();
    assert.equal(r.results.length, 1, r.err);
    const result = r.results[0] as CheckResult;
    assert.equal(result.status, status, `${result.status}: ${result.message ?? ''}`);
    assert.equal(r.code, code);
    return result;
  }

  /** The stored head's size, as the state file has it. */
  async storedSize(): Promise<string | undefined> {
    const s = JSON.parse(await readFile(this.stateFile, 'utf8'));
    return s.logs.test?.head.size;
  }
}
