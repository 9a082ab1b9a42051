/**
 * Issue 8, part 1, end to end through the CLI: a Rekor v1 log whose signer name is not its URL's
 * host, with no origin configured. The signature line is found by the key hint and verified with
 * the pinned key whatever the name; a host change on a consistent tree is verified and named in
 * the result; every lie is still caught; a configured origin is enforced exactly.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRecordedRekor } from '../support/recorded-rekor.ts';
import { AdHocCli, expectForkCaught, expectRollbackCaught, runCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

const POD = 'rekor-server-5d8f7c9b4-qx2lm';

describe('rekor-v1 signing as rekor.local, served at 127.0.0.1, no origin configured', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({
      type: 'rekor-v1',
      initialSize: 6,
      origin: 'rekor.local - 3904496407287907110',
    });
  });
  after(() => log.close());
  const cliFor = () => AdHocCli.create({ type: 'rekor-v1', url: log.url, keyText: log.publicKeyPem });

  it('initialized, then verified on growth', async () => {
    log.reset();
    const cli = await cliFor();
    const first = await cli.expect('initialized', 0);
    assert.equal(first.current?.shard, '3904496407287907110');
    log.append(3);
    await cli.expect('verified', 0);
    await cli.expect('unchanged', 0);
  });

  it('still catches a fork, a rollback, a bad proof and a bad signature', async () => {
    log.reset();
    const cli = await cliFor();
    await cli.expect('initialized', 0);
    await expectForkCaught(cli, log);
    await expectRollbackCaught(cli, log, 4, 2);
    log.append(2);
    log.badProof('flip');
    await cli.expect('inconsistent', 1);
    log.reset();
    await cli.expect('verified', 0);
    log.badSignature();
    await cli.expect('bad-signature', 1);
    log.reset();
    log.badSignature({ keyHint: 'signer' });
    const other = await cli.expect('bad-signature', 1);
    assert.match(other.message ?? '', /\(any name\)\+/);
    log.reset();
  });

  it('the signer becomes a pod name (same key and tree): verified, exit 0, the rename in the result; a fork after it is caught', async () => {
    log.reset();
    log.renameSigner('rekor.local');
    const cli = await cliFor();
    await cli.expect('initialized', 0);
    log.renameSigner(POD);
    log.append(2);
    const r = await cli.expect('verified', 0);
    assert.deepEqual(r.originChanged, {
      from: 'rekor.local - 3904496407287907110',
      to: `${POD} - 3904496407287907110`,
    });
    assert.match(r.message ?? '', new RegExp(`${POD}.*rekor\\.local`));
    // The new name is kept: the next check is clean and names no change.
    const again = await cli.expect('unchanged', 0);
    assert.equal(again.originChanged, undefined);
    // A restart with no new entries: unchanged, the rename named, the new head stored.
    log.renameSigner('rekor-server-5d8f7c9b4-zz9aa');
    const same = await cli.expect('unchanged', 0);
    assert.equal(same.originChanged?.to, 'rekor-server-5d8f7c9b4-zz9aa - 3904496407287907110');
    assert.equal((await cli.expect('unchanged', 0)).originChanged, undefined);
    // A fork after the rename.
    log.fork();
    const fork = await cli.expect('fork', 1);
    assert.ok(fork.evidence?.previous && fork.evidence.current);
    log.reset();
    log.renameSigner('rekor.local');
  });

  it('a head padded with 90 unsigned 5 KB signature lines is stored with its verified line only', async () => {
    log.reset();
    log.padSignatures(90, 5000);
    const cli = await cliFor();
    await cli.expect('initialized', 0);
    const head = JSON.parse(await readFile(cli.stateFile, 'utf8')).logs.test.head;
    assert.ok(head.signed.length < 1000, `stored ${head.signed.length} characters`);
    log.append(2);
    await cli.expect('verified', 0);
    log.reset();
    await cli.expect('unchanged', 0);
  });

  it('a head on a tree ID that is neither the active shard nor a known inactive one is refused', async () => {
    log.reset();
    const cli = await cliFor();
    await cli.expect('initialized', 0);
    log.rotateShard();
    log.dropInactiveShard();
    const r = await cli.expect('invalid-response', 2);
    assert.equal(r.errorCode, 'response/shard-missing');
  });

  it('with origin configured, it is enforced exactly: a renamed signer is bad-signature', async () => {
    log.reset();
    const cli = await AdHocCli.create({
      type: 'rekor-v1',
      url: log.url,
      keyText: log.publicKeyPem,
      origin: 'rekor.local',
    });
    await cli.expect('initialized', 0);
    log.renameSigner(POD);
    const r = await cli.expect('bad-signature', 1);
    assert.match(r.message ?? '', /rekor\.local/);
    log.renameSigner('rekor.local');
  });

  it('a trustedHead signed under the old name proves the renamed log (config file)', async () => {
    log.reset();
    log.renameSigner('rekor.local');
    const trustedHead = log.signedHead();
    log.append(2);
    log.renameSigner(POD);
    const cli = await cliFor();
    const config = join(cli.dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        logs: [{ name: 'r', type: 'rekor-v1', url: log.url, publicKey: log.publicKeyPem, trustedHead }],
      }),
    );
    const run = await runCli(['check', '--config', config, '--state-dir', join(cli.dir, 'state'), '--json']);
    assert.equal(run.results[0]?.status, 'initialized', run.results[0]?.message ?? run.err);
    assert.equal(run.code, 0);
    log.renameSigner('rekor.local');
  });
});

describe('the real production rekor.sigstore.dev checkpoints and proofs, served at 127.0.0.1', () => {
  it('initialized, then verified twice over real consistency proofs (no origin configured)', async () => {
    const rekor = await startRecordedRekor();
    try {
      const cli = await AdHocCli.create({ type: 'rekor-v1', url: rekor.url, keyText: rekor.publicKeyPem });
      const first = await cli.expect('initialized', 0);
      assert.equal(first.current?.shard, '2605736670972794746');
      rekor.advance();
      const second = await cli.expect('verified', 0);
      assert.equal(second.current?.size, String(rekor.sizes[rekor.current]));
      rekor.advance();
      await cli.expect('verified', 0);
    } finally {
      await rekor.close();
    }
  });
});
