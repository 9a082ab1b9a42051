/**
 * Checks the test logs' switches for signed timestamps, one-off heads, signer renames, padded
 * notes and re-activated or rewritten Rekor shards, on the raw answers (independently of lib/):
 * the served JSON and note text, and node:crypto signature checks against the served PEM.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';
import { startTileLog, type TileLog } from '../support/tile-log-server.ts';

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

/** Body and signature lines of a signed note. */
function splitNote(note: string): { body: string; lines: string[] } {
  const sep = note.lastIndexOf('\n\n');
  return { body: note.slice(0, sep + 1), lines: note.slice(sep + 2, -1).split('\n') };
}

function rekorSignatureVerifies(log: TestLog, note: string): boolean {
  const { body, lines } = splitNote(note);
  const blob = Buffer.from((lines[0] as string).split(' ')[2] as string, 'base64');
  return verify('sha256', Buffer.from(body), createPublicKey(log.publicKeyPem), blob.subarray(4));
}

describe('test log switches (rekor-v1)', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', initialSize: 6 });
  });
  after(() => log.close());
  const info = async () => (await getJson(`${log.url}/api/v1/log`)).json;

  it('signAt(): the Timestamp line carries the given time in ns, until reset()', async () => {
    log.signAt(1_000);
    assert.match(String((await info()).signedTreeHead), /\nTimestamp: 1000000000\n/);
    log.reset();
    assert.doesNotMatch(String((await info()).signedTreeHead), /\nTimestamp: 1000000000\n/);
  });

  it('serveForkedHeadOnce(): one smaller head over another root, validly signed; then honest', async () => {
    const honestRoot = Buffer.from(log.rootHash(4)).toString('hex');
    log.serveForkedHeadOnce(4);
    const once = await info();
    assert.equal(once.treeSize, 4);
    assert.notEqual(once.rootHash, honestRoot);
    assert.ok(rekorSignatureVerifies(log, String(once.signedTreeHead)));
    assert.equal((await info()).treeSize, 6);
  });

  it('renameSigner(): origin and signature name change, the key stays', async () => {
    log.renameSigner('pod-a');
    const note = String((await info()).signedTreeHead);
    assert.match(note, new RegExp(`^pod-a - ${log.treeId}\\n`));
    assert.match(splitNote(note).lines[0] ?? '', /^\u2014 pod-a /);
    assert.ok(rekorSignatureVerifies(log, note));
    log.renameSigner('rekor.test.local');
  });

  it('padSignatures(): extra unsigned lines after the real one', async () => {
    log.padSignatures(3, 100);
    const { lines } = splitNote(String((await info()).signedTreeHead));
    assert.equal(lines.length, 4);
    assert.match(lines[3] ?? '', /^\u2014 pad-2\.test\.local /);
    log.reset();
  });

  it('reactivateRetiredShard() and rewriteRetiredShard(): the retired tree comes back or is listed rewritten', async () => {
    const first = log.treeId;
    const finalRoot = Buffer.from(log.rootHash()).toString('hex');
    log.rotateShard();
    log.reactivateRetiredShard(3);
    const back = await info();
    assert.equal(back.treeID, first);
    assert.equal(back.treeSize, 3);
    assert.deepEqual(
      (back.inactiveShards as { treeID: string }[]).map((s) => s.treeID),
      [log.treeId],
    );
    const proof = await getJson(`${log.url}/api/v1/log/proof?firstSize=3&lastSize=6&treeID=${first}`);
    assert.equal(proof.status, 400, 'the re-activated history has only 3 leaves');
    log.reset();
    log.rewriteRetiredShard();
    const listed = (await info()).inactiveShards as { treeID: string; treeSize: number; rootHash: string }[];
    assert.equal(listed[0]?.treeID, first);
    assert.equal(listed[0]?.treeSize, 6);
    assert.notEqual(listed[0]?.rootHash, finalRoot);
    log.reset();
    assert.equal(((await info()).inactiveShards as { rootHash: string }[])[0]?.rootHash, finalRoot);
  });
});

describe('test log switches (ct)', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'ct', initialSize: 5 });
  });
  after(() => log.close());

  it('signAt() sets the STH timestamp; serveForkedHeadOnce() serves one smaller STH', async () => {
    log.signAt(42);
    assert.equal((await getJson(`${log.url}/ct/v1/get-sth`)).json.timestamp, 42);
    log.reset();
    log.serveForkedHeadOnce(3);
    const once = (await getJson(`${log.url}/ct/v1/get-sth`)).json;
    assert.equal(once.tree_size, 3);
    assert.notEqual(once.sha256_root_hash, Buffer.from(log.rootHash(3)).toString('base64'));
    assert.equal((await getJson(`${log.url}/ct/v1/get-sth`)).json.tree_size, 5);
  });
});

describe('tile log switches (static-ct)', () => {
  let log: TileLog;
  before(async () => {
    log = await startTileLog({ type: 'static-ct', initialSize: 10 });
  });
  after(() => log.close());
  const checkpoint = async () => (await fetch(`${log.url}/checkpoint`)).text();
  /** The RFC6962NoteSignature timestamp (ms) of a static-ct checkpoint. */
  const timestampOf = (cp: string) => {
    const blob = Buffer.from((splitNote(cp).lines[0] as string).split(' ')[2] as string, 'base64');
    return blob.readBigUInt64BE(4);
  };

  it('signAt() sets the signature timestamp; serveOldHeadOnce() and serveForkedHeadOnce() serve one smaller checkpoint', async () => {
    log.signAt(7);
    assert.equal(timestampOf(await checkpoint()), 7n);
    log.reset();
    log.serveOldHeadOnce(6);
    const old = await checkpoint();
    assert.match(
      old,
      new RegExp(`\\n6\\n${Buffer.from(log.rootHash(6)).toString('base64').replace(/[+/]/g, '\\$&')}\\n`),
    );
    assert.ok(timestampOf(old) < BigInt(Date.now() - 1_800_000));
    log.serveForkedHeadOnce(6);
    const forked = await checkpoint();
    assert.match(forked, /\n6\n/);
    assert.ok(!forked.includes(Buffer.from(log.rootHash(6)).toString('base64')));
    assert.match(await checkpoint(), /\n10\n/);
  });
});
