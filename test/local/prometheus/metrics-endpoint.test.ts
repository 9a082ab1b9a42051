/**
 * `watch --metrics-port`: /metrics in the Prometheus text format, scraped while watch runs, with
 * rekor-monitor's two counters and the per-log series (docs/contracts.md, "Prometheus").
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../lib/local/cli.ts';
import { startTestLog } from '../../support/test-log-server.ts';

/** The value of one series in a text exposition, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('watch --metrics-port', () => {
  it('serves /metrics with the per-log series and rekor-monitor counters', { timeout: 60_000 }, async () => {
    const good = await startTestLog({ type: 'ct', initialSize: 7 });
    const bad = await startTestLog({ type: 'ct', initialSize: 3 });
    bad.respondWith('status500');
    const stop = new AbortController();
    try {
      const dir = await mkdtemp(join(tmpdir(), 'tlog-prom-'));
      const cfg = join(dir, 'c.json');
      const entry = (name: string, url: string, publicKey: string) => ({
        name,
        type: 'ct',
        url,
        publicKey,
        interval: '1h',
        timeoutMs: 1000,
      });
      await writeFile(
        cfg,
        JSON.stringify({
          logs: [entry('good', good.url, good.publicKeyPem), entry('bad', bad.url, bad.publicKeyPem)],
        }),
      );
      const out: string[] = [];
      const err: string[] = [];
      let seen: () => void = () => {};
      const bothChecked = new Promise<void>((resolve) => {
        seen = resolve;
      });
      const watching = main(['watch', '--config', cfg, '--state-dir', dir, '--json', '--metrics-port', '0'], {
        out: (l) => {
          out.push(l);
          if (out.length === 2) seen();
        },
        err: (l) => err.push(l),
        signal: stop.signal,
      });
      await bothChecked;
      const port = /metrics on port ([0-9]+) at \/metrics/.exec(err.join('\n'))?.[1];
      assert.ok(port, err.join('\n'));
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();

      // rekor-monitor's counters, per log.
      assert.equal(sample(text, 'log_index_verification_total{log="good"}'), 1);
      assert.equal(sample(text, 'log_index_verification_failure{log="good"}'), 0);
      assert.equal(sample(text, 'log_index_verification_total{log="bad"}'), 1);
      assert.equal(sample(text, 'log_index_verification_failure{log="bad"}'), 1);
      // Per-log series.
      assert.equal(sample(text, 'tlog_monitor_tree_size{log="good"}'), 7);
      assert.equal(sample(text, 'tlog_monitor_tree_size{log="bad"}'), undefined);
      assert.equal(sample(text, 'tlog_monitor_checks_total{log="good",status="initialized"}'), 1);
      assert.equal(sample(text, 'tlog_monitor_checks_total{log="bad",status="unreachable"}'), 1);
      assert.equal(sample(text, 'tlog_monitor_misbehaviour_total{log="good"}'), 0);
      assert.equal(sample(text, 'tlog_monitor_identity_matches_total{log="good"}'), 0);
      assert.equal(sample(text, 'tlog_monitor_check_interval_seconds{log="bad"}'), 3600);
      for (const log of ['good', 'bad']) {
        const since = sample(text, `tlog_monitor_seconds_since_verified_check{log="${log}"}`);
        assert.ok(since !== undefined && since >= 0, `${log}: ${since}`);
        assert.ok(sample(text, `tlog_monitor_seconds_since_growth{log="${log}"}`) !== undefined);
      }
      assert.match(text, /# TYPE log_index_verification_total counter/);
      assert.match(text, /# TYPE tlog_monitor_tree_size gauge/);

      assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
      stop.abort();
      assert.equal(await watching, 2);
      // The server is closed when watch ends.
      await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`));
    } finally {
      stop.abort();
      await good.close();
      await bad.close();
    }
  });
});
