/**
 * The CLI's match delivery (docs/contracts.md, "Identity monitoring"): each match is appended once to
 * `<state file>.matches.jsonl`, one JSON object per line (`log` plus the IdentityMatch fields).
 * Under the lock of that file the sink reads what it has, appends only the rest and fsyncs, so a
 * re-delivery after a crash, or by a concurrent run, appends nothing twice. A last line left
 * half-written by a crash is cut off first (its match is still pending, and is written again).
 */
import { constants } from 'node:fs';
import { open, readFile, truncate } from 'node:fs/promises';
import { TlogError } from '../errors.ts';
import type { IdentityMatch } from '../identity/identity-match.ts';
import type { MatchSink } from '../scan/match-delivery.ts';
import { matchKey } from '../scan/match-key.ts';
import { FileStateStore } from './file-state-store.ts';

/** `<state file>.matches.jsonl` for the log whose state file is `stateFile`. */
export const matchesFileFor = (stateFile: string): string => `${stateFile}.matches.jsonl`;

export class FileMatchSink implements MatchSink {
  readonly #fileFor: (log: string) => string;

  constructor(stateFileFor: (log: string) => string) {
    this.#fileFor = (log) => matchesFileFor(stateFileFor(log));
  }

  deliver(log: string, matches: readonly IdentityMatch[]): Promise<readonly IdentityMatch[]> {
    const path = this.#fileFor(log);
    return FileStateStore.withLock(path, async (stillHeld) => {
      const have = await deliveredKeys(path);
      const fresh: IdentityMatch[] = [];
      for (const m of matches) {
        const key = matchKey(log, m);
        if (have.has(key)) continue;
        have.add(key);
        fresh.push(m);
      }
      if (fresh.length === 0) return fresh;
      if (!(await stillHeld())) {
        throw new TlogError(
          'state/conflict',
          `lost the lock of matches file ${path} before appending; nothing appended`,
        );
      }
      await append(path, fresh.map((m) => `${JSON.stringify({ log, ...m })}\n`).join(''));
      return fresh;
    });
  }
}

async function deliveredKeys(path: string): Promise<Set<string>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new TlogError('state/io', `cannot read matches file ${path}: ${(e as Error).message}`);
  }
  const complete = bytes.lastIndexOf(0x0a) + 1;
  if (complete < bytes.length) await truncate(path, complete);
  const keys = new Set<string>();
  const lines = bytes.subarray(0, complete).toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (line === '') return;
    let o: (IdentityMatch & { log: string }) | undefined;
    try {
      o = JSON.parse(line);
    } catch {
      o = undefined;
    }
    if (typeof o?.log !== 'string' || typeof o.index !== 'string') {
      throw new TlogError('state/corrupt', `matches file ${path} line ${i + 1} is not a match object`);
    }
    keys.add(matchKey(o.log, o));
  });
  return keys;
}

async function append(path: string, text: string): Promise<void> {
  try {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new TlogError('state/io', `cannot append to matches file ${path}: ${(e as Error).message}`);
  }
}
