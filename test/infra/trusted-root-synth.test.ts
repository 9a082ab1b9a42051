/**
 * The CDK app from a config holding only `{ "trustedRoot": ... }` (the real public Sigstore
 * trusted root): one function per log it lists, keys pinned in LOG_CONFIG, and no growth alarm
 * for the frozen one. And a monitor in a VPC: every function in the given subnets and security
 * group; cdk-nag and cfn-lint stay clean.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createMonitorApp } from '../../infra/create-app.ts';
import { TransparencyLogMonitor } from '../../infra/transparency-log-monitor.ts';
import { parseConfigFile } from '../../lib/config/config-file.ts';
import { vectorPath } from '../support/vectors.ts';
import { type Cfn, writeConfig } from './synth.ts';

const standIn = () => Code.fromInline('exports.handler = async () => ({})');

test('a config holding only a trustedRoot synthesizes one function per log of the root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-trust-synth-'));
  copyFileSync(vectorPath('trust/sigstore-public-trusted_root.json'), join(dir, 'trusted_root.json'));
  const configPath = writeConfig({ logs: [{ trustedRoot: 'trusted_root.json' }] }, dir);
  const { stack } = createMonitorApp({ cwd: dir, env: {}, context: { config: configPath }, code: standIn() });
  const t = Template.fromStack(stack);
  const configs = Object.values(t.findResources('AWS::Lambda::Function')).map((f) =>
    JSON.parse(f.Properties.Environment.Variables.LOG_CONFIG),
  );
  assert.deepEqual(configs.map((c) => [c.name, c.type, c.url, c.frozen ?? false]).sort(), [
    ['ctfe.sigstore.dev-2022', 'ct', 'https://ctfe.sigstore.dev/2022', false],
    ['ctfe.sigstore.dev-test', 'ct', 'https://ctfe.sigstore.dev/test', true],
    ['log2025-1.rekor.sigstore.dev', 'tiles', 'https://log2025-1.rekor.sigstore.dev/api/v2', false],
    ['rekor.sigstore.dev', 'rekor-v1', 'https://rekor.sigstore.dev', false],
  ]);
  // Each LOG_CONFIG is a valid log entry for the Lambda.
  for (const c of configs) assert.equal(parseConfigFile(JSON.stringify({ logs: [c] }), 'env').logs.length, 1);
  const growthAlarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'))
    .map((a) => a.Properties as Cfn)
    // Both per-log alarms read SecondsSinceGrowth; the growth alarm is the one named "not-growing".
    .filter((a) => a.MetricName === 'SecondsSinceGrowth' && String(a.AlarmName).endsWith('-not-growing'))
    .map((a) => a.Dimensions[0].Value)
    .sort();
  assert.deepEqual(growthAlarms, [
    'ctfe.sigstore.dev-2022',
    'log2025-1.rekor.sigstore.dev',
    'rekor.sigstore.dev',
  ]);
});

test('a tuf source is refused at synth, saying what to deploy instead', () => {
  const configPath = writeConfig({ logs: [{ tuf: { url: 'https://tuf.example', root: 'root.json' } }] });
  assert.throws(
    () => createMonitorApp({ cwd: tmpdir(), env: {}, context: { config: configPath }, code: standIn() }),
    /needs "trustedRoot" too at synth \(no network\)/,
  );
});

function vpcApp() {
  const app = new App();
  const stack = new Stack(app, 'VpcMonitor');
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'logs', subnetType: SubnetType.PRIVATE_ISOLATED }],
  });
  Validations.of(vpc).acknowledge({
    id: 'AwsSolutions-VPC7',
    reason:
      'The test VPC stands for the operator-owned VPC the monitor is placed in; its flow logs are the operator’s.',
  });
  const group = new SecurityGroup(stack, 'ToLogs', { vpc, description: 'tlog-monitor to private logs' });
  const config = parseConfigFile(
    JSON.stringify({ logs: [{ preset: 'sigstore-rekor' }, { preset: 'sigstore-ctfe-2022' }] }),
    'test',
  );
  new TransparencyLogMonitor(stack, 'Monitor', {
    logs: config.logs,
    vpc,
    vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
    securityGroups: [group],
    code: standIn(),
  });
  return { app, stack, vpc, group };
}

test('with a vpc every function runs in the given subnets and security group', () => {
  const { stack, vpc, group } = vpcApp();
  const t = Template.fromStack(stack);
  const subnets = vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId));
  const fns = Object.values(t.findResources('AWS::Lambda::Function'));
  assert.equal(fns.length, 2);
  for (const f of fns) {
    assert.deepEqual(f.Properties.VpcConfig.SubnetIds, subnets);
    assert.deepEqual(f.Properties.VpcConfig.SecurityGroupIds, [stack.resolve(group.securityGroupId)]);
  }
});

test('with a vpc cdk-nag finds nothing unacknowledged and cfn-lint no errors', (t) => {
  const { app, stack } = vpcApp();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  assert.deepEqual(
    report.violations.map((v) => `${v.ruleName}: ${v.description}`),
    [],
  );
  const path = app.synth().getStackArtifact(stack.artifactId).templateFullPath;
  const r = spawnSync('cfn-lint', ['--', path], { encoding: 'utf8' });
  if (r.error) {
    t.skip('cfn-lint not installed');
    return;
  }
  assert.equal((r.status ?? 1) & 3, 0, `${r.stdout}${r.stderr}`);
});

test('with a vpc each function role may manage its network interfaces (Lambda needs it to start)', () => {
  const { stack } = vpcApp();
  const t = Template.fromStack(stack);
  const roles = Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('ec2:CreateNetworkInterface'))
    .map((p) => p.Properties.Roles);
  assert.equal(roles.length, 2);
});

test('tuf with a trustedRoot snapshot: the functions follow their keys through TUF (root.json in LOG_CONFIG)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-tuf-synth-'));
  copyFileSync(vectorPath('trust/sigstore-public-trusted_root.json'), join(dir, 'trusted_root.json'));
  const rootJson = '{"signed":{"_type":"root"},"signatures":[]}';
  writeFileSync(join(dir, 'root.json'), rootJson);
  const configPath = writeConfig(
    {
      logs: [
        {
          tuf: { url: 'https://tuf.example', root: 'root.json' },
          trustedRoot: 'trusted_root.json',
          include: ['rekor.sigstore.dev'],
        },
      ],
    },
    dir,
  );
  const { stack } = createMonitorApp({ cwd: dir, env: {}, context: { config: configPath }, code: standIn() });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const config = JSON.parse(fn?.Properties.Environment.Variables.LOG_CONFIG);
  assert.deepEqual(config.tufKeys, {
    url: 'https://tuf.example',
    root: rootJson,
    baseUrl: 'https://rekor.sigstore.dev',
  });
});
