/**
 * certspotter (SSLMate's CT monitor, Debian package `certspotter`) against the same loopback
 * RFC 6962 log, for the side-by-side figure. It is given a v3 log list naming only the loopback
 * log (`-logs FILE`), a domain watch list (`-watchlist FILE`), 1,000-entry pages (`-batch_size`),
 * a fresh state directory, and `-stdout` (it needs one notification method). It downloads every
 * entry, checks each against the watch list, and rebuilds the tree to verify the STH; it is done
 * when its state file records the whole log as verified (`verified_position.size`).
 * The run is timed from the process start; the process is stopped by its pid afterwards.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntryLogInfo } from '../../test/support/entries/entry-log-worker.ts';

/** certspotter's version line, or undefined when it is not on the PATH. */
export function certspotterVersion(): string | undefined {
  const r = spawnSync('certspotter', ['-version'], { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : undefined;
}

export interface CertspotterRun {
  readonly entries: number;
  readonly seconds: number;
  readonly entriesPerSecond: number;
}

/** Runs certspotter until it has verified `size` entries of the loopback log (or `timeoutMs` passes). */
export async function runCertspotter(
  info: EntryLogInfo,
  size: number,
  timeoutMs: number,
): Promise<CertspotterRun> {
  if (!/^http:\/\/127\.0\.0\.1:\d+/.test(info.url))
    throw new Error(`certspotter is pointed only at loopback, not ${info.url}`);
  const dir = mkdtempSync(join(tmpdir(), 'certspotter-bench-'));
  const logList = {
    version: '3.0',
    operators: [
      {
        name: 'tlog-monitor loopback',
        email: ['bench@example.invalid'],
        logs: [
          {
            description: 'tlog-monitor loopback CT log',
            log_id: info.logIdBase64,
            key: info.publicKeyDerBase64,
            url: `${info.url}/`,
            mmd: 86400,
            state: { usable: { timestamp: '2024-01-01T00:00:00Z' } },
          },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'loglist.json'), JSON.stringify(logList));
  writeFileSync(join(dir, 'watchlist'), '.example.com\n.tlog-monitor.test\n');
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    'certspotter',
    [
      '-logs',
      join(dir, 'loglist.json'),
      '-watchlist',
      join(dir, 'watchlist'),
      '-state_dir',
      join(dir, 'state'),
      '-batch_size',
      '1000',
      '-no_save',
      '-stdout',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CERTSPOTTER_CONFIG_DIR: dir } },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    for (;;) {
      const verified = verifiedSize(join(dir, 'state', 'logs'));
      if (verified >= size) break;
      if (performance.now() - t0 > timeoutMs)
        throw new Error(
          `certspotter verified ${verified} of ${size} entries in ${timeoutMs} ms; stderr: ${stderr}`,
        );
      if (child.exitCode !== null) throw new Error(`certspotter exited with ${child.exitCode}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    return { entries: size, seconds, entriesPerSecond: size / seconds };
  } finally {
    if (child.pid !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `verified_position.size` in the one log's state.json, 0 until it exists. */
function verifiedSize(logsDir: string): number {
  try {
    for (const log of readdirSync(logsDir)) {
      const state = JSON.parse(readFileSync(join(logsDir, log, 'state.json'), 'utf8'));
      return Number(state?.verified_position?.size ?? 0);
    }
  } catch {
    // not written yet, or written while we read: try again
  }
  return 0;
}
