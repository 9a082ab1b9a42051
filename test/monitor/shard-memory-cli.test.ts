/**
 * Issue 10, item 3, end to end through the CLI: a Rekor v1 rotation A → B is followed and A's
 * last verified head is remembered in the state file; A listed as active again over another,
 * shorter history is misbehaviour (exit 1), and so is a retired shard listed with a rewritten
 * root; the honest log checks clean right after each, and nothing forged is ever stored.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { AdHocCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

describe('Rekor v1 shard memory through the CLI', () => {
  let log: TestLog;
  let cli: AdHocCli;
  let shardA: string;
  const storedHead = async () => JSON.parse(await readFile(cli.stateFile, 'utf8')).logs.test.head;

  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', initialSize: 20 });
    cli = await AdHocCli.create({ type: 'rekor-v1', url: log.url, keyText: log.publicKeyPem });
    await cli.expect('initialized', 0);
    shardA = log.treeId;
  });
  after(() => log.close());

  it('follows the rotation A → B and remembers A’s final head', async () => {
    log.append(5); // A ends at 25
    log.rotateShard();
    log.append(3);
    const r = await cli.expect('verified', 0);
    assert.deepEqual(r.shardRotation, { from: shardA, to: log.treeId, finalSize: '25' });
    const head = await storedHead();
    assert.equal(head.shard, log.treeId);
    assert.deepEqual(
      head.retiredShards.map((s: { shard: string; size: string }) => [s.shard, s.size]),
      [[shardA, '25']],
    );
    log.append(2);
    await cli.expect('verified', 0);
  });

  it('A listed as active again over another, shorter history: exit 1, nothing stored; then clean', async () => {
    const before = await storedHead();
    log.reactivateRetiredShard(12);
    const r = await cli.run();
    assert.equal(r.code, 1, r.results[0]?.message);
    const result = r.results[0];
    assert.ok(result?.status === 'rollback' || result?.status === 'fork', result?.status);
    assert.equal(result?.previous?.shard, shardA, 'judged against the remembered head of A');
    assert.equal(result?.previous?.size, '25');
    assert.equal(result?.current?.size, '12');
    assert.ok(result?.evidence?.previous && result.evidence.current);
    assert.deepEqual(await storedHead(), before, 'the forged head of A was not stored');
    log.reset();
    await cli.expect('unchanged', 0);
  });

  it('A listed again at its final size over a rewritten history (active again): fork', async () => {
    log.reactivateRetiredShard(25);
    const r = await cli.expect('fork', 1);
    assert.equal(r.previous?.shard, shardA);
    log.reset();
    await cli.expect('unchanged', 0);
  });

  it('a retired shard listed with a rewritten root: exit 1; then clean', async () => {
    const before = await storedHead();
    log.rewriteRetiredShard();
    const r = await cli.expect('fork', 1);
    assert.equal(r.previous?.shard, shardA);
    assert.equal(r.current?.shard, shardA);
    assert.notEqual(r.previous?.root, r.current?.root);
    assert.deepEqual(await storedHead(), before);
    log.reset();
    log.append(1);
    await cli.expect('verified', 0);
  });

  it('a tampered remembered head is refused (monitor-error), never trusted', async () => {
    const text = await readFile(cli.stateFile, 'utf8');
    const state = JSON.parse(text);
    state.logs.test.head.retiredShards[0].size = '24';
    await writeFile(cli.stateFile, JSON.stringify(state));
    const r = await cli.expect('monitor-error', 2);
    assert.equal(r.errorCode, 'state/corrupt');
    await writeFile(cli.stateFile, text);
    await cli.expect('unchanged', 0);
  });
});

describe('Rekor v1 shard memory from the first check', () => {
  it('retired shards listed when the monitor starts are remembered; one listed later with a rewritten root: exit 1', async () => {
    const log = await startTestLog({ type: 'rekor-v1', initialSize: 9 });
    try {
      const retiredShard = log.treeId;
      log.rotateShard();
      log.append(4);
      const cli = await AdHocCli.create({ type: 'rekor-v1', url: log.url, keyText: log.publicKeyPem });
      await cli.expect('initialized', 0);
      const head = JSON.parse(await readFile(cli.stateFile, 'utf8')).logs.test.head;
      assert.deepEqual(
        head.retiredShards.map((s: { shard: string; size: string }) => [s.shard, s.size]),
        [[retiredShard, '9']],
      );
      log.rewriteRetiredShard();
      const r = await cli.expect('fork', 1);
      assert.equal(r.previous?.shard, retiredShard);
      log.reset();
      log.append(1);
      await cli.expect('verified', 0);
    } finally {
      await log.close();
    }
  });
});
