/**
 * `cdk deploy` for real, against moto: synth (the CDK CLI running cdk.json's app), bootstrap,
 * deploy with `--outputs-file`, a forced redeploy (an update), and destroy.
 * It proves what a synth-only test cannot: asset publishing (the bundle and the nested templates
 * go to the bootstrap bucket), every reference and parameter between the stacks, dependency
 * order, the outputs, an update and a clean delete.
 *
 * Three settings make the CDK CLI work against moto 5.2 (measured with moto 5.2.1):
 *   - AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION=http://localhost:PORT: the CLI hands CloudFormation
 *     the template's URL on this endpoint, and moto finds the bucket in the path of a `localhost` URL;
 *   - --method=direct: a change-set deploy leaves no outputs in moto, and a second one fails there;
 *   - --no-previous-parameters on the update.
 * The logs are split one per nested stack (-c logsPerStack=1), so the nested stacks are deployed.
 *
 * What moto does NOT create, so this test cannot prove them: CloudWatch alarms
 * (AWS::CloudWatch::Alarm), EventBridge Scheduler schedules (AWS::Scheduler::Schedule), resource
 * policies (AWS::SNS::TopicPolicy, AWS::SQS::QueuePolicy, the KMS key policy's effect), SNS
 * subscriptions (AWS::SNS::Subscription) and Lambda async invoke configs
 * (AWS::Lambda::EventInvokeConfig). Their properties are checked by cfn-lint and cdk-nag
 * (template-checks.test.ts) and by the template tests (stack-security.test.ts,
 * alarm-metrics.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_STACK_NAME } from '../../infra/create-app.ts';
import { CREDENTIALS, type Moto, REGION, sdkConfig, startMoto } from '../support/moto.ts';
import { TEST_CONFIG, writeConfig } from './synth.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CDK = join(REPO, 'node_modules/.bin/cdk');
/** moto's default account. */
const ACCOUNT = '123456789012';
/** The stack outputs README names (infra/transparency-log-monitor.ts). */
const OUTPUTS = ['StateTableName', 'AlertTopicArn', 'DeadLetterQueueUrl', 'DashboardUrl'];

let moto: Moto | undefined;
const work = mkdtempSync(join(tmpdir(), 'tlog-deploy-'));

before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

function env(m: Moto): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: work,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: m.endpoint,
    AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION: `http://localhost:${m.port}`,
    CDK_DISABLE_VERSION_CHECK: '1',
  };
}

/** Runs the CDK CLI; resolves with its output, rejects with it when it fails. */
function cdk(m: Moto, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(CDK, args, { cwd: REPO, env: env(m), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
    });
    child.stderr.on('data', (b) => {
      out += b;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new Error(
            `cdk ${args.join(' ')} exited ${code ?? signal}:\n${out}\n--- moto:\n${m.output().slice(-3000)}`,
          ),
        );
    });
  });
}

/** moto picks the service from the credential scope; it does not check the signature. */
const authFor = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** The Lambda functions in moto (the Lambda REST API). */
async function functionNames(m: Moto): Promise<string[]> {
  const res = await fetch(`${m.endpoint}/2015-03-31/functions/`, {
    headers: { authorization: authFor('lambda') },
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { Functions: { FunctionName: string }[] };
  return body.Functions.map((f) => f.FunctionName);
}

/** The CloudFormation stacks in moto that are not deleted (DescribeStacks, query API). */
async function stackNames(m: Moto): Promise<string[]> {
  const res = await fetch(m.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: authFor('cloudformation'),
    },
    body: 'Action=DescribeStacks&Version=2010-05-15',
    signal: AbortSignal.timeout(10_000),
  });
  const xml = await res.text();
  assert.equal(res.status, 200, xml);
  return [...xml.matchAll(/<StackName>([^<]+)<\/StackName>/g)].map((x) => x[1] as string);
}

test('synth, bootstrap, deploy, update, destroy: the stack and its nested stacks on moto', async () => {
  const m = moto as Moto;
  const config = writeConfig(TEST_CONFIG, work);
  const assembly = join(work, 'cdk.out');

  const synth = await cdk(m, [
    'synth',
    '--quiet',
    '-c',
    `config=${config}`,
    '-c',
    'logsPerStack=1',
    '-o',
    assembly,
  ]);
  assert.doesNotMatch(synth, /feature flags are not configured/, 'cdk.json sets the recommended flags');

  await cdk(m, ['bootstrap', `aws://${ACCOUNT}/${REGION}`, '--app', assembly]);

  const outputsFile = join(work, 'outputs.json');
  const deployArgs = [
    'deploy',
    '--method=direct',
    '--require-approval',
    'never',
    '--outputs-file',
    outputsFile,
  ];
  await cdk(m, [...deployArgs, '--app', assembly]);

  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8'))[DEFAULT_STACK_NAME] as Record<string, string>;
  assert.deepEqual(Object.keys(outputs).sort(), [...OUTPUTS].sort());
  for (const name of OUTPUTS) assert.ok(outputs[name], `${name} has a value`);

  const clients = {
    dynamo: new DynamoDBClient(sdkConfig(m.endpoint)),
    sns: new SNSClient(sdkConfig(m.endpoint)),
    sqs: new SQSClient(sdkConfig(m.endpoint)),
  };
  try {
    const table = await clients.dynamo.send(new DescribeTableCommand({ TableName: outputs.StateTableName }));
    assert.deepEqual(table.Table?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const topic = await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: outputs.AlertTopicArn }));
    const queue = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: outputs.DeadLetterQueueUrl, AttributeNames: ['All'] }),
    );
    const topicKey = topic.Attributes?.KmsMasterKeyId;
    assert.match(topicKey ?? '', /^arn:aws:kms:us-east-1:123456789012:key\//);
    assert.equal(queue.Attributes?.KmsMasterKeyId, topicKey, 'the topic and the queue share the KMS key');
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }

  assert.equal((await functionNames(m)).length, 2, 'one function per log');
  // The parent, one nested stack per log, and the bootstrap stack.
  assert.equal((await stackNames(m)).length, 1 + 2 + 1, (await stackNames(m)).join(', '));

  // The update: the same assembly again, forced, without carrying parameters over. (moto 5.2.1
  // fails an update that adds a nested stack: "Fn::GetAtt references undefined resource
  // MonitorStateTable...", a parent resource that exists; so the update deploys what exists.)
  await cdk(m, [...deployArgs, '--force', '--no-previous-parameters', '--app', assembly]);
  assert.equal((await functionNames(m)).length, 2, 'the functions are still there');
  assert.equal((await stackNames(m)).length, 1 + 2 + 1, 'and the nested stacks');
  assert.deepEqual(
    Object.keys(JSON.parse(readFileSync(outputsFile, 'utf8'))[DEFAULT_STACK_NAME]).sort(),
    [...OUTPUTS].sort(),
    'the outputs again',
  );

  await cdk(m, ['destroy', '--force', '--app', assembly]);
  assert.deepEqual(await functionNames(m), [], 'destroy removed the functions');
  assert.deepEqual(await stackNames(m), ['CDKToolkit'], 'and every stack but the bootstrap one');
});
