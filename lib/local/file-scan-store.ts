/**
 * A ScanStore on the local filesystem, for the CLI: `<state file>.scan.json` beside each state
 * file holds, per log, the scan cursor (next index, compact range, shard), the matches committed
 * and not yet delivered, and fan-out range results. Every write is a compare-and-set or an
 * update under the state file store's lock, replacing the file atomically, so concurrent runs
 * share one cursor and lose no match.
 */
import { readFile } from 'node:fs/promises';
import { fromBase64, toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { IdentityMatch, SkippedEntry } from '../identity/identity-match.ts';
import { HASH_SIZE } from '../merkle/index.ts';
import { matchKey } from '../scan/match-key.ts';
import type { RangeResult, ScanCursor, ScanStore, StoredScan } from '../scan/scan-store.ts';
import { FileStateStore, writeAtomically } from './file-state-store.ts';

const FORMAT = 'tlog-monitor-scan/1';

interface CursorJson {
  next: string;
  range: string[];
  shard?: string;
}

interface RangeJson {
  start: string;
  end: string;
  nodes: string[];
  matches: IdentityMatch[];
  skipped: SkippedEntry[];
  shard?: string;
}

interface LogScanJson {
  version: number;
  cursor?: CursorJson;
  pending: IdentityMatch[];
  ranges: Record<string, RangeJson>;
}

interface ScanFile {
  format: typeof FORMAT;
  logs: Record<string, LogScanJson>;
}

/** `<state file>.scan.json` for the log whose state file is `stateFile`. */
export const scanFileFor = (stateFile: string): string => `${stateFile}.scan.json`;

export class FileScanStore implements ScanStore {
  readonly #fileFor: (log: string) => string;

  /** `stateFileFor` names the state file of a log (as the FileStateStore's `fileFor`). */
  constructor(stateFileFor: (log: string) => string) {
    this.#fileFor = (log) => scanFileFor(stateFileFor(log));
  }

  async loadScan(log: string): Promise<StoredScan | undefined> {
    const entry = (await this.#read(log)).logs[log];
    if (!entry?.cursor) return undefined;
    return { version: entry.version, cursor: cursorFromJson(entry.cursor) };
  }

  async commitScan(
    log: string,
    expectedVersion: number,
    cursor: ScanCursor,
    matches: readonly IdentityMatch[],
  ): Promise<boolean> {
    let moved = false;
    const written = await this.#update(log, (entry) => {
      const stored = entry.cursor ? entry.version : 0;
      if (stored !== expectedVersion) return;
      entry.version = stored + 1;
      entry.cursor = cursorToJson(cursor);
      const known = new Set(entry.pending.map((m) => matchKey(log, m)));
      for (const m of matches) if (!known.has(matchKey(log, m))) entry.pending.push({ ...m });
      moved = true;
    });
    return moved && written;
  }

  async pendingMatches(log: string): Promise<readonly IdentityMatch[]> {
    return (await this.#read(log)).logs[log]?.pending ?? [];
  }

  async markDelivered(log: string, matches: readonly IdentityMatch[]): Promise<void> {
    const done = new Set(matches.map((m) => matchKey(log, m)));
    await this.#updateOrThrow(log, (entry) => {
      entry.pending = entry.pending.filter((m) => !done.has(matchKey(log, m)));
    });
  }

  async putRangeResult(log: string, result: RangeResult): Promise<void> {
    await this.#updateOrThrow(log, (entry) => {
      entry.ranges[String(result.start)] = {
        start: String(result.start),
        end: String(result.end),
        nodes: result.nodes.map(toBase64),
        matches: [...result.matches],
        skipped: [...result.skipped],
        ...(result.shard !== undefined ? { shard: result.shard } : {}),
      };
    });
  }

  async loadRangeResult(log: string, start: bigint): Promise<RangeResult | undefined> {
    const ranges = (await this.#read(log)).logs[log]?.ranges ?? {};
    const r = Object.hasOwn(ranges, String(start)) ? ranges[String(start)] : undefined;
    if (!r) return undefined;
    return {
      start: BigInt(r.start),
      end: BigInt(r.end),
      nodes: r.nodes.map((n) => hashFromJson(n, `ranges.${r.start}.nodes`)),
      matches: r.matches,
      skipped: r.skipped,
      ...(r.shard !== undefined ? { shard: r.shard } : {}),
    };
  }

  async deleteRangeResult(log: string, start: bigint): Promise<void> {
    await this.#updateOrThrow(log, (entry) => {
      delete entry.ranges[String(start)];
    });
  }

  async #read(log: string): Promise<ScanFile> {
    const path = this.#fileFor(log);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, logs: {} };
      throw new TlogError('state/io', `cannot read scan file ${path}: ${(e as Error).message}`);
    }
    return validateScanFile(text, path);
  }

  /**
   * Read, change and replace the file under the lock; `change` edits the log's entry in place.
   * Returns false, writing nothing, if the lock was lost before the write (taken as stale).
   */
  async #update(log: string, change: (entry: LogScanJson) => void): Promise<boolean> {
    const path = this.#fileFor(log);
    return FileStateStore.withLock(path, async (stillHeld) => {
      const file = await this.#read(log);
      const entry: LogScanJson = Object.hasOwn(file.logs, log)
        ? (file.logs[log] as LogScanJson)
        : { version: 0, pending: [], ranges: {} };
      const before = JSON.stringify(entry);
      change(entry);
      if (JSON.stringify(entry) === before) return true;
      file.logs[log] = entry;
      return writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`, stillHeld);
    });
  }

  async #updateOrThrow(log: string, change: (entry: LogScanJson) => void): Promise<void> {
    if (!(await this.#update(log, change))) {
      throw new TlogError(
        'state/conflict',
        `lost the lock of scan file ${this.#fileFor(log)} before writing it; nothing written`,
      );
    }
  }
}

function cursorToJson(c: ScanCursor): CursorJson {
  return {
    next: String(c.next),
    range: c.range.map(toBase64),
    ...(c.shard !== undefined ? { shard: c.shard } : {}),
  };
}

function cursorFromJson(c: CursorJson): ScanCursor {
  return {
    next: BigInt(c.next),
    range: c.range.map((h) => hashFromJson(h, 'cursor.range')),
    ...(c.shard !== undefined ? { shard: c.shard } : {}),
  };
}

function hashFromJson(b64: string, what: string): Uint8Array {
  const h = fromBase64(b64, 'state/corrupt');
  if (h.length !== HASH_SIZE) {
    throw new TlogError(
      'state/corrupt',
      `scan file ${what}: expected ${HASH_SIZE}-byte hashes, got ${h.length}`,
    );
  }
  return h;
}

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

function validateScanFile(text: string, path: string): ScanFile {
  const bad = (why: string): never => {
    throw new TlogError('state/corrupt', `scan file ${path}: ${why}`);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return bad(`not valid JSON: ${(e as Error).message}`);
  }
  const o = v as Partial<ScanFile> | null;
  if (typeof o !== 'object' || o === null) return bad('not a JSON object');
  if (o.format !== FORMAT) return bad(`format is ${JSON.stringify(o.format)}, expected "${FORMAT}"`);
  if (typeof o.logs !== 'object' || o.logs === null) return bad('"logs" is not an object');
  for (const [name, e] of Object.entries(o.logs)) {
    const at = `logs.${name}`;
    if (typeof e !== 'object' || e === null) bad(`${at} is not an object`);
    if (!Number.isSafeInteger(e.version) || e.version < 0) bad(`${at}.version must be a whole number`);
    if (!Array.isArray(e.pending)) bad(`${at}.pending must be an array`);
    for (const m of e.pending) {
      if (typeof m?.index !== 'string' || !DECIMAL.test(m.index) || typeof m.rule !== 'string')
        bad(`${at}.pending holds a match without a decimal index or a rule`);
    }
    if (typeof e.ranges !== 'object' || e.ranges === null) bad(`${at}.ranges must be an object`);
    const c = e.cursor;
    if (c !== undefined) {
      if (typeof c.next !== 'string' || !DECIMAL.test(c.next))
        bad(`${at}.cursor.next must be a decimal string`);
      if (!Array.isArray(c.range) || !c.range.every((h) => typeof h === 'string'))
        bad(`${at}.cursor.range must be an array of base64 hashes`);
      if (c.shard !== undefined && typeof c.shard !== 'string') bad(`${at}.cursor.shard must be a string`);
    }
  }
  return o as ScanFile;
}
