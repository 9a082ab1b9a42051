/**
 * 100 logs in one deployment: the logs are split into nested stacks (infra/log-groups.ts), each
 * template stays within CloudFormation's quotas (500 resources per stack, 1 MB for a template
 * uploaded to S3, as CDK uploads every template), every log keeps its own function and schedule,
 * and the whole passes cdk-nag and cfn-lint. A deployment that would still break the resource
 * quota fails synthesis with a message saying what to change, not a stack trace from deep in CDK.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MAX_RESOURCES_PER_STACK } from '../../infra/log-groups.ts';
import { type Cfn, synthTestApp } from './synth.ts';

/** CloudFormation: a template in an S3 object is at most 1 MB; kept to 1,000,000 bytes here. */
const MAX_TEMPLATE_BYTES = 1_000_000;

const logs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ preset: 'sigstore-rekor', name: `rekor-${i + 1}`, interval: '1m' }));

const big = synthTestApp({ frozenLogs: '' }, { logs: logs(100) });
const assembly = big.app.synth();
const artifact = assembly.getStackArtifact(big.stack.artifactId);
/** The parent template and every nested one, by file. */
const templates = [artifact.templateFullPath, ...nestedTemplateFiles()].map((path) => ({
  path,
  bytes: statSync(path).size,
  json: JSON.parse(readFileSync(path, 'utf8')) as Cfn,
}));

/** CDK writes each nested stack's template beside the parent's, as `<id>.nested.template.json`. */
function nestedTemplateFiles(): string[] {
  return readdirSync(assembly.directory)
    .filter((f) => f.endsWith('.nested.template.json'))
    .map((f) => join(assembly.directory, f));
}

const ofType = (type: string) =>
  templates.flatMap((t) => Object.values(t.json.Resources as Cfn).filter((r) => r.Type === type));

test('100 logs: three nested stacks of at most 40 logs, one function and one schedule per log', () => {
  assert.equal(templates.length, 1 + 3);
  const nested = Object.values(templates[0]?.json.Resources as Cfn).filter(
    (r) => r.Type === 'AWS::CloudFormation::Stack',
  );
  assert.equal(nested.length, 3, 'the parent deploys them: one `cdk deploy`');
  assert.equal(ofType('AWS::Lambda::Function').length, 100);
  assert.equal(ofType('AWS::Scheduler::Schedule').length, 100);
  assert.equal(
    Object.values(templates[0]?.json.Resources as Cfn).filter((r) => r.Type === 'AWS::Lambda::Function')
      .length,
    0,
  );
});

test('100 logs: every template within 500 resources and 1 MB', () => {
  for (const t of templates) {
    const n = Object.keys(t.json.Resources).length;
    assert.ok(n <= MAX_RESOURCES_PER_STACK, `${t.path}: ${n} resources`);
    assert.ok(t.bytes <= MAX_TEMPLATE_BYTES, `${t.path}: ${t.bytes} bytes`);
  }
});

test('100 logs: cdk-nag AwsSolutions, zero unacknowledged findings', () => {
  const report = new AwsSolutionsChecks(big.app).validateScope(big.app);
  assert.deepEqual(
    report.violations.map((v) => `${v.ruleName}: ${v.description}`),
    [],
  );
});

const haveCfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
test('100 logs: cfn-lint, no errors in any template', {
  skip: haveCfnLint ? false : 'cfn-lint not installed',
}, () => {
  const r = spawnSync('cfn-lint', ['--', ...templates.map((t) => t.path)], { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  assert.equal((r.status ?? 1) & 3, 0, `cfn-lint errors:\n${output}`);
  // Only CDK's own warning on a function's explicit DependsOn on its role (see template-checks).
  for (const code of new Set(output.match(/^[EWI]\d{4}/gm) ?? [])) assert.equal(code, 'W3005', output);
});

test('a stack that would exceed 500 resources fails synthesis naming the stack and what to change', () => {
  // 50 logs of about 10 resources each, all allowed into one stack.
  assert.throws(
    () => synthTestApp({ frozenLogs: '', logsPerStack: 50 }, { logs: logs(50) }).app.synth(),
    (e: Error) => {
      assert.match(
        e.message,
        /stack TransparencyLogMonitor would hold 5\d\d resources \(with 50 of the monitored logs\)/,
      );
      assert.match(
        e.message,
        /over CloudFormation's 500 per stack; lower logsPerStack \(CDK context -c logsPerStack=N\)/,
      );
      assert.doesNotMatch(e.message, /TooManyResourcesInStack/);
      return true;
    },
  );
});
