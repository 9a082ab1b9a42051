/**
 * Issue 10, item 5: a validly signed head of size 0 whose root is not SHA-256("") (RFC 9162
 * §2.1.1) is impossible. Every log type refuses it as invalid-response before anything is
 * stored (today's bug: it was stored on first use, and every honest growth then read as
 * inconsistent). The honest empty head is still accepted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../lib/bytes.ts';
import type { HttpClient } from '../../lib/http/ports.ts';
import { parsePemPublicKey } from '../../lib/keys/public-key.ts';
import { ctClient } from '../../lib/logs/ct.ts';
import type { LogClient } from '../../lib/logs/log-client.ts';
import { rekorV1Client } from '../../lib/logs/rekor-v1.ts';
import { tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import { EMPTY_ROOT } from '../../lib/merkle/index.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import {
  generateP256Signer,
  rekorCheckpointBody,
  sha256,
  signNote,
  signSth,
} from '../support/test-log-signing.ts';

const signer = generateP256Signer();
const key = parsePemPublicKey(signer.publicKeyPem);
const clock = { now: () => Date.now(), sleep: async () => {} };
const WRONG = sha256(utf8('not the empty tree'));

const answering = (text: string): HttpClient => ({
  get: async () => ({ status: 200, body: utf8(text), headers: {} }),
});

const clients: Record<string, (root: Uint8Array) => LogClient> = {
  'rekor-v1': (root) => {
    const signed = signNote(rekorCheckpointBody('rekor.test - 7', 0, root, 1n), 'rekor.test', signer);
    const info = { rootHash: toHex(root), treeSize: 0, signedTreeHead: signed, treeID: '7' };
    return rekorV1Client({ url: 'https://rekor.test', key, http: answering(JSON.stringify(info)) });
  },
  ct: (root) =>
    ctClient({
      url: 'https://ct.test',
      key,
      http: answering(JSON.stringify(signSth(signer, Date.now(), 0, root))),
    }),
  tiles: (root) => {
    const origin = 'tiles.test/log';
    const signed = signNote(`${origin}\n0\n${Buffer.from(root).toString('base64')}\n`, origin, signer);
    return tileLogClient({
      type: 'tiles',
      url: 'https://tiles.test',
      origin,
      verifiers: [tileLogVerifier('tiles', signer.publicKeyPem, origin)],
      http: answering(signed),
    });
  },
};

describe('a signed head of size 0', () => {
  for (const [type, make] of Object.entries(clients)) {
    it(`${type}: a root other than SHA-256("") is invalid-response, and nothing is stored`, async () => {
      const store = new MemoryStateStore();
      const r = await checkLog('log', { client: make(WRONG), store, clock });
      assert.equal(r.status, 'invalid-response', r.message);
      assert.equal(r.errorCode, 'response/mismatch');
      assert.match(r.message ?? '', /size 0 has root .* SHA-256\(""\)/);
      assert.equal(store.heads.size, 0);
    });

    it(`${type}: the empty tree's root is accepted`, async () => {
      const store = new MemoryStateStore();
      const r = await checkLog('log', { client: make(EMPTY_ROOT), store, clock });
      assert.equal(r.status, 'initialized', r.message);
    });
  }
});
