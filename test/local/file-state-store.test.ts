/** The file state store: compare-and-set semantics, atomic replace, several processes at once. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TlogError } from '../../lib/errors.ts';
import { FileStateStore } from '../../lib/local/file-state-store.ts';
import type { StoredHead } from '../../lib/monitor/state-store.ts';

const run = promisify(execFile);
const head = (size: string): StoredHead => ({
  signed: `signed ${size}`,
  size,
  root: 'AAAA',
  origin: 'o',
  verifiedAt: '2026-01-01T00:00:00.000Z',
});
const tempDir = () => mkdtemp(join(tmpdir(), 'tlog-state-'));

describe('FileStateStore', () => {
  it('has compare-and-set semantics: a stale version writes nothing', async () => {
    const store = FileStateStore.directory(await tempDir());
    assert.equal(await store.load('a'), undefined);
    assert.equal(await store.compareAndSet('a', 0, head('1')), true);
    assert.equal(await store.compareAndSet('a', 0, head('2')), false);
    assert.deepEqual(await store.load('a'), { version: 1, head: head('1') });
    assert.equal(await store.compareAndSet('a', 1, head('2')), true);
    assert.equal((await store.load('a'))?.head.size, '2');
  });

  it('keeps several logs in one file independently', async () => {
    const store = FileStateStore.singleFile(join(await tempDir(), 'state.json'));
    assert.equal(await store.compareAndSet('a', 0, head('1')), true);
    assert.equal(await store.compareAndSet('b', 0, head('5')), true);
    assert.equal((await store.load('a'))?.head.size, '1');
    assert.equal((await store.load('b'))?.head.size, '5');
  });

  it('a log named like an Object.prototype member starts empty and stores normally', async () => {
    const store = FileStateStore.singleFile(join(await tempDir(), 'state.json'));
    assert.equal(await store.compareAndSet('a', 0, head('1')), true);
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      assert.equal(await store.load(name), undefined, name);
      assert.equal(await store.compareAndSet(name, 1, head('9')), false, name);
      assert.equal(await store.compareAndSet(name, 0, head('2')), true, name);
      assert.deepEqual(await store.load(name), { version: 1, head: head('2') }, name);
    }
  });

  it('replaces the file atomically and leaves no temp or lock files', async () => {
    const dir = await tempDir();
    const store = FileStateStore.directory(dir);
    for (let v = 0; v < 5; v++) assert.equal(await store.compareAndSet('a', v, head(String(v))), true);
    assert.deepEqual(await readdir(dir), ['a.json']);
  });

  it('refuses a corrupt state file with state/corrupt and names the file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), '{"format":"tlog-monitor-state/1","logs":{"a":{"version":1}}}');
    const store = FileStateStore.directory(dir);
    await assert.rejects(
      store.load('a'),
      (e: unknown) => e instanceof TlogError && e.code === 'state/corrupt' && /a\.json/.test(e.message),
    );
    await writeFile(join(dir, 'a.json'), 'not json');
    await assert.rejects(
      store.load('a'),
      (e: unknown) => e instanceof TlogError && e.code === 'state/corrupt',
    );
    // A failed read never turns into "no state": the corrupt file is not overwritten either.
    await assert.rejects(store.compareAndSet('a', 0, head('1')));
    assert.equal(await readFile(join(dir, 'a.json'), 'utf8'), 'not json');
  });

  it('times out on a live lock held by someone else, and breaks a stale one', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json.lock'), '999999\n');
    const impatient = new FileStateStore({ fileFor: (l) => join(dir, `${l}.json`), lockTimeoutMs: 50 });
    await assert.rejects(
      impatient.compareAndSet('a', 0, head('1')),
      (e: unknown) => e instanceof TlogError && e.code === 'state/io' && /locked/.test(e.message),
    );
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'a.json.lock'), old, old);
    assert.equal(await impatient.compareAndSet('a', 0, head('1')), true);
    // The stale lock is gone with nothing left behind, and our own lock was released.
    assert.deepEqual(await readdir(dir), ['a.json']);
  });

  it('loses no update when 6 processes compare-and-set the same file at once', async () => {
    const path = join(await tempDir(), 'state.json');
    const worker = new URL('./fixtures/cas-worker.ts', import.meta.url).pathname;
    const rounds = 15;
    const outs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        run(process.execPath, ['--import', 'tsx', worker, path, String(rounds), String(i)]),
      ),
    );
    const wins = outs.map((o) => Number(o.stdout)).reduce((a, b) => a + b, 0);
    const final = await FileStateStore.singleFile(path).load('log');
    // Every successful compare-and-set moved the version by exactly one and the size with it.
    assert.ok(wins >= rounds, `at least one worker's worth of wins, got ${wins}`);
    assert.equal(final?.version, wins);
    assert.equal(final?.head.size, String(wins));
  });
});
