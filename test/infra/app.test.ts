/**
 * infra/app.ts as the CDK CLI runs it (`node --import tsx infra/app.ts`, from cdk.json): a bad
 * config fails synth with a message naming the file, the log and the field, and no stack trace;
 * a good one synthesizes the template, with the AwsSolutions pack registered.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeConfig } from './synth.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function runApp(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'tlog-app-out-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CDK_OUTDIR: outdir, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: `${r.stderr}\n${outdir}` };
}

test('cdk.json runs infra/app.ts', () => {
  const cdk = JSON.parse(readFileSync(join(REPO, 'cdk.json'), 'utf8'));
  assert.equal(cdk.app, 'node --import tsx infra/app.ts');
  assert.equal(cdk.notices, false);
  assert.equal(cdk.context['cli-telemetry'], false);
});

test('a bad config fails synth naming the file, the log and the field', () => {
  const path = writeConfig({
    logs: [
      { preset: 'sigstore-rekor', name: 'rekor', interval: '30s' },
      { preset: 'sigstore-rekor', name: 'REKOR' },
    ],
  });
  const r = runApp({ TLOG_MONITOR_CONFIG: path });
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: logs\\[1\\] \\("REKOR"\\)\\.name: duplicate log name`,
    ),
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('a good config synthesizes the stack template', () => {
  const path = writeConfig({ logs: [{ preset: 'sigstore-ctfe-2022', name: 'ct', interval: '2m' }] });
  const r = runApp({ TLOG_MONITOR_CONFIG: path });
  assert.equal(r.status, 0, r.stderr);
  const outdir = r.stderr.trim().split('\n').at(-1) as string;
  const templatePath = join(outdir, 'TransparencyLogMonitor.template.json');
  assert.ok(existsSync(templatePath));
  const template = JSON.parse(readFileSync(templatePath, 'utf8'));
  const schedules = Object.values(template.Resources).filter(
    (r) => (r as { Type: string }).Type === 'AWS::Scheduler::Schedule',
  );
  assert.equal(schedules.length, 1);
  assert.equal(
    (schedules[0] as { Properties: { ScheduleExpression: string } }).Properties.ScheduleExpression,
    'rate(2 minutes)',
  );
  // The stack description says what the stack does, with no placeholder left in it.
  assert.equal(template.Description, 'tlog-monitor: proves 1 transparency log stays append-only');
});

test('a deployment that would not fit CloudFormation fails with what to change, no stack trace', () => {
  const logs = Array.from({ length: 50 }, (_, i) => ({ preset: 'sigstore-rekor', name: `r${i}` }));
  const r = runApp({
    TLOG_MONITOR_CONFIG: writeConfig({ logs }),
    CDK_CONTEXT_JSON: JSON.stringify({ logsPerStack: 50 }),
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /stack TransparencyLogMonitor would hold 509 resources .* lower logsPerStack/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
