/**
 * A StateStore on the local filesystem, for the CLI.
 *
 * One JSON file holds the heads of one or more logs. Writes are compare-and-set under an
 * exclusive lock file (O_EXCL), and replace the file atomically (write temp, fsync, rename), so
 * readers see the old or the new file, never half of one, and several processes checking the
 * same state file at once lose no update and never move a head backwards.
 * Evidence goes to `<state file>.evidence/`, one file per finding, never overwritten, each
 * stamped with the time it was recorded. The last status of each log and its open conditions
 * (for `tlog-monitor status`) go to `<state file>.status.json`, apart from the heads, so a
 * state file that no longer verifies does not stop the failure from being recorded.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TlogError } from '../errors.ts';
import type { CheckResult } from '../monitor/check-result.ts';
import type { StateStore, StoredHead, StoredState } from '../monitor/state-store.ts';
import { type CheckRecord, nextCheckRecord, validateCheckRecord } from '../status/check-record.ts';

const FORMAT = 'tlog-monitor-state/1';
const STATUS_FORMAT = 'tlog-monitor-status/1';

interface StatusFile {
  format: typeof STATUS_FORMAT;
  logs: Record<string, CheckRecord>;
}

interface StateFile {
  format: typeof FORMAT;
  logs: Record<string, { version: number; head: StoredHead }>;
}

export interface FileStateStoreOptions {
  /** The state file that holds a given log's head. */
  readonly fileFor: (log: string) => string;
  /** How long to wait for another process's lock before failing (ms). Default 15 s: longer than staleLockMs, so a lock left by a crashed process is broken within one wait. */
  readonly lockTimeoutMs?: number;
  /** A lock file older than this is considered abandoned by a crashed process (ms). Default 10 s; a live holder keeps it for milliseconds (read, write, fsync, rename). */
  readonly staleLockMs?: number;
}

export class FileStateStore implements StateStore {
  readonly #fileFor: (log: string) => string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;

  constructor(options: FileStateStoreOptions) {
    this.#fileFor = options.fileFor;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 15_000;
    this.#staleLockMs = options.staleLockMs ?? 10_000;
  }

  /** All logs in one file. */
  static singleFile(path: string): FileStateStore {
    return new FileStateStore({ fileFor: () => path });
  }

  /**
   * Runs `fn` holding the lock of `path`, the same lock (and stale-lock rule) that guards state
   * file writes: for the other files kept beside a state file (scan cursor, matches).
   */
  static withLock<T>(
    path: string,
    fn: () => Promise<T>,
    options: Omit<FileStateStoreOptions, 'fileFor'> = {},
  ): Promise<T> {
    return new FileStateStore({ ...options, fileFor: () => path }).#withLock(path, fn);
  }

  /** The state file that holds `log`'s head (other files of the log are kept beside it). */
  stateFileOf(log: string): string {
    return this.#fileFor(log);
  }

  /** One file per log, `<dir>/<log>.json`. Log names are validated by the config to be file-safe. */
  static directory(dir: string): FileStateStore {
    return new FileStateStore({ fileFor: (log) => join(dir, `${log}.json`) });
  }

  async load(log: string): Promise<StoredState | undefined> {
    const file = await readStateFile(this.#fileFor(log));
    // Own properties only: a log named "constructor" must not find Object.prototype's.
    const entry = file && Object.hasOwn(file.logs, log) ? file.logs[log] : undefined;
    return entry ? { version: entry.version, head: entry.head } : undefined;
  }

  async compareAndSet(log: string, expectedVersion: number, head: StoredHead): Promise<boolean> {
    const path = this.#fileFor(log);
    await mkdir(dirname(path), { recursive: true });
    return this.#withLock(path, async () => {
      const file = (await readStateFile(path)) ?? { format: FORMAT, logs: {} };
      const stored = Object.hasOwn(file.logs, log) ? (file.logs[log]?.version ?? 0) : 0;
      if (stored !== expectedVersion) return false;
      file.logs[log] = { version: expectedVersion + 1, head };
      await writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`);
      return true;
    });
  }

  /** Writes the evidence to a new file and returns its path. */
  async recordEvidence(log: string, result: CheckResult): Promise<string> {
    const dir = `${this.#fileFor(log)}.evidence`;
    await mkdir(dir, { recursive: true });
    const recordedAt = new Date().toISOString();
    const stamp = recordedAt.replace(/[:.]/g, '-');
    const path = join(dir, `${log}-${stamp}-${result.status}-${randomBytes(3).toString('hex')}.json`);
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await fh.writeFile(`${JSON.stringify({ recordedAt, ...result }, null, 2)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return path;
  }

  /** The file holding the last status and open conditions of `log`. */
  statusFileFor(log: string): string {
    return `${this.#fileFor(log)}.status.json`;
  }

  /** Records one finished check of `log` (its status, and the conditions it opens or closes). */
  async recordCheck(log: string, result: CheckResult): Promise<void> {
    const path = this.statusFileFor(log);
    await mkdir(dirname(path), { recursive: true });
    await this.#withLock(path, async () => {
      const file = (await readStatusFile(path)) ?? { format: STATUS_FORMAT, logs: {} };
      const prev = Object.hasOwn(file.logs, log) ? file.logs[log] : undefined;
      file.logs[log] = nextCheckRecord(prev, result, result.checkedAt ?? new Date().toISOString());
      await writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`);
    });
  }

  /** The recorded checks of `log`, if any were recorded. */
  async loadCheckRecord(log: string): Promise<CheckRecord | undefined> {
    const file = await readStatusFile(this.statusFileFor(log));
    return file && Object.hasOwn(file.logs, log) ? file.logs[log] : undefined;
  }

  async #withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const lock = `${path}.lock`;
    const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
    const deadline = Date.now() + this.#lockTimeoutMs;
    let delay = 2;
    for (;;) {
      try {
        const fh = await open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
        try {
          await fh.writeFile(token);
        } finally {
          await fh.close();
        }
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`cannot create lock ${lock}`, e);
        if (await this.#removeIfStale(lock)) continue;
        if (Date.now() > deadline) {
          throw new TlogError(
            'state/io',
            `state file ${path} is locked by another process (${lock}); gave up after ${this.#lockTimeoutMs} ms`,
          );
        }
        await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
        delay = Math.min(delay * 2, 100);
      }
    }
    try {
      return await fn();
    } finally {
      await releaseLock(lock, token);
    }
  }

  /**
   * Breaks a lock left by a crashed process. The lock is first renamed to a name of our own
   * (atomic), then checked to be the very file found stale: if another process broke the stale
   * lock and took a fresh one in between, that fresh lock is put back (link fails rather than
   * overwrite) instead of being stolen, as a plain stat-then-unlink would do.
   */
  async #removeIfStale(lock: string): Promise<boolean> {
    let seen: Stats;
    try {
      seen = await stat(lock);
    } catch (e) {
      // The holder released it between our attempts: try again at once.
      return (e as NodeJS.ErrnoException).code === 'ENOENT';
    }
    if (Date.now() - seen.mtimeMs < this.#staleLockMs) return false;
    const grave = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    try {
      await rename(lock, grave);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT';
    }
    try {
      const moved = await stat(grave);
      if (moved.ino !== seen.ino || moved.mtimeMs !== seen.mtimeMs) {
        await link(grave, lock).catch(() => {});
        return false;
      }
      return true;
    } finally {
      await rm(grave, { force: true });
    }
  }
}

/** Removes the lock only if it is still ours (it may have been broken as stale and re-taken). */
async function releaseLock(lock: string, token: string): Promise<void> {
  try {
    if ((await readFile(lock, 'utf8')) === token) await unlink(lock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(`cannot release lock ${lock}`, e);
  }
}

async function readStateFile(path: string): Promise<StateFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(`cannot read state file ${path}`, e);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TlogError('state/corrupt', `state file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return validateStateFile(parsed, path);
}

async function readStatusFile(path: string): Promise<StatusFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(`cannot read status file ${path}`, e);
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TlogError('state/corrupt', `status file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed?.format !== STATUS_FORMAT || typeof parsed.logs !== 'object' || parsed.logs === null) {
    throw new TlogError(
      'state/corrupt',
      `status file ${path}: expected format "${STATUS_FORMAT}" with "logs"`,
    );
  }
  const logs: Record<string, CheckRecord> = {};
  for (const [name, record] of Object.entries(parsed.logs as Record<string, unknown>)) {
    logs[name] = validateCheckRecord(record, `status file ${path}: logs.${name}`);
  }
  return { format: STATUS_FORMAT, logs };
}

function validateStateFile(v: unknown, path: string): StateFile {
  const bad = (why: string): never => {
    throw new TlogError('state/corrupt', `state file ${path}: ${why}`);
  };
  if (typeof v !== 'object' || v === null) return bad('not a JSON object');
  const o = v as Record<string, unknown>;
  if (o.format !== FORMAT) return bad(`format is ${JSON.stringify(o.format)}, expected "${FORMAT}"`);
  if (typeof o.logs !== 'object' || o.logs === null) return bad('"logs" is not an object');
  for (const [name, entry] of Object.entries(o.logs as Record<string, unknown>)) {
    const e = entry as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) bad(`logs.${name} is not an object`);
    const ver = e?.version;
    if (typeof ver !== 'number' || !Number.isSafeInteger(ver) || ver < 1)
      bad(`logs.${name}.version must be a positive integer`);
    const h = e?.head as Record<string, unknown> | undefined;
    for (const f of ['signed', 'size', 'root', 'origin', 'verifiedAt'] as const) {
      if (typeof h?.[f] !== 'string') bad(`logs.${name}.head.${f} must be a string`);
    }
  }
  return o as unknown as StateFile;
}

/** Replaces `path` with `content` atomically: temp file, fsync, rename (call it holding the lock). */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw ioError(`cannot write state file ${path}`, e);
  }
}

function ioError(what: string, e: unknown): TlogError {
  return new TlogError('state/io', `${what}: ${(e as Error).message}`, undefined, { cause: e });
}
