/**
 * The Rekor v1 log info answer (issue 10, items 9 and 11): what the log sent is escaped in
 * messages; the inactive-shard list is capped (invalid-response beyond it); listed shards are
 * verified only when a check needs them, so a long list costs no signature verifications.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../lib/bytes.ts';
import type { HttpClient } from '../../lib/http/ports.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { MAX_INACTIVE_SHARDS, rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { statusForError } from '../../lib/monitor/classify-error.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { generateP256Signer, rekorCheckpointBody, sha256, signNote } from '../support/test-log-signing.ts';

const HOST = 'rekor.test.local';
const signer = generateP256Signer();
const clock = { now: () => Date.now(), sleep: async () => {} };

function tree(id: string, size: number) {
  const root = sha256(utf8(`tree ${id} size ${size}`));
  const signedTreeHead = signNote(
    rekorCheckpointBody(`${HOST} - ${id}`, size, root, BigInt(Date.now()) * 1_000_000n),
    HOST,
    signer,
  );
  return { rootHash: toHex(root), treeSize: size, signedTreeHead, treeID: id };
}

function serving(body: unknown): HttpClient {
  const bytes = utf8(JSON.stringify(body));
  return { get: async () => ({ status: 200, body: bytes, headers: {} }) };
}

const client = (http: HttpClient) =>
  rekorV1Client({ url: 'https://rekor.test', key: parsePemPublicKey(signer.publicKeyPem), http });

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a failure');
}

const ESC = '\u001b';
const hasControl = (s: string) => [...s].some((ch) => (ch.codePointAt(0) as number) < 0x20);

describe('rekor-v1 log info', () => {
  it('escapes a treeID and rootHash with terminal escape sequences in its messages', async () => {
    const head = tree('42', 7);
    const e = await failure(
      client(
        serving({ ...head, treeID: `${ESC}]0;owned${ESC}\\`, rootHash: `${ESC}[2J${'0'.repeat(60)}` }),
      ).fetchView(),
    );
    assert.equal(statusForError(e), 'invalid-response');
    assert.match(e.message, /treeID .*owned/);
    assert.ok(!hasControl(e.message), `raw control characters in: ${JSON.stringify(e.message)}`);
  });

  it(`refuses more than ${MAX_INACTIVE_SHARDS} inactive shards as invalid-response`, async () => {
    const shards = Array.from({ length: MAX_INACTIVE_SHARDS + 1 }, (_, i) => ({
      ...tree(String(i), 3),
      signedTreeHead: 'not verified',
    }));
    const e = await failure(client(serving({ ...tree('9999', 7), inactiveShards: shards })).fetchView());
    assert.equal(statusForError(e), 'invalid-response');
    assert.match(
      e.message,
      new RegExp(`${MAX_INACTIVE_SHARDS + 1} inactive shards; at most ${MAX_INACTIVE_SHARDS}`),
    );
  });

  it('verifies a listed shard only when a check needs it: unrelated unverifiable shards cost nothing', async () => {
    // Listed shards whose heads are not even signed notes: only a check on one of them would look.
    const junk = Array.from({ length: MAX_INACTIVE_SHARDS - 1 }, (_, i) => ({
      ...tree(String(i), 3),
      signedTreeHead: `junk ${i}`,
    }));
    const http = serving({ ...tree('9999', 7), inactiveShards: junk });
    const store = new MemoryStateStore();
    assert.equal((await checkLog('r', { client: client(http), store, clock })).status, 'initialized');
    assert.equal((await checkLog('r', { client: client(http), store, clock })).status, 'unchanged');
  });

  it('a needed shard that does not verify is still the finding (the stored shard’s final head)', async () => {
    const store = new MemoryStateStore();
    const a = tree('1', 5);
    assert.equal((await checkLog('r', { client: client(serving(a)), store, clock })).status, 'initialized');
    const rotated = {
      ...tree('2', 1),
      inactiveShards: [{ ...tree('1', 6), signedTreeHead: a.signedTreeHead.replace(/\n5\n/, '\n6\n') }],
    };
    const r = await checkLog('r', { client: client(serving(rotated)), store, clock });
    assert.equal(r.status, 'bad-signature', r.message);
    assert.equal(store.heads.get('r')?.head.shard, '1');
  });
});
