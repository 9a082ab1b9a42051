/**
 * A log behind a private CA: an HTTPS test log on 127.0.0.1 whose certificate chains to a test
 * CA made here. With the CA in `tlsCaBundle` the CLI verifies it; without, the check is
 * `unreachable` and says which certificate problem it met.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mintTestCa, startHttpsFront } from '../support/test-ca.ts';
import { runCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

let log: TestLog;
let front: { url: string; close(): Promise<void> };
let caPem: string;
before(async () => {
  const ca = mintTestCa();
  caPem = ca.caPem;
  log = await startTestLog({ type: 'ct', initialSize: 12 });
  front = await startHttpsFront(ca, log.url);
});
after(async () => {
  await front.close();
  await log.close();
});

async function check(extra: Record<string, unknown>) {
  const dir = await mkdtemp(join(tmpdir(), 'tlog-ca-cli-'));
  const config = join(dir, 'config.json');
  const entry = { name: 'private-ct', type: 'ct', url: front.url, publicKey: log.publicKeyPem, ...extra };
  await writeFile(config, JSON.stringify({ logs: [entry] }));
  return runCli(['check', '--config', config, '--state-dir', join(dir, 'state'), '--json', '--timeout', '5']);
}

test('with tlsCaBundle the HTTPS log is checked and its head stored', async () => {
  const run = await check({ tlsCaBundle: caPem });
  assert.equal(run.code, 0, run.err);
  assert.equal(run.results[0]?.status, 'initialized');
});

test('without it the check is unreachable and names the certificate problem', async () => {
  const run = await check({});
  assert.equal(run.code, 2);
  const r = run.results[0];
  assert.equal(r?.status, 'unreachable');
  assert.equal(r?.errorCode, 'http/network');
  assert.match(
    r?.message ?? '',
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
  );
});

test('a bundle holding some other CA does not help', async () => {
  const other = mintTestCa();
  const run = await check({ tlsCaBundle: other.caPem });
  assert.equal(run.results[0]?.status, 'unreachable');
  assert.match(
    run.results[0]?.message ?? '',
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
  );
});

test('a tlsCaBundle that is not PEM certificates is a config error naming the field', async () => {
  const notPem = await check({ tlsCaBundle: 'my-ca.pem' });
  assert.equal(notPem.code, 2);
  assert.match(notPem.err, /\("private-ct"\)\.tlsCaBundle: must be PEM text/);
  // The first half of the certificate's base64 only: not a whole DER structure.
  const lines = caPem.trim().split('\n');
  const broken = [...lines.slice(0, Math.ceil(lines.length / 2)), lines[lines.length - 1]].join('\n');
  const bad = await check({ tlsCaBundle: `${caPem}\n${broken}` });
  assert.match(bad.err, /tlsCaBundle: certificate 2 of 2 does not parse/);
});
