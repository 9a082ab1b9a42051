/** Real RFC 6962 STHs (test/vectors/ct) verified with their logs' keys. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBase64, toBase64 } from '../../lib/bytes.ts';
import { findByLogId, logIdOf } from '../../lib/ct/log-id.ts';
import { verifyGetSthResponse, verifySth } from '../../lib/ct/sth.ts';
import { parseDigitallySigned } from '../../lib/ct/tls.ts';
import { isTlogError } from '../../lib/errors.ts';
import { type PublicKey, parsePemPublicKey, parseSpki } from '../../lib/keys/public-key.ts';
import { readVector } from '../support/vectors.ts';

interface LogEntry {
  keyDERBase64: string;
  keyPEM?: string;
  logIdBase64: string;
  logIdHex: string;
}
interface SthVector {
  log: string | null;
  tree_size: number;
  timestamp: number;
  sha256_root_hash: string;
  tree_head_signature: string;
  rawJSON?: string;
  log_id?: string;
  desc?: string;
}

const logs: Record<string, LogEntry> = readVector('ct/logs.json').logs;
const sths: SthVector[] = readVector('ct/sths.json').sths;
const negatives: SthVector[] = readVector('ct/negative.json').cases;
const sigstoreLogs: Array<{ baseUrl: string; publicKeyDERBase64: string; logIdBase64: string }> =
  readVector('ct/sigstore-ctlogs.json').logs;

const knownLogs: Array<{ name: string; key: PublicKey }> = Object.entries(logs).map(([name, l]) => ({
  name,
  key: parseSpki(fromBase64(l.keyDERBase64)),
}));

function keyOf(name: string): PublicKey {
  const found = knownLogs.find((l) => l.name === name);
  assert.ok(found, `log ${name} in logs.json`);
  return found.key;
}

/** The get-sth body: verbatim when the vector has it, else rebuilt from the fields (all below 2^53). */
function bodyOf(v: SthVector): string {
  return (
    v.rawJSON ??
    JSON.stringify({
      tree_size: v.tree_size,
      timestamp: v.timestamp,
      sha256_root_hash: v.sha256_root_hash,
      tree_head_signature: v.tree_head_signature,
    })
  );
}

/** A gossiped STH names its log by log_id: look the key up by log id, never trust a served key. */
function verifyPollinatedSth(v: SthVector) {
  assert.ok(v.log_id !== undefined);
  const log = findByLogId(knownLogs, fromBase64(v.log_id), (l) => l.key);
  if (log === undefined) throw new Error(`unknown log id ${v.log_id}`);
  return verifyGetSthResponse(bodyOf(v), log.key);
}

describe('ct/logs.json and ct/sigstore-ctlogs.json keys', () => {
  it('every CT log key parses and its log id is SHA-256 of the DER key', () => {
    assert.equal(Object.keys(logs).length, 7);
    for (const [name, l] of Object.entries(logs)) {
      const key = parseSpki(fromBase64(l.keyDERBase64));
      assert.equal(key.kind, 'p256', name);
      assert.equal(toBase64(logIdOf(key)), l.logIdBase64, name);
      assert.equal(Buffer.from(logIdOf(key)).toString('hex'), l.logIdHex, name);
      if (l.keyPEM !== undefined) {
        const fromPem = parsePemPublicKey(l.keyPEM);
        assert.equal(toBase64(logIdOf(fromPem)), l.logIdBase64, `${name} PEM`);
      }
    }
  });

  it('every Sigstore CT log key parses and its log id matches the trusted root', () => {
    assert.equal(sigstoreLogs.length, 2);
    for (const l of sigstoreLogs) {
      const key = parseSpki(fromBase64(l.publicKeyDERBase64));
      assert.equal(key.kind, 'p256', l.baseUrl);
      assert.equal(toBase64(logIdOf(key)), l.logIdBase64, l.baseUrl);
    }
  });

  it('findByLogId finds each log by its id', () => {
    for (const [name, l] of Object.entries(logs)) {
      assert.equal(findByLogId(knownLogs, fromBase64(l.logIdBase64), (x) => x.key)?.name, name);
    }
  });
});

describe('ct/sths.json: real signed tree heads', () => {
  it('has the 10 STHs the README describes', () => {
    assert.equal(sths.length, 10);
  });

  for (const v of sths) {
    it(`${v.log} size ${v.tree_size} verifies with its log key`, () => {
      assert.ok(v.log !== null);
      const body = bodyOf(v);
      const sth = verifyGetSthResponse(body, keyOf(v.log));
      assert.equal(sth.treeSize, BigInt(v.tree_size));
      assert.equal(sth.timestamp, BigInt(v.timestamp));
      assert.equal(toBase64(sth.rootHash), v.sha256_root_hash);
      assert.equal(toBase64(sth.treeHeadSignature), v.tree_head_signature);
      assert.equal(sth.raw, body);
      // The decoded form verifies too.
      verifySth(sth, keyOf(v.log));
      if (v.log_id !== undefined) assert.equal(verifyPollinatedSth(v).treeSize, BigInt(v.tree_size));
    });

    it(`${v.log} size ${v.tree_size} fails with every other log key`, () => {
      for (const other of knownLogs.filter((l) => l.name !== v.log)) {
        assert.throws(
          () => verifyGetSthResponse(bodyOf(v), other.key),
          (e: unknown) => isTlogError(e, 'ct/bad-signature'),
          `${v.log} STH under ${other.name}'s key`,
        );
      }
    });
  }

  it('a changed tree size, timestamp or root breaks every signature', () => {
    for (const v of sths) {
      assert.ok(v.log !== null);
      const key = keyOf(v.log);
      const base = {
        treeSize: BigInt(v.tree_size),
        timestamp: BigInt(v.timestamp),
        rootHash: fromBase64(v.sha256_root_hash),
        treeHeadSignature: fromBase64(v.tree_head_signature),
      };
      verifySth(base, key);
      const flipped = base.rootHash.slice();
      flipped[31] = (flipped[31] as number) ^ 1;
      for (const bad of [
        { ...base, treeSize: base.treeSize + 1n },
        { ...base, timestamp: base.timestamp - 1n },
        { ...base, rootHash: flipped },
      ]) {
        assert.throws(
          () => verifySth(bad, key),
          (e: unknown) => isTlogError(e, 'ct/bad-signature'),
        );
      }
    }
  });
});

describe('ct/negative.json', () => {
  it('has 8 cases', () => {
    assert.equal(negatives.length, 8);
  });

  const badSignature = negatives.filter((c) => c.log !== null && c.rawJSON === undefined);
  const unknownLog = negatives.filter((c) => c.log === null);
  const unparseable = negatives.filter((c) => c.rawJSON !== undefined);

  it('classifies as 2 bad signatures, 1 unknown log id, 5 unparseable answers', () => {
    assert.equal(badSignature.length, 2);
    assert.equal(unknownLog.length, 1);
    assert.equal(unparseable.length, 5);
  });

  for (const c of badSignature) {
    it(`${c.desc}: fails`, () => {
      assert.ok(c.log);
      const key = keyOf(c.log);
      // What the log signed, decoded leniently (as Go's base64 does): the signature must not verify.
      const lenient = {
        treeSize: BigInt(c.tree_size),
        timestamp: BigInt(c.timestamp),
        rootHash: fromBase64(c.sha256_root_hash),
        treeHeadSignature: new Uint8Array(Buffer.from(c.tree_head_signature, 'base64')),
      };
      assert.throws(
        () => verifySth(lenient, key),
        (e: unknown) =>
          isTlogError(e, 'ct/bad-signature') && /does not verify with the pinned key/.test(e.message),
      );
      let canonical = true;
      try {
        fromBase64(c.tree_head_signature);
      } catch {
        canonical = false;
      }
      // The corrupted Aviator signature ends in "QX==", non-canonical base64 (non-zero padding
      // bits): the strict get-sth parser refuses it as malformed before any signature check.
      // A canonical corrupted signature reaches the check and fails it.
      const expectedCode = canonical ? 'ct/bad-signature' : 'ct/malformed';
      assert.throws(
        () => verifyGetSthResponse(bodyOf(c), key),
        (e: unknown) => isTlogError(e, expectedCode),
      );
      if (c.log_id !== undefined) {
        assert.throws(
          () => verifyPollinatedSth(c),
          (e: unknown) => isTlogError(e, expectedCode),
        );
      }
    });
  }

  for (const c of unknownLog) {
    it(`${c.desc}: rejected as an unknown log`, () => {
      assert.ok(c.log_id);
      const logId = fromBase64(c.log_id);
      assert.equal(logId.length, 32);
      const all = [
        ...knownLogs,
        ...sigstoreLogs.map((l) => ({ name: l.baseUrl, key: parseSpki(fromBase64(l.publicKeyDERBase64)) })),
      ];
      assert.equal(
        findByLogId(all, logId, (l) => l.key),
        undefined,
      );
      assert.throws(() => verifyPollinatedSth(c), /unknown log id BLAHBLAH/);
      // As the README notes, the signature itself is the valid Aviator one.
      assert.equal(verifyGetSthResponse(bodyOf(c), keyOf('aviator')).treeSize, BigInt(c.tree_size));
    });
  }

  // Why each answer is refused (the source's reason, in this parser's words).
  const reasons: Record<string, RegExp> = {
    'bad tls data': /tree_head_signature: DigitallySigned: .*truncated/,
    // Go decodes the lenient base64 and then finds trailing TLS data; the strict decoder stops earlier.
    'trailing junk': /tree_head_signature: expected base64.*non-canonical/,
    'invalid hash len': /sha256_root_hash: expected base64 of exactly 32 bytes, got 3 bytes/,
    'root not base64': /sha256_root_hash: expected base64 of exactly 32 bytes, got string "bogus"/,
    // The root "Z29vZA==" (4 bytes) is refused before the signature "bogus" is looked at.
    'sig not base64': /sha256_root_hash: expected base64 of exactly 32 bytes, got 4 bytes/,
  };

  for (const c of unparseable) {
    it(`${c.desc}: fails to parse`, () => {
      const name = /case "([^"]+)"/.exec(c.desc ?? '')?.[1] ?? '';
      const reason = reasons[name];
      assert.ok(reason, `a reason for case ${name}`);
      for (const { key } of knownLogs) {
        assert.throws(
          () => verifyGetSthResponse(bodyOf(c), key),
          (e: unknown) => isTlogError(e, 'ct/malformed') && reason.test(e.message),
        );
      }
    });
  }

  it('"trailing junk", decoded leniently, has trailing bytes after the DigitallySigned', () => {
    const c = unparseable.find((x) => x.desc?.includes('trailing junk'));
    assert.ok(c?.rawJSON);
    const sig: string = JSON.parse(c.rawJSON).tree_head_signature;
    assert.throws(
      () => parseDigitallySigned(new Uint8Array(Buffer.from(sig, 'base64'))),
      (e: unknown) => isTlogError(e, 'ct/malformed') && /trailing bytes/.test(e.message),
    );
  });
});
