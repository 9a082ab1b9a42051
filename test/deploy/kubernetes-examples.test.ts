/**
 * The Kubernetes/OpenShift examples in deploy/ stay true to the code: every metric their alert
 * rules read is one `watch --metrics-port` serves, the ServiceMonitor scrapes the port the
 * Deployment exposes, and the command lines they run are ones the CLI accepts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseLogConfig } from '../../lib/config/log-config.ts';
import { systemClock } from '../../lib/http/ports.ts';
import { parseCommandLine } from '../../lib/local/cli-args.ts';
import { PrometheusMetrics } from '../../lib/local/prometheus/prometheus-metrics.ts';
import { readVectorText } from '../support/vectors.ts';

const read = (path: string) => readFileSync(new URL(`../../deploy/${path}`, import.meta.url), 'utf8');

/** The list items under `key:` in a YAML block (the examples use plain `- item` lists). */
function yamlList(text: string, key: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  assert.ok(start >= 0, `no ${key}: in the manifest`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s*- (.*)$/.exec(line);
    if (!m) break;
    items.push((m[1] ?? '').replace(/^"(.*)"$/, '$1'));
  }
  return items;
}

describe('deploy/kubernetes examples', () => {
  it('the alert rules read only metrics that watch serves', async () => {
    const log = parseLogConfig(
      {
        name: 'x',
        type: 'rekor-v1',
        url: 'https://rekor.example',
        publicKey: readVectorText('rekor/rekor.sigstore.dev.pub.pem').trim(),
      },
      'test',
    );
    const served = new Set(
      (await new PrometheusMetrics([log], systemClock).registry.getMetricsAsJSON()).map((m) => m.name),
    );
    const rules = read('kubernetes/prometheusrule.yaml');
    const exprs = rules.split('\n').filter((l) => /^\s*expr:/.test(l));
    assert.equal(exprs.length, 5);
    const used = new Set(
      exprs.flatMap((l) => l.match(/\b(tlog_monitor_[a-z_]+|log_index_verification_[a-z]+)\b/g) ?? []),
    );
    assert.ok(used.size >= 5, [...used].join(', '));
    for (const name of used)
      assert.ok(served.has(name), `${name} is not served (served: ${[...served].join(', ')})`);
  });

  it('the ServiceMonitor scrapes the port the Deployment and Service expose', () => {
    const monitor = read('kubernetes/servicemonitor.yaml');
    const deployment = read('kubernetes/deployment.yaml');
    assert.match(monitor, /- port: metrics\n\s+path: \/metrics/);
    assert.match(deployment, /- name: metrics\n\s+containerPort: 9464/);
    assert.match(deployment, /- name: metrics\n\s+port: 9464\n\s+targetPort: metrics/);
  });

  it('the Deployment and the Containerfile run command lines the CLI accepts', () => {
    const args = yamlList(read('kubernetes/deployment.yaml'), 'args');
    assert.equal(parseCommandLine(args).command, 'watch');
    assert.ok(args.includes('--metrics-port'));
    const cmd = /^CMD (\[.*\])$/m.exec(read('Containerfile'))?.[1];
    assert.ok(cmd);
    assert.equal(parseCommandLine(JSON.parse(cmd)).command, 'watch');
  });
});
