/**
 * `npm run local:invoke` (scripts/local-invoke.ts) end to end: it starts moto itself, runs the
 * handler against the in-repo test log made to fork, prints the results, the SNS message read
 * back from SQS and the CloudWatch metrics, and stops moto before it exits.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';

it('local:invoke --test-log --lie fork shows the results, the fork alert and the metrics', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/local-invoke.ts', '--test-log', '--lie', 'fork', '--runs', '2'],
    { cwd: new URL('../../', import.meta.url), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  // Bounded: a hung run is killed, and the assertions below then fail on its exit signal.
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  assert.equal(signal, null, `killed by ${signal}:\n${out}`);
  assert.equal(code, 0, out);
  assert.match(out, /=== invocation 1: .*\n\{[\s\S]*?"status": "initialized"/);
  assert.match(out, /=== invocation 2: .*\n\{[\s\S]*?"status": "fork"/);
  assert.match(
    out,
    /=== SNS messages: 1\n--- Subject: \[tlog-monitor\] test-log: fork\n {4}Attributes: .*severity=critical/,
  );
  assert.match(
    out,
    /Evidence stored at DynamoDB table tlog-monitor-state, item pk=LOG#test-log sk=EVIDENCE#/,
  );
  for (const metric of ['CheckSucceeded', 'MisbehaviourDetected', 'TreeSize', 'CheckDuration']) {
    assert.match(out, new RegExp(`^${metric} +\\d`, 'm'), metric);
  }
});
