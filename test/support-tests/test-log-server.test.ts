/**
 * Checks the in-repo test log itself, independently of lib/: signatures with node:crypto
 * `verify` against the served PEM, proofs against test/support/merkle-reference.ts and an
 * RFC 9162 §2.1.4.2 verifier written here, and every misbehaviour switch.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { referenceConsistencyProof, referenceRoot } from '../support/merkle-reference.ts';
import { HUGE_RESPONSE_BYTES, startTestLog, type TestLog } from '../support/test-log-server.ts';

// --- independent helpers -------------------------------------------------------------------

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const hashChildren = (l: Uint8Array, r: Uint8Array) => sha256(new Uint8Array([0x01, ...l, ...r]));
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** RFC 9162 §2.1.4.2, verbatim from the text. */
function verifyConsistency(
  first: number,
  second: number,
  proof: Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (first === second) return proof.length === 0 && eq(firstRoot, secondRoot);
  if (first === 0 || first > second || proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && eq(fr, firstRoot) && eq(sr, secondRoot);
}

interface ParsedCheckpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  timestamp: string;
  name: string;
  hint: Uint8Array;
  signatureValid: boolean;
}

function keyHintOf(pem: string): Uint8Array {
  return sha256(new Uint8Array(createPublicKey(pem).export({ type: 'spki', format: 'der' }))).slice(0, 4);
}

/** Parses a Rekor signed checkpoint and checks its one signature with node:crypto. */
function parseCheckpoint(note: string, pem: string): ParsedCheckpoint {
  const split = note.indexOf('\n\n');
  assert.ok(split > 0, 'note has a blank line before the signatures');
  const body = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2).split('\n');
  assert.equal(sigLines.at(-1), '', 'note ends with a newline');
  assert.equal(sigLines.length, 2, 'exactly one signature line');
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(sigLines[0] as string);
  assert.ok(m, `signature line: ${sigLines[0]}`);
  const blob = Buffer.from(m[2] as string, 'base64');
  const lines = body.split('\n');
  assert.equal(lines.length, 5, 'origin, size, root, Timestamp, then the final newline');
  assert.equal(lines[4], '');
  assert.match(lines[1] as string, /^(0|[1-9]\d*)$/);
  const ts = /^Timestamp: (\d+)$/.exec(lines[3] as string);
  assert.ok(ts, `timestamp line: ${lines[3]}`);
  const root = Buffer.from(lines[2] as string, 'base64');
  assert.equal(root.length, 32);
  return {
    origin: lines[0] as string,
    size: Number(lines[1]),
    root: new Uint8Array(root),
    timestamp: ts[1] as string,
    name: m[1] as string,
    hint: new Uint8Array(blob.subarray(0, 4)),
    signatureValid: verify('sha256', Buffer.from(body, 'utf8'), pem, blob.subarray(4)),
  };
}

interface Sth {
  tree_size: number;
  timestamp: number;
  sha256_root_hash: string;
  tree_head_signature: string;
}

/** RFC 6962 §3.5: DigitallySigned(sha256, ecdsa) over 0x00 0x01 ‖ u64 timestamp ‖ u64 size ‖ root. */
function sthSignatureValid(sth: Sth, pem: string): boolean {
  const ds = Buffer.from(sth.tree_head_signature, 'base64');
  assert.equal(ds[0], 4, 'hash algorithm sha256');
  assert.equal(ds[1], 3, 'signature algorithm ecdsa');
  assert.equal(ds.readUInt16BE(2), ds.length - 4, 'length prefix');
  const input = Buffer.alloc(50);
  input[0] = 0;
  input[1] = 1;
  input.writeBigUInt64BE(BigInt(sth.timestamp), 2);
  input.writeBigUInt64BE(BigInt(sth.tree_size), 10);
  const root = Buffer.from(sth.sha256_root_hash, 'base64');
  assert.equal(root.length, 32);
  root.copy(input, 18);
  return verify('sha256', input, pem, ds.subarray(4));
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as untyped data in these checks
async function getJson(url: string): Promise<{ status: number; json: any }> {
  const r = await fetch(url);
  const text = await r.text();
  return { status: r.status, json: JSON.parse(text) };
}

const fromHexList = (l: string[]) => l.map((h) => new Uint8Array(Buffer.from(h, 'hex')));
const fromB64List = (l: string[]) => l.map((h) => new Uint8Array(Buffer.from(h, 'base64')));

// --- Rekor v1 ------------------------------------------------------------------------------

describe('test log server: rekor-v1', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', initialSize: 13 });
  });
  after(() => log.close());

  const info = async () => {
    const { status, json } = await getJson(`${log.url}/api/v1/log`);
    assert.equal(status, 200);
    return json;
  };
  const proof = async (first: number, last: number, treeId?: string) =>
    getJson(
      `${log.url}/api/v1/log/proof?firstSize=${first}&lastSize=${last}${treeId ? `&treeID=${treeId}` : ''}`,
    );

  it('serves a log info whose checkpoint is validly signed and agrees with the JSON', async () => {
    const li = await info();
    assert.deepEqual(Object.keys(li).sort(), ['rootHash', 'signedTreeHead', 'treeID', 'treeSize']);
    assert.equal(li.treeID, '1000000000000000001');
    assert.equal(li.treeSize, 13);
    const cp = parseCheckpoint(li.signedTreeHead, log.publicKeyPem);
    assert.ok(cp.signatureValid);
    assert.equal(cp.origin, 'rekor.test.local - 1000000000000000001');
    assert.equal(cp.origin, log.origin);
    assert.equal(cp.name, 'rekor.test.local');
    assert.equal(cp.name, log.keyName);
    assert.deepEqual(cp.hint, keyHintOf(log.publicKeyPem));
    assert.equal(cp.size, 13);
    assert.equal(hex(cp.root), li.rootHash);
    assert.deepEqual(cp.root, referenceRoot(log.leafHashes()));
    assert.deepEqual(cp.root, log.rootHash());
    assert.match(li.rootHash, /^[0-9a-f]{64}$/);
  });

  it('serves a signed head that fails under a different key', async () => {
    const other = await startTestLog({ type: 'rekor-v1', initialSize: 1 });
    try {
      const cp = parseCheckpoint((await info()).signedTreeHead, other.publicKeyPem);
      assert.equal(cp.signatureValid, false);
    } finally {
      await other.close();
    }
  });

  it('serves consistency proofs that verify and match the reference', async () => {
    const before = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    log.append(22);
    assert.equal(log.size, 35);
    const now = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    assert.ok(now.signatureValid);
    assert.equal(now.size, 35);
    const { status, json } = await proof(13, 35);
    assert.equal(status, 200);
    const hashes = fromHexList(json.hashes);
    assert.ok(hashes.length > 0);
    assert.ok(verifyConsistency(13, 35, hashes, before.root, now.root));
    assert.deepEqual(hashes, referenceConsistencyProof(13, log.leafHashes()));
    assert.equal(json.rootHash, hex(now.root));
    // Every smaller pair verifies too; rootHash is always the latest root (as Rekor does).
    for (const [m, n] of [
      [1, 2],
      [4, 8],
      [5, 35],
      [16, 17],
      [34, 35],
    ] as const) {
      const r = await proof(m, n);
      assert.ok(
        verifyConsistency(m, n, fromHexList(r.json.hashes), log.rootHash(m), log.rootHash(n)),
        `${m}→${n}`,
      );
      assert.equal(r.json.rootHash, hex(now.root));
    }
  });

  it('handles the proof endpoint edge cases like Rekor', async () => {
    const same = await proof(7, 7);
    assert.equal(same.status, 200);
    assert.deepEqual(same.json.hashes, []);
    const defaulted = await getJson(`${log.url}/api/v1/log/proof?lastSize=3`);
    assert.ok(verifyConsistency(1, 3, fromHexList(defaulted.json.hashes), log.rootHash(1), log.rootHash(3)));
    for (const q of [
      'firstSize=9&lastSize=8',
      `firstSize=1&lastSize=${log.size + 1}`,
      'firstSize=0&lastSize=3',
      'firstSize=1',
      'firstSize=x&lastSize=3',
    ]) {
      const r = await getJson(`${log.url}/api/v1/log/proof?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.json.code, 400);
      assert.equal(typeof r.json.message, 'string');
    }
  });

  it('fork(): same size, different root, validly signed; reset() restores the honest tree', async () => {
    const honest = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    log.fork();
    const forked = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    assert.ok(forked.signatureValid);
    assert.equal(forked.size, honest.size);
    assert.ok(!eq(forked.root, honest.root));
    // Only the last leaf differs: the fork agrees with the honest tree one leaf earlier.
    assert.deepEqual(
      log.rootHash(honest.size - 1),
      referenceRoot(log.leafHashes().slice(0, honest.size - 1)),
    );
    const p = await proof(10, honest.size);
    assert.ok(verifyConsistency(10, honest.size, fromHexList(p.json.hashes), log.rootHash(10), forked.root));
    assert.ok(!verifyConsistency(10, honest.size, fromHexList(p.json.hashes), log.rootHash(10), honest.root));
    log.reset();
    const back = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    assert.deepEqual(back.root, honest.root);
  });

  it('rollback(n): a smaller, validly signed head whose root is the old root at n', async () => {
    const full = log.size;
    const rootAt20 = log.rootHash(20);
    log.rollback(20);
    assert.equal(log.size, 20);
    const li = await info();
    const cp = parseCheckpoint(li.signedTreeHead, log.publicKeyPem);
    assert.ok(cp.signatureValid);
    assert.equal(cp.size, 20);
    assert.equal(li.treeSize, 20);
    assert.deepEqual(cp.root, rootAt20);
    assert.equal((await proof(10, full)).status, 400);
    log.reset();
    assert.equal(log.size, full);
  });

  it('badProof(flip | truncate | extend) serves proofs that fail to verify', async () => {
    for (const mode of ['flip', 'truncate', 'extend'] as const) {
      log.badProof(mode);
      const r = await proof(13, 35);
      const hashes = fromHexList(r.json.hashes);
      const good = referenceConsistencyProof(13, log.leafHashes().slice(0, 35));
      assert.equal(r.status, 200);
      assert.ok(!verifyConsistency(13, 35, hashes, log.rootHash(13), log.rootHash(35)), mode);
      if (mode === 'flip') assert.equal(hashes.length, good.length);
      if (mode === 'truncate') assert.equal(hashes.length, good.length - 1);
      if (mode === 'extend') assert.equal(hashes.length, good.length + 1);
      // Still wrong on a second fetch: the fault is permanent until reset().
      const again = await proof(13, 35);
      assert.ok(
        !verifyConsistency(13, 35, fromHexList(again.json.hashes), log.rootHash(13), log.rootHash(35)),
      );
      log.reset();
    }
  });

  it("badProof('garbage') serves hashes that are not hex", async () => {
    log.badProof('garbage');
    const r = await proof(13, 35);
    assert.equal(r.status, 200);
    assert.ok(r.json.hashes.some((h: string) => !/^[0-9a-f]{64}$/.test(h)));
    log.reset();
  });

  it('badProof with { times: 1 } is transient: the re-fetch is good', async () => {
    log.badProof('flip', { times: 1 });
    const bad = await proof(13, 35);
    assert.ok(!verifyConsistency(13, 35, fromHexList(bad.json.hashes), log.rootHash(13), log.rootHash(35)));
    const good = await proof(13, 35);
    assert.ok(verifyConsistency(13, 35, fromHexList(good.json.hashes), log.rootHash(13), log.rootHash(35)));
  });

  it('badSignature(): the head is signed with another key (claiming the pinned key hint by default)', async () => {
    log.badSignature();
    const cp = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    assert.equal(cp.signatureValid, false);
    assert.deepEqual(cp.hint, keyHintOf(log.publicKeyPem));
    assert.equal(cp.name, log.keyName);
    assert.equal(cp.size, log.size);
    log.badSignature({ keyHint: 'signer' });
    const other = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    assert.equal(other.signatureValid, false);
    assert.notDeepEqual(other.hint, keyHintOf(log.publicKeyPem));
    log.reset();
    assert.ok(parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem).signatureValid);
  });

  it('wrongOrigin(): a validly signed checkpoint with another origin', async () => {
    log.wrongOrigin();
    const cp = parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem);
    assert.ok(cp.signatureValid);
    assert.notEqual(cp.origin, log.origin);
    log.reset();
    assert.equal(parseCheckpoint((await info()).signedTreeHead, log.publicKeyPem).origin, log.origin);
  });

  it("respondWith('json-mismatch'): unsigned treeSize/rootHash disagree with the signed checkpoint", async () => {
    log.respondWith('json-mismatch');
    const li = await info();
    const cp = parseCheckpoint(li.signedTreeHead, log.publicKeyPem);
    assert.ok(cp.signatureValid);
    assert.notEqual(li.treeSize, cp.size);
    assert.notEqual(li.rootHash, hex(cp.root));
    log.reset();
    const ok = await info();
    assert.equal(ok.treeSize, parseCheckpoint(ok.signedTreeHead, log.publicKeyPem).size);
  });

  it('respondWith(status500 | status404 | garbage), on every path or one, for a number of times', async () => {
    log.respondWith('status500');
    assert.equal((await fetch(`${log.url}/api/v1/log`)).status, 500);
    assert.equal((await fetch(`${log.url}/api/v1/log/proof?firstSize=1&lastSize=2`)).status, 500);
    log.reset();
    log.respondWith('status404', '/api/v1/log/proof');
    assert.equal((await fetch(`${log.url}/api/v1/log`)).status, 200);
    assert.equal((await fetch(`${log.url}/api/v1/log/proof?firstSize=1&lastSize=2`)).status, 404);
    log.reset();
    log.respondWith('garbage', '/api/v1/log', { times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${log.url}/api/v1/log`);
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.throws(() => JSON.parse(text));
    }
    await info(); // third time: honest again
  });

  it("respondWith('huge') streams more than 4 MiB without Content-Length", async () => {
    log.respondWith('huge', '/api/v1/log', { times: 1 });
    const r = await fetch(`${log.url}/api/v1/log`);
    assert.equal(r.headers.get('content-length'), null);
    const body = await r.arrayBuffer();
    assert.ok(body.byteLength >= HUGE_RESPONSE_BYTES);
    assert.ok(body.byteLength > 4 * 1024 * 1024);
  });

  it("respondWith('slow') sends headers, then trickles single bytes without finishing", async () => {
    log.respondWith('slow', '/api/v1/log', { times: 1 });
    const controller = new AbortController();
    const r = await fetch(`${log.url}/api/v1/log`, { signal: controller.signal });
    assert.equal(r.status, 200);
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    for (let i = 0; i < 3; i++) {
      const { done, value } = await reader.read();
      assert.equal(done, false);
      received += Buffer.from(value ?? []).toString();
    }
    assert.match(received, /^\{ +$/, 'an opening brace, then single spaces, never the end');
    controller.abort();
    await info(); // honest again after one slow response
  });

  it('keeps a request log of paths and queries', async () => {
    const n = log.requests.length;
    await fetch(`${log.url}/api/v1/log/proof?firstSize=2&lastSize=3`);
    assert.equal(log.requests.length, n + 1);
    assert.equal(log.requests.at(-1), '/api/v1/log/proof?firstSize=2&lastSize=3');
    assert.ok(log.requests.includes('/api/v1/log'));
  });

  it('signedHead() returns a freshly signed checkpoint of what is served', () => {
    const cp = parseCheckpoint(log.signedHead(), log.publicKeyPem);
    assert.ok(cp.signatureValid);
    assert.equal(cp.size, log.size);
    assert.deepEqual(cp.root, log.rootHash());
  });
});

describe('test log server: rekor-v1 shard rotation', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'rekor-v1', origin: 'rekor.shard.test - 77', initialSize: 9 });
  });
  after(() => log.close());

  it('uses the configured origin, host name and tree ID', async () => {
    const { json } = await getJson(`${log.url}/api/v1/log`);
    const cp = parseCheckpoint(json.signedTreeHead, log.publicKeyPem);
    assert.equal(cp.origin, 'rekor.shard.test - 77');
    assert.equal(cp.name, 'rekor.shard.test');
    assert.equal(json.treeID, '77');
    assert.equal(log.treeId, '77');
  });

  it('rotateShard(): the old tree is listed in inactiveShards with its final signed head; a new tree starts', async () => {
    const oldRoot = log.rootHash();
    log.rotateShard();
    assert.equal(log.size, 0);
    assert.equal(log.treeId, '78');
    log.append(3);
    const { json } = await getJson(`${log.url}/api/v1/log`);
    assert.equal(json.treeID, '78');
    assert.equal(json.treeSize, 3);
    const active = parseCheckpoint(json.signedTreeHead, log.publicKeyPem);
    assert.ok(active.signatureValid);
    assert.equal(active.origin, 'rekor.shard.test - 78');
    assert.equal(json.inactiveShards.length, 1);
    const shard = json.inactiveShards[0];
    assert.deepEqual(Object.keys(shard).sort(), ['rootHash', 'signedTreeHead', 'treeID', 'treeSize']);
    assert.equal(shard.treeID, '77');
    assert.equal(shard.treeSize, 9);
    assert.equal(shard.rootHash, hex(oldRoot));
    const final = parseCheckpoint(shard.signedTreeHead, log.publicKeyPem);
    assert.ok(final.signatureValid);
    assert.equal(final.origin, 'rekor.shard.test - 77');
    assert.equal(final.size, 9);
    assert.deepEqual(final.root, oldRoot);
    // Proofs are per tree: the old shard by treeID, the new one by default.
    const old = await getJson(`${log.url}/api/v1/log/proof?firstSize=4&lastSize=9&treeID=77`);
    assert.equal(old.status, 200);
    assert.equal(old.json.rootHash, hex(oldRoot));
    const tooBig = await getJson(`${log.url}/api/v1/log/proof?firstSize=1&lastSize=9`);
    assert.equal(tooBig.status, 400);
    const fresh = await getJson(`${log.url}/api/v1/log/proof?firstSize=1&lastSize=3&treeID=78`);
    assert.ok(verifyConsistency(1, 3, fromHexList(fresh.json.hashes), log.rootHash(1), log.rootHash(3)));
  });

  it('dropInactiveShard(): the old shard disappears from inactiveShards', async () => {
    log.dropInactiveShard();
    const { json } = await getJson(`${log.url}/api/v1/log`);
    assert.equal(json.inactiveShards, undefined);
    assert.equal(json.treeID, '78');
    assert.throws(() => log.dropInactiveShard());
  });
});

describe('test log server: options', () => {
  it('serves under a path prefix and 404s elsewhere', async () => {
    const log = await startTestLog({ type: 'ct', initialSize: 2, pathPrefix: '/logs/test2025' });
    try {
      assert.match(log.url, /^http:\/\/127\.0\.0\.1:\d+\/logs\/test2025$/);
      assert.equal((await fetch(`${log.url}/ct/v1/get-sth`)).status, 200);
      assert.equal((await fetch(log.url.replace('/logs/test2025', '/ct/v1/get-sth'))).status, 404);
    } finally {
      await log.close();
    }
  });

  it('uses the treeId option in the origin', async () => {
    const log = await startTestLog({ type: 'rekor-v1', treeId: '42' });
    try {
      assert.equal(log.origin, 'rekor.test.local - 42');
      const cp = parseCheckpoint(log.signedHead(), log.publicKeyPem);
      assert.equal(cp.size, 0);
      assert.deepEqual(cp.root, sha256(new Uint8Array(0))); // RFC 9162 §2.1.1: MTH({}) = HASH()
    } finally {
      await log.close();
    }
  });

  it('generates a fresh key per log', async () => {
    const a = await startTestLog({ type: 'ct' });
    const b = await startTestLog({ type: 'ct' });
    try {
      assert.notEqual(a.publicKeyPem, b.publicKeyPem);
      assert.match(a.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
      assert.equal(createPublicKey(a.publicKeyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

// --- CT ------------------------------------------------------------------------------------

describe('test log server: ct', () => {
  let log: TestLog;
  before(async () => {
    log = await startTestLog({ type: 'ct', initialSize: 6 });
  });
  after(() => log.close());

  const sth = async (): Promise<Sth> => {
    const { status, json } = await getJson(`${log.url}/ct/v1/get-sth`);
    assert.equal(status, 200);
    return json;
  };
  const consistency = (first: number, second: number) =>
    getJson(`${log.url}/ct/v1/get-sth-consistency?first=${first}&second=${second}`);

  it('serves an RFC 6962 STH that verifies with node:crypto', async () => {
    const s = await sth();
    assert.deepEqual(Object.keys(s).sort(), [
      'sha256_root_hash',
      'timestamp',
      'tree_head_signature',
      'tree_size',
    ]);
    assert.equal(s.tree_size, 6);
    assert.ok(Number.isSafeInteger(s.timestamp) && s.timestamp > 0);
    assert.ok(sthSignatureValid(s, log.publicKeyPem));
    assert.deepEqual(
      new Uint8Array(Buffer.from(s.sha256_root_hash, 'base64')),
      referenceRoot(log.leafHashes()),
    );
    // Any change to the signed fields breaks the signature.
    assert.equal(sthSignatureValid({ ...s, timestamp: s.timestamp + 1 }, log.publicKeyPem), false);
    assert.equal(sthSignatureValid({ ...s, tree_size: s.tree_size + 1 }, log.publicKeyPem), false);
  });

  it('serves consistency proofs that verify, and the edge cases', async () => {
    const before = await sth();
    log.append(11);
    const after = await sth();
    assert.equal(after.tree_size, 17);
    const r = await consistency(6, 17);
    assert.equal(r.status, 200);
    const hashes = fromB64List(r.json.consistency);
    const root = (s: Sth) => new Uint8Array(Buffer.from(s.sha256_root_hash, 'base64'));
    assert.ok(verifyConsistency(6, 17, hashes, root(before), root(after)));
    assert.deepEqual(hashes, referenceConsistencyProof(6, log.leafHashes()));
    assert.deepEqual((await consistency(5, 5)).json.consistency, []);
    assert.deepEqual((await consistency(0, 5)).json.consistency, []);
    assert.equal((await consistency(6, 5)).status, 400);
    assert.equal((await consistency(1, 18)).status, 400);
    assert.equal((await getJson(`${log.url}/ct/v1/get-sth-consistency?first=1`)).status, 400);
  });

  it('fork, rollback, badSignature and badProof work for CT too', async () => {
    const honest = await sth();
    log.fork();
    const forked = await sth();
    assert.ok(sthSignatureValid(forked, log.publicKeyPem));
    assert.equal(forked.tree_size, honest.tree_size);
    assert.notEqual(forked.sha256_root_hash, honest.sha256_root_hash);
    log.reset();
    log.rollback(3);
    const small = await sth();
    assert.ok(sthSignatureValid(small, log.publicKeyPem));
    assert.equal(small.tree_size, 3);
    log.reset();
    log.badSignature();
    assert.equal(sthSignatureValid(await sth(), log.publicKeyPem), false);
    log.reset();
    for (const mode of ['flip', 'truncate', 'extend'] as const) {
      log.badProof(mode, { times: 1 });
      const bad = fromB64List((await consistency(6, 17)).json.consistency);
      assert.ok(!verifyConsistency(6, 17, bad, log.rootHash(6), log.rootHash(17)), mode);
      const good = fromB64List((await consistency(6, 17)).json.consistency);
      assert.ok(verifyConsistency(6, 17, good, log.rootHash(6), log.rootHash(17)), `${mode} then good`);
    }
    log.badProof('garbage');
    const garbage: string[] = (await consistency(6, 17)).json.consistency;
    assert.ok(garbage.some((h) => !/^[A-Za-z0-9+/]{43}=$/.test(h)));
    log.reset();
  });

  it('signedHead() is the get-sth JSON text of what is served', () => {
    const s = JSON.parse(log.signedHead()) as Sth;
    assert.ok(sthSignatureValid(s, log.publicKeyPem));
    assert.equal(s.tree_size, log.size);
    assert.equal(log.origin, log.url);
  });

  it('refuses Rekor-only switches', () => {
    assert.throws(() => log.wrongOrigin());
    assert.throws(() => log.rotateShard());
    assert.throws(() => log.dropInactiveShard());
    assert.throws(() => log.respondWith('json-mismatch'));
  });

  it('respondWith applies to CT paths too', async () => {
    log.respondWith('status500', '/ct/v1/get-sth', { times: 1 });
    assert.equal((await fetch(`${log.url}/ct/v1/get-sth`)).status, 500);
    assert.equal((await fetch(`${log.url}/ct/v1/get-sth`)).status, 200);
  });
});
