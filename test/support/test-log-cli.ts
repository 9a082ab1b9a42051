/**
 * The `tlog-monitor` CLI run in-process for tests against the in-repo test logs (Rekor v1, CT,
 * tiles, static-ct): output captured, `--json` lines parsed into CheckResults.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
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

/** What the shared scenarios need of a test log (the Rekor/CT and the tile log servers have it). */
export interface LyingLog {
  readonly size: number;
  append(n: number): void;
  fork(): void;
  rollback(toSize: number): void;
  reset(): void;
}

/**
 * A lie the log tells after the CLI initialized on it: the check gives `status` and exit `code`,
 * the stored head does not move, and once the log is honest again the next check gives
 * `recovered`. Returns the result of the lie.
 */
export async function expectHeadKept(
  cli: AdHocCli,
  log: LyingLog,
  lie: () => void,
  expected: { status: CheckResult['status']; code: number; recovered: CheckResult['status'] },
): Promise<CheckResult> {
  const stored = await cli.storedSize();
  lie();
  const r = await cli.expect(expected.status, expected.code);
  assert.equal(r.previous?.size ?? stored, stored);
  assert.equal(await cli.storedSize(), stored, 'the stored head did not move');
  log.reset();
  await cli.expect(expected.recovered, 0);
  return r;
}

/** Same size, another root, both signed: fork (exit 1), both heads and an evidence file kept. */
export async function expectForkCaught(cli: AdHocCli, log: LyingLog): Promise<void> {
  const r = await expectHeadKept(cli, log, () => log.fork(), {
    status: 'fork',
    code: 1,
    recovered: 'unchanged',
  });
  assert.ok(r.evidence?.previous && r.evidence.current);
  assert.notEqual(r.evidence.previous, r.evidence.current);
  const evidence = await readdir(`${cli.stateFile}.evidence`);
  assert.equal(evidence.length, 1);
  assert.match(evidence[0] ?? '', /-fork-/);
  log.append(2);
  await cli.expect('verified', 0);
}

/** The log grows by `grow`, then serves a head `shrink` entries smaller: rollback (exit 1). */
export async function expectRollbackCaught(
  cli: AdHocCli,
  log: LyingLog,
  grow: number,
  shrink: number,
): Promise<void> {
  log.append(grow);
  await cli.expect('verified', 0);
  const r = await expectHeadKept(cli, log, () => log.rollback(log.size - shrink), {
    status: 'rollback',
    code: 1,
    recovered: 'unchanged',
  });
  assert.ok(r.evidence?.previous && r.evidence.current);
}
