/**
 * The Rekor v1 and CT clients against hostile answers: the in-repo test log signs real heads,
 * and a wrapping HttpClient rewrites its JSON (wrong types, nulls, huge numbers, fractions,
 * fields that contradict the signed head, garbage). Every such answer must end in one specific
 * status (never a crash, never a verified head): invalid-response for what does not parse or
 * contradicts itself, bad-signature for what is not signed by the pinned key.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { HttpClient } from '../../lib/http/ports.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { ctClient } from '../../lib/logs/ct.ts';
import type { LogClient } from '../../lib/logs/log-client.ts';
import { rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import type { CheckStatus } from '../../lib/monitor/check-result.ts';
import { statusForError } from '../../lib/monitor/classify-error.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';

type Json = Record<string, unknown>;
type Rewrite = (path: string, body: string) => string;

/** An HttpClient over the real bounded client that rewrites each answer's body text. */
function rewriting(inner: HttpClient, rewrite: () => Rewrite | undefined): HttpClient {
  return {
    async get(url, options) {
      const res = await inner.get(url, options);
      const r = rewrite();
      if (r === undefined) return res;
      const text = r(new URL(url).pathname, Buffer.from(res.body).toString('utf8'));
      return { ...res, body: new TextEncoder().encode(text) };
    },
  };
}

/** Rewrites the parsed JSON of answers whose path ends in `suffix`; raw text for the others. */
const onJson =
  (suffix: string, f: (o: Json) => unknown): Rewrite =>
  (path, body) =>
    path.endsWith(suffix) ? JSON.stringify(f(JSON.parse(body) as Json)) : body;
/** Replaces a field's JSON text verbatim (for numbers JSON.stringify cannot write, like 2^70). */
const rawField =
  (suffix: string, field: string, text: string): Rewrite =>
  (path, body) =>
    path.endsWith(suffix) ? body.replace(new RegExp(`"${field}":[^,}]*`), `"${field}":${text}`) : body;

async function statusOf(p: Promise<unknown>): Promise<CheckStatus | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return statusForError(e);
  }
}

for (const type of ['rekor-v1', 'ct'] as const) {
  describe(`${type} client against hostile answers`, () => {
    let log: TestLog;
    let client: LogClient;
    let rewrite: Rewrite | undefined;
    before(async () => {
      log = await startTestLog({ type, initialSize: 9 });
      const http = createHttpClient({
        fetch: globalThis.fetch,
        clock: { now: () => Date.now(), sleep: async () => {} },
        retries: 0,
      });
      const options = {
        url: log.url,
        key: parsePemPublicKey(log.publicKeyPem),
        http: rewriting(http, () => rewrite),
      };
      client =
        type === 'rekor-v1' ? rekorV1Client({ ...options, signerName: log.keyName }) : ctClient(options);
    });
    after(() => log.close());

    const headPath = type === 'rekor-v1' ? '/api/v1/log' : '/ct/v1/get-sth';
    const proofPath = type === 'rekor-v1' ? '/api/v1/log/proof' : '/ct/v1/get-sth-consistency';
    const sizeField = type === 'rekor-v1' ? 'treeSize' : 'tree_size';

    it('verifies the honest answers (the wrapper itself changes nothing)', async () => {
      rewrite = undefined;
      log.reset();
      const old = (await client.fetchView()).head;
      log.append(7);
      const now = (await client.fetchView()).head;
      assert.equal(now.size, 16n);
      const proof = await client.fetchConsistencyProof(old, now);
      assert.ok(proof.hashes.length > 0);
      assert.deepEqual(client.verifyStoredHead(now.signed).rootHash, now.rootHash);
    });

    const headCases: [string, Rewrite, CheckStatus][] = [
      ['not JSON', () => '<html>busy</html>', 'invalid-response'],
      ['JSON null', () => 'null', 'invalid-response'],
      ['an array', () => '[]', 'invalid-response'],
      ['deeply nested', () => '['.repeat(100_000), 'invalid-response'],
      [
        `${sizeField} as a string`,
        onJson(headPath, (o) => ({ ...o, [sizeField]: String(o[sizeField]) })),
        'invalid-response',
      ],
      [`${sizeField} null`, onJson(headPath, (o) => ({ ...o, [sizeField]: null })), 'invalid-response'],
      [`${sizeField} negative`, onJson(headPath, (o) => ({ ...o, [sizeField]: -1 })), 'invalid-response'],
      [`${sizeField} 2^70`, rawField(headPath, sizeField, (1n << 70n).toString()), 'invalid-response'],
      [`${sizeField} with a fraction`, rawField(headPath, sizeField, '9.0'), 'invalid-response'],
      [`${sizeField} 1e400`, rawField(headPath, sizeField, '1e400'), 'invalid-response'],
      [
        `${sizeField} missing`,
        onJson(headPath, (o) => ({ ...o, [sizeField]: undefined })),
        'invalid-response',
      ],
      [
        'a duplicated key',
        (p, b) => (p.endsWith(headPath) ? b.replace('{', `{"${sizeField}":9,`) : b),
        'invalid-response',
      ],
    ];
    if (type === 'rekor-v1') {
      headCases.push(
        [
          'treeSize that disagrees with the signed head',
          onJson(headPath, (o) => ({ ...o, treeSize: 8 })),
          'invalid-response',
        ],
        [
          'rootHash that disagrees with the signed head',
          onJson(headPath, (o) => ({ ...o, rootHash: '00'.repeat(32) })),
          'invalid-response',
        ],
        [
          'treeID that disagrees with the signed head',
          onJson(headPath, (o) => ({ ...o, treeID: '42' })),
          'invalid-response',
        ],
        [
          'signedTreeHead as a number',
          onJson(headPath, (o) => ({ ...o, signedTreeHead: 7 })),
          'invalid-response',
        ],
        [
          'signedTreeHead null',
          onJson(headPath, (o) => ({ ...o, signedTreeHead: null })),
          'invalid-response',
        ],
        [
          'inactiveShards as an object',
          onJson(headPath, (o) => ({ ...o, inactiveShards: {} })),
          'invalid-response',
        ],
        [
          'an inactive shard that is null',
          onJson(headPath, (o) => ({ ...o, inactiveShards: [null] })),
          'invalid-response',
        ],
        [
          'the active shard also listed as inactive',
          onJson(headPath, (o) => ({ ...o, inactiveShards: [{ ...o, inactiveShards: undefined }] })),
          'invalid-response',
        ],
        [
          'a signed head whose size was edited',
          onJson(headPath, (o) => {
            const size = Number(o.treeSize);
            const edited = String(o.signedTreeHead).replace(`\n${size}\n`, `\n${size + 1}\n`);
            assert.notEqual(edited, o.signedTreeHead);
            return { ...o, treeSize: size + 1, signedTreeHead: edited };
          }),
          'bad-signature',
        ],
      );
    } else {
      headCases.push(
        [
          'a tree_size that is not the signed one',
          onJson(headPath, (o) => ({ ...o, tree_size: 10 })),
          'bad-signature',
        ],
        [
          'a root that is not the signed one',
          onJson(headPath, (o) => ({ ...o, sha256_root_hash: Buffer.alloc(32).toString('base64') })),
          'bad-signature',
        ],
        [
          'a root of the wrong length',
          onJson(headPath, (o) => ({ ...o, sha256_root_hash: 'AAAA' })),
          'invalid-response',
        ],
        [
          'tree_head_signature null',
          onJson(headPath, (o) => ({ ...o, tree_head_signature: null })),
          'invalid-response',
        ],
        ['a timestamp of 2^64', rawField(headPath, 'timestamp', (1n << 64n).toString()), 'invalid-response'],
      );
    }
    for (const [what, r, status] of headCases) {
      it(`head answer with ${what}: ${status}`, async () => {
        log.reset();
        rewrite = r;
        assert.equal(await statusOf(client.fetchView()), status);
        rewrite = undefined;
      });
    }

    const hashesField = type === 'rekor-v1' ? 'hashes' : 'consistency';
    const hashOf = (n: number) =>
      type === 'rekor-v1' ? 'ab'.repeat(n) : Buffer.alloc(n, 0xab).toString('base64');
    const proofCases: [string, Rewrite][] = [
      ['not JSON', (p, b) => (p.endsWith(proofPath) ? 'garbage' : b)],
      [`${hashesField} as a string`, onJson(proofPath, (o) => ({ ...o, [hashesField]: 'x' }))],
      [`${hashesField} holding a number`, onJson(proofPath, (o) => ({ ...o, [hashesField]: [1] }))],
      [`${hashesField} holding null`, onJson(proofPath, (o) => ({ ...o, [hashesField]: [null] }))],
      [
        `${hashesField} holding a 31-byte hash`,
        onJson(proofPath, (o) => ({ ...o, [hashesField]: [hashOf(31)] })),
      ],
      [
        `${hashesField} holding a 33-byte hash`,
        onJson(proofPath, (o) => ({ ...o, [hashesField]: [hashOf(33)] })),
      ],
      [
        `${hashesField} with 129 hashes`,
        onJson(proofPath, (o) => ({ ...o, [hashesField]: Array(129).fill(hashOf(32)) })),
      ],
    ];
    for (const [what, r] of proofCases) {
      it(`proof answer with ${what}: invalid-response`, async () => {
        log.reset();
        rewrite = undefined;
        const old = (await client.fetchView()).head;
        log.append(5);
        const now = (await client.fetchView()).head;
        rewrite = r;
        assert.equal(await statusOf(client.fetchConsistencyProof(old, now)), 'invalid-response');
        rewrite = undefined;
      });
    }
  });
}

describe('rekor-v1 client: the shard is taken from the signed origin only', () => {
  it('refuses a checkpoint whose origin lacks " - <treeID>" as bad-signature', async () => {
    // The test log signs this verbatim origin, which is also its signature name.
    const log = await startTestLog({ type: 'rekor-v1', origin: 'rekor.bare.test', initialSize: 3 });
    try {
      const http = createHttpClient({
        fetch: globalThis.fetch,
        clock: { now: () => Date.now(), sleep: async () => {} },
      });
      const client = rekorV1Client({
        url: log.url,
        key: parsePemPublicKey(log.publicKeyPem),
        http,
        signerName: 'rekor.bare.test',
      });
      assert.equal(await statusOf(client.fetchView()), 'bad-signature');
    } finally {
      await log.close();
    }
  });
});

describe('rekor-v1 and ct clients: pinned key type', () => {
  it('refuses a non-P-256 key when the client is built (key/unsupported: monitor-error)', () => {
    const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const key = parsePemPublicKey(pem);
    const http: HttpClient = { get: () => Promise.reject(new Error('no request expected')) };
    for (const build of [
      () => rekorV1Client({ url: 'https://r.test', key, http }),
      () => ctClient({ url: 'https://c.test', key, http }),
    ]) {
      assert.throws(
        build,
        (e: unknown) => statusForError(e) === 'monitor-error' && /P-256.*ed25519/.test((e as Error).message),
      );
    }
  });
});

describe('rekor-v1 client: inactive shards signed by another key', () => {
  it('keeps them aside (never trusted) and still verifies the active head', async () => {
    const log = await startTestLog({ type: 'rekor-v1', initialSize: 4 });
    try {
      const inner = createHttpClient({
        fetch: globalThis.fetch,
        clock: { now: () => Date.now(), sleep: async () => {} },
      });
      // A retired shard "77" whose head is not signed by the pinned key (its signature is over other text).
      const http = rewriting(inner, () =>
        onJson('/api/v1/log', (o) => {
          const signed = String(o.signedTreeHead)
            .replace(/ - \d+\n/, ' - 77\n')
            .replace(/\n4\n/, '\n3\n');
          return { ...o, inactiveShards: [{ ...o, treeID: '77', treeSize: 3, signedTreeHead: signed }] };
        }),
      );
      const client = rekorV1Client({
        url: log.url,
        key: parsePemPublicKey(log.publicKeyPem),
        http,
        signerName: log.keyName,
      });
      const view = await client.fetchView();
      assert.equal(view.head.size, 4n);
      const listed = view.retiredShards?.find((s) => s.shard === '77');
      assert.ok(listed, 'listed, with its unsigned size');
      assert.equal(listed.size, 3n);
      let error: unknown;
      try {
        listed.verify();
      } catch (e) {
        error = e;
      }
      assert.ok(error, 'its final head is verified only on demand, and does not verify');
      assert.equal(statusForError(error), 'bad-signature');
    } finally {
      await log.close();
    }
  });
});
