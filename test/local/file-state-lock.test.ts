/**
 * The file state store's lock against a holder that stalls past the stale-lock limit (issue 10,
 * item 8). The stall is made by holding back one of the holder's file-system calls (node's fs
 * promises API, swapped for a gated one), so the interleaving is exact, not timed: the head must
 * never go back (30 → 20), whichever writer wins.
 */
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { FileStateStore } from '../../lib/local/file-state-store.ts';
import type { StoredHead } from '../../lib/monitor/state-store.ts';

const head = (size: string): StoredHead => ({
  signed: `signed ${size}`,
  size,
  root: 'AAAA',
  origin: 'o',
  verifiedAt: '2026-01-01T00:00:00.000Z',
});

const original = { rename: fsp.rename, open: fsp.open };
afterEach(() => {
  fsp.rename = original.rename;
  fsp.open = original.open;
  syncBuiltinESMExports();
});

/** Holds back the first call of `fsp[name]` whose first argument matches, until `release()`. */
function stallFirst(name: 'rename' | 'open', matches: (path: string) => boolean) {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let reached!: () => void;
  const stalled = new Promise<void>((r) => {
    reached = r;
  });
  let done = false;
  const real = original[name] as (...args: unknown[]) => Promise<unknown>;
  (fsp as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
    if (!done && matches(String(args[0]))) {
      done = true;
      reached();
      await gate;
    }
    return real(...args);
  };
  syncBuiltinESMExports();
  return { stalled, release };
}

const stores = async () => {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'tlog-lock-'));
  const path = join(dir, 'state.json');
  // A short stale limit, so that the stalled holder's lock is "old" after a brief wait.
  const make = () => new FileStateStore({ fileFor: () => path, staleLockMs: 50, lockTimeoutMs: 400 });
  return { path, a: make(), b: make() };
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FileStateStore lock: a stalled holder never moves the head back', () => {
  it('the 30 → 20 scenario: A stalls before its rename, B would write 30, A renames 20', async () => {
    const { path, a, b } = await stores();
    assert.equal(await a.compareAndSet('log', 0, head('10')), true);
    // A holds the lock and has written its temp file (head 20); its rename is held back.
    const { stalled, release } = stallFirst('rename', (p) => p.endsWith('.tmp'));
    const aWrite = a.compareAndSet('log', 1, head('20'));
    await stalled;
    await pause(150); // A's lock is now older than the 50 ms stale limit
    const bWrite = b.compareAndSet('log', 1, head('30')).catch((e: Error) => e);
    const bResult = await bWrite;
    release();
    const aResult = await aWrite.catch((e: Error) => e);
    const final = (await a.load('log'))?.head.size;
    // Whoever won, the stored head is the winner's, and never the loser's over it.
    if (bResult === true) {
      assert.equal(final, '30', `B stored 30 and reported success, but the head went back to ${final}`);
      assert.notEqual(aResult, true, 'A cannot also have succeeded from the same version');
    } else {
      assert.equal(aResult, true);
      assert.equal(final, '20');
    }
    assert.equal(typeof (await fsp.readFile(path, 'utf8')), 'string');
  });

  it('a holder whose lock was taken over (by a process on another host) discards its write', async () => {
    const { path, a } = await stores();
    assert.equal(await a.compareAndSet('log', 0, head('10')), true);
    // A stalls while creating its temp file; meanwhile another host breaks A's lock (it looks
    // stale from there), takes it and stores 30.
    const { stalled, release } = stallFirst('open', (p) => p.endsWith('.tmp'));
    const aWrite = a.compareAndSet('log', 1, head('20'));
    await stalled;
    await fsp.writeFile(`${path}.lock`, `999999 other-host-than-${hostname()} 0123456789abcdef\n`);
    const other = FileStateStore.singleFile(join(path, '..', 'other.json'));
    assert.equal(await other.compareAndSet('log', 0, head('30')), true);
    await fsp.rename(join(path, '..', 'other.json'), path);
    release();
    const aResult = await aWrite.catch((e: Error) => e);
    assert.notEqual(aResult, true, 'A lost its lock: its write must not land');
    assert.equal((await a.load('log'))?.head.size, '30');
    // The other host's lock is left alone.
    assert.match(await fsp.readFile(`${path}.lock`, 'utf8'), /other-host/);
  });
});
