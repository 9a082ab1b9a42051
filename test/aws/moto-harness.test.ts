/**
 * The moto harness itself (test/support/moto.ts): a free loopback port, a bounded start, and no
 * moto_server left behind, whether the tests stop it, or the test process is stopped by a signal
 * (as the test runner does on a timeout or a cancel).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort, startMoto } from '../support/moto.ts';

/**
 * Whether a process runs (signal 0 checks without sending anything). A zombie (ended, not yet
 * reaped by an init that is slow to reap) has ended: on Linux, /proc/<pid>/stat says `Z`.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: signal 0 is all we have
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe('moto harness', () => {
  it('starts on a free loopback port, answers, and stop() ends the process', async () => {
    const moto = await startMoto();
    try {
      assert.match(moto.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${moto.endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      assert.equal(res.status, 200);
    } finally {
      await moto.stop();
    }
    await assert.rejects(
      fetch(`${moto.endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) }),
      'nothing answers after stop()',
    );
    await moto.stop(); // a second stop is harmless
  });

  it('a start that cannot answer in time fails within the bound and leaves nothing running', async () => {
    const port = await freePort();
    await assert.rejects(startMoto({ port, timeoutMs: 1 }), /did not answer .* within 1 ms/);
  });

  it("a given port that is taken fails with moto_server's reason, not a hang", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      await assert.rejects(startMoto({ port }), /exited before answering[\s\S]*Address already in use/);
    } finally {
      busy.close();
    }
  });

  it('a test process stopped by SIGTERM takes its moto_server with it', async () => {
    const script = [
      "import { startMoto } from './test/support/moto.ts';",
      'const moto = await startMoto();',
      "const { execFileSync } = await import('node:child_process');",
      // The pid of the moto_server listening on the port (the child of this process).
      "const pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim();",
      "console.log(JSON.stringify({ endpoint: moto.endpoint, pids: pids.split('\\n').map(Number) }));",
      'setInterval(() => {}, 1_000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      let out = '';
      for await (const chunk of child.stdout) {
        out += chunk;
        if (out.includes('\n')) break;
      }
      clearTimeout(timer);
      const { pids } = JSON.parse(out) as { endpoint: string; pids: number[] };
      assert.ok(pids.length >= 1 && pids.every(alive), `moto_server running: ${pids}`);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [, signal] = await exited;
      assert.equal(signal, 'SIGTERM', 'the process still ends by the signal');
      for (const pid of pids) assert.ok(await gone(pid, 5_000), `moto_server ${pid} left running`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
