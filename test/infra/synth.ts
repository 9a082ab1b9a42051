/**
 * Shared synthesis for the infra tests: a config file with two logs on different intervals,
 * alert emails and a reminder, built into the app exactly as `npx cdk synth` builds it
 * (infra/create-app.ts), with the real handler bundle. Each test file synthesizes once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createMonitorApp, type MonitorApp } from '../../infra/create-app.ts';

/** A CloudFormation template fragment: untyped JSON. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static type; the tests assert its shape.
export type Cfn = Record<string, any>;

export const TEST_EMAILS = ['secops@example.com', 'oncall@example.org'];

/** Two logs: Rekor v1 every minute, Sigstore's CT log every 5 minutes (frozen: no growth alarm). */
export const TEST_CONFIG = {
  logs: [
    { preset: 'sigstore-rekor', name: 'rekor', interval: '1m' },
    { preset: 'sigstore-ctfe-2022', name: 'ctfe', interval: '5m' },
  ],
  alerts: { emails: TEST_EMAILS, reminderHours: 12, afterFailures: 4 },
};

export function writeConfig(config: unknown, dir = mkdtempSync(join(tmpdir(), 'tlog-infra-'))): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return path;
}

export interface Synthesized extends MonitorApp {
  readonly template: Template;
}

/** The context of cdk.json (the feature flags), which the CDK CLI hands to the app. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export function synthTestApp(
  context: Record<string, unknown> = {},
  config: unknown = TEST_CONFIG,
): Synthesized {
  const configPath = writeConfig(config);
  const built = createMonitorApp({
    cwd: tmpdir(),
    env: {},
    context: { ...CDK_JSON_CONTEXT, config: configPath, frozenLogs: 'ctfe', ...context },
    outdir: mkdtempSync(join(tmpdir(), 'tlog-infra-out-')),
  });
  return { ...built, template: Template.fromStack(built.stack) };
}

/** The one resource of `type` whose logical ID starts with `prefix` (e.g. `MonitorLogrekor`). */
export function resourceOf(
  template: Template,
  type: string,
  prefix: string,
): { id: string; props: Cfn; resource: Cfn } {
  const matches = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) {
    throw new Error(
      `expected one ${type} with logical ID prefix ${prefix}, found ${matches.map(([id]) => id).join(', ') || 'none'}`,
    );
  }
  const [id, resource] = matches[0] as [string, Cfn];
  return { id, props: resource.Properties ?? {}, resource };
}
