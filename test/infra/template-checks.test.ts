/**
 * Static checks of the synthesized stack: cdk-nag's AwsSolutions pack reports zero
 * unacknowledged findings (each acknowledgement carries its reason), synthesis with the pack
 * registered succeeds, and cfn-lint reports no errors on the template.
 *
 * cfn-lint policy: errors (exit-code bit 2) and fatal failures (bit 1) fail the test; warnings
 * (bit 4) and informational findings (bit 8) are printed, not fatal. The stack's only warnings are
 * W3005 (an explicit DependsOn that a GetAtt already implies), which CDK itself emits for a
 * function and its role. When cfn-lint is not installed the lint tests are skipped, saying so,
 * except in CI (`CI` set to anything but `false`/`0`, as CI services set it): CI machines have
 * cfn-lint, so there a missing or broken cfn-lint fails the tests instead of hiding the check.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthTestApp } from './synth.ts';

const { app, stack } = synthTestApp();

test('cdk-nag AwsSolutions: zero unacknowledged findings', () => {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  assert.deepEqual(
    report.violations.map((v) => `${v.ruleName}: ${v.description}`),
    [],
  );
  assert.equal(report.success, true);
});

test('cdk-nag acknowledgements: only the expected ones, each with a reason a reviewer can check', () => {
  const acks: Array<{ path: string; id: string; reason: string }> = [];
  for (const c of app.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        acks.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  const summary = acks
    .map((a) => `${a.path} ${a.id.replace(/<MonitorLog\w+Logs[0-9A-F]{8}>/, '<LogGroup>')}`)
    .sort();
  const perLog = (log: string) => [
    `TransparencyLogMonitor/Monitor/Log-${log} AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<LogGroup>:log-stream:*]`,
  ];
  assert.deepEqual(
    summary,
    [
      ...perLog('ctfe'),
      ...perLog('rekor'),
      'TransparencyLogMonitor/Monitor/DeadLetterQueue AwsSolutions-SQS3',
    ].sort(),
  );
  for (const a of acks) {
    assert.ok(a.reason.length >= 60, `${a.id} needs a real reason, got ${JSON.stringify(a.reason)}`);
  }
  // The wildcard-resource acknowledgements are scoped to one log's constructs, never the stack.
  for (const a of acks.filter((x) => x.id.startsWith('AwsSolutions-IAM5'))) {
    assert.match(a.path, /\/Log-[^/]+$/);
  }
});

test('cdk-nag is live: the same pack flags an unencrypted, non-TLS queue', () => {
  const other = new App();
  new Queue(new Stack(other, 'Bad'), 'Queue');
  const rules = new AwsSolutionsChecks(other).validateScope(other).violations.map((v) => v.ruleName);
  assert.ok(rules.includes('AwsSolutions-SQS4'), rules.join(', '));
});

test('synthesis with the AwsSolutions pack registered (as infra/app.ts does) succeeds', () => {
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  assert.ok(artifact.template.Resources);
});

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const haveCfnLint = cfnLint.status === 0;
const inCi = process.env.CI !== undefined && !/^(false|0|)$/i.test(process.env.CI);
/** Skip without cfn-lint, but not in CI: there the test runs and fails on the missing tool. */
const lintSkip = haveCfnLint || inCi ? false : 'cfn-lint not installed (pip install cfn-lint)';

function requireCfnLint(): void {
  assert.ok(
    haveCfnLint,
    `cfn-lint is required when CI is set (CI=${process.env.CI}) but \`cfn-lint --version\` failed: ` +
      `${cfnLint.error?.message ?? `exit ${cfnLint.status}`} ${cfnLint.stderr ?? ''}`.trim(),
  );
}

function lint(path: string): { status: number; output: string } {
  const r = spawnSync('cfn-lint', ['--', path], { encoding: 'utf8' });
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

test('cfn-lint: no errors on the synthesized template', { skip: lintSkip }, (t) => {
  requireCfnLint();
  const path = app.synth().getStackArtifact(stack.artifactId).templateFullPath;
  const { status, output } = lint(path);
  assert.equal(status & 3, 0, `cfn-lint errors:\n${output}`);
  if (status !== 0) t.diagnostic(`cfn-lint warnings (not fatal):\n${output}`);
  // Only the known CDK-generated warning, nothing new.
  const codes = new Set(output.match(/^[EWI]\d{4}/gm) ?? []);
  for (const code of codes) assert.equal(code, 'W3005', output);
});

test('cfn-lint is live: it reports an error for a broken template', { skip: lintSkip }, () => {
  requireCfnLint();
  const dir = mkdtempSync(join(tmpdir(), 'tlog-cfn-lint-'));
  const path = join(dir, 'broken.json');
  writeFileSync(
    path,
    JSON.stringify({
      Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'SOMETIMES' } } },
    }),
  );
  const { status } = lint(path);
  assert.notEqual(status & 2, 0);
});
