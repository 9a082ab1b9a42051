/**
 * The watch loop (lib/local/run.ts) against the in-repo test log server: each log on its own
 * interval, the worst exit code of the whole run (a lie stays reported after the log recovers),
 * and a stop signal that ends the loop even in the middle of a long interval.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LogConfig, parseLogConfig } from '../../lib/config/log-config.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { Clock } from '../../lib/http/ports.ts';
import { runChecks, watchLogs } from '../../lib/local/run.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

/**
 * A clock that jumps an hour on every reading, so no interval is ever waited for. It starts at
 * the real time: the test log signs its heads with the real time, and a head signed ahead of the
 * monitor's clock is refused.
 */
function racingClock(): Clock {
  let t = Date.now();
  return { now: () => (t += 3_600_000), sleep: async () => {} };
}

/** A clock that never moves (from the real time at start): every interval is waited for in full (unless stopped). */
const frozenAt = Date.now();
const frozenClock: Clock = { now: () => frozenAt, sleep: async () => {} };

describe('watchLogs', () => {
  let log: TestLog;
  let config: LogConfig;
  before(async () => {
    log = await startTestLog({ type: 'ct', initialSize: 5 });
    config = parseLogConfig(
      { name: 'w', type: 'ct', url: log.url, publicKey: log.publicKeyPem, interval: '1h' },
      'test',
    );
  });
  after(() => log.close());

  const deps = (clock: Clock, store = new MemoryStateStore()) => ({
    store,
    clock,
    httpFor: () => createHttpClient({ fetch: globalThis.fetch, clock, retries: 0, timeoutMs: 5_000 }),
  });

  it('checks each log the given number of times and reports each result', async () => {
    log.reset();
    const seen: CheckResult[] = [];
    const code = await watchLogs([config, { ...config, name: 'w2' }], deps(racingClock()), {
      onResult: (r) => seen.push(r),
      signal: new AbortController().signal,
      iterations: 3,
    });
    assert.equal(code, 0);
    assert.deepEqual(
      seen.filter((r) => r.log === 'w').map((r) => r.status),
      ['initialized', 'unchanged', 'unchanged'],
    );
    assert.equal(seen.filter((r) => r.log === 'w2').length, 3);
  });

  it('returns 1 for a lie seen during the run even after the log checks clean again', async () => {
    log.reset();
    const store = new MemoryStateStore();
    const seen: CheckResult[] = [];
    const code = await watchLogs([config], deps(racingClock(), store), {
      onResult: (r) => {
        seen.push(r);
        if (seen.length === 1) log.fork();
        if (seen.length === 2) log.reset();
      },
      signal: new AbortController().signal,
      iterations: 3,
    });
    assert.deepEqual(
      seen.map((r) => r.status),
      ['initialized', 'fork', 'unchanged'],
    );
    assert.equal(code, 1);
  });

  it('stops on the signal in the middle of an interval, without waiting it out', async () => {
    log.reset();
    const stop = new AbortController();
    const seen: CheckResult[] = [];
    // No iteration limit and a one-hour interval on a clock that never moves: only the signal ends it.
    const code = await watchLogs([config], deps(frozenClock), {
      onResult: (r) => {
        seen.push(r);
        setImmediate(() => stop.abort());
      },
      signal: stop.signal,
    });
    assert.equal(code, 0);
    assert.deepEqual(
      seen.map((r) => r.status),
      ['initialized'],
    );
  });

  it('a log whose client cannot be built is a monitor-error (exit 2); the others still run', async () => {
    log.reset();
    const broken: LogConfig = { ...config, name: 'broken', publicKey: 'not a key' };
    const results = await runChecks([broken, config], deps(racingClock()));
    assert.deepEqual(
      results.map((r) => [r.log, r.status]),
      [
        ['broken', 'monitor-error'],
        ['w', 'initialized'],
      ],
    );
  });
});
