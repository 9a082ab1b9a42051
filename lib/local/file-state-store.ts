/**
 * A StateStore on the local filesystem, for the CLI.
 *
 * One JSON file holds the heads of one or more logs. Writes are compare-and-set under an
 * exclusive lock file (O_EXCL), and replace the file atomically (write temp, fsync, rename), so
 * readers see the old or the new file, never half of one, and several processes checking the
 * same state file at once lose no update and never move a head backwards.
 *
 * The lock names its holder (`<pid> <hostname> <random>`). A lock older than the stale limit is
 * broken only if its holder is gone: a holder on this host that is still running (a stalled
 * process, or a stalled check in this one) keeps its lock however long it takes, and the others
 * wait and then fail with state/io. A holder that lost its lock anyway (broken from another host
 * sharing the directory, which cannot see whether it is alive) checks that the lock is still its
 * own before its rename and discards its write if not. Across hosts a window remains between
 * that check and the rename; keep a state directory on one host.
 *
 * Evidence goes to `<state file>.evidence/`, one file per finding, never overwritten, each
 * stamped with the time it was recorded. The last status of each log and its open conditions
 * (for `tlog-monitor status`) go to `<state file>.status.json`, apart from the heads, so a
 * state file that no longer verifies does not stop the failure from being recorded.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { isTlogError, TlogError } from '../errors.ts';
import type { CheckResult } from '../monitor/check-result.ts';
import {
  parseRememberedShards,
  type StateStore,
  type StoredHead,
  type StoredState,
} from '../monitor/state-store.ts';
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
   * file writes: for the other files kept beside a state file (scan cursor, matches). `fn` can ask
   * whether the lock is still its own, and writes with writeAtomically.
   */
  static withLock<T>(
    path: string,
    fn: (stillHeld: () => Promise<boolean>) => Promise<T>,
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

  /**
   * Makes sure the state of `logs` can be written, before any network work: creates each state
   * directory and a probe file in it. Throws 'state/io' naming the directory.
   */
  async ensureWritable(logs: readonly string[]): Promise<void> {
    for (const dir of new Set(logs.map((log) => dirname(this.#fileFor(log))))) {
      await FileStateStore.ensureDirectoryWritable(dir);
    }
  }

  /** Creates `dir` and a probe file in it; throws 'state/io' naming the directory if it cannot. */
  static async ensureDirectoryWritable(dir: string): Promise<void> {
    await makeDirectory(dir);
    const probe = join(dir, `.tlog-monitor-probe.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      const fh = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      await fh.close();
      await unlink(probe);
    } catch (e) {
      throw ioError(`state directory ${dir} is not writable`, e);
    }
  }

  async compareAndSet(log: string, expectedVersion: number, head: StoredHead): Promise<boolean> {
    const path = this.#fileFor(log);
    await makeDirectory(dirname(path));
    return this.#withLock(path, async (stillHeld) => {
      const file = (await readStateFile(path)) ?? { format: FORMAT, logs: {} };
      const stored = Object.hasOwn(file.logs, log) ? (file.logs[log]?.version ?? 0) : 0;
      if (stored !== expectedVersion) return false;
      file.logs[log] = { version: expectedVersion + 1, head };
      // A lock lost while writing means another writer may have moved the head: write nothing.
      return writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`, stillHeld);
    });
  }

  /** Writes the evidence to a new file and returns its path. */
  async recordEvidence(log: string, result: CheckResult): Promise<string> {
    const dir = `${this.#fileFor(log)}.evidence`;
    await makeDirectory(dir);
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
    await makeDirectory(dirname(path));
    await this.#withLock(path, async (stillHeld) => {
      const file = (await readStatusFile(path)) ?? { format: STATUS_FORMAT, logs: {} };
      const prev = Object.hasOwn(file.logs, log) ? file.logs[log] : undefined;
      file.logs[log] = nextCheckRecord(prev, result, result.checkedAt ?? new Date().toISOString());
      await writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`, stillHeld);
    });
  }

  /** The recorded checks of `log`, if any were recorded. */
  async loadCheckRecord(log: string): Promise<CheckRecord | undefined> {
    const file = await readStatusFile(this.statusFileFor(log));
    return file && Object.hasOwn(file.logs, log) ? file.logs[log] : undefined;
  }

  /** Runs `fn` holding the lock of `path`; `fn` can ask whether the lock is still its own. */
  async #withLock<T>(path: string, fn: (stillHeld: () => Promise<boolean>) => Promise<T>): Promise<T> {
    const lock = `${path}.lock`;
    const token = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}\n`;
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
            `state file ${path} is locked by another process (${lock}); gave up after ${this.#lockTimeoutMs} ms. ` +
              'A lock whose holder is still running on this host is never broken; if that process is not ' +
              'tlog-monitor, remove the lock file',
          );
        }
        await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
        delay = Math.min(delay * 2, 100);
      }
    }
    try {
      return await fn(() => lockIsOurs(lock, token));
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
    // However old, the lock of a process that is still running on this host is not stale.
    if (await holderIsRunningHere(lock)) return false;
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

/** True if the lock file still holds our token. */
async function lockIsOurs(lock: string, token: string): Promise<boolean> {
  try {
    return (await readFile(lock, 'utf8')) === token;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw ioError(`cannot read lock ${lock}`, e);
  }
}

/**
 * True if the lock names a holder on this host whose process is still running (signal 0 checks
 * existence only; EPERM means it exists under another user). A lock from another host, or in
 * an older format, cannot be judged here: false.
 */
async function holderIsRunningHere(lock: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(lock, 'utf8');
  } catch {
    return false;
  }
  const m = /^([0-9]{1,10}) (\S+) [0-9a-f]+\n$/.exec(text);
  if (!m || m[2] !== hostname()) return false;
  try {
    process.kill(Number(m[1]), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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
    if (h?.retiredShards !== undefined) {
      try {
        parseRememberedShards(h.retiredShards);
      } catch (e) {
        bad(
          `logs.${name}.head.retiredShards${(e as Error).message.startsWith('[') ? '' : ': '}${(e as Error).message}`,
        );
      }
    }
  }
  return o as unknown as StateFile;
}

/**
 * Writes `content` to a temp file, fsyncs it and renames it over `path`, if `stillHeld()` says
 * just before the rename that the lock is still ours. Returns false (nothing written) if not.
 */
export async function writeAtomically(
  path: string,
  content: string,
  stillHeld: () => Promise<boolean>,
): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (!(await stillHeld())) {
      await rm(tmp, { force: true });
      return false;
    }
    await rename(tmp, path);
    return true;
  } catch (e) {
    await rm(tmp, { force: true });
    throw isTlogError(e) ? e : ioError(`cannot write state file ${path}`, e);
  }
}

async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw ioError(`cannot create state directory ${dir}`, e);
  }
}

function ioError(what: string, e: unknown): TlogError {
  return new TlogError('state/io', `${what}: ${(e as Error).message}`, undefined, { cause: e });
}
