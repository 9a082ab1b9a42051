/** Rekor v1 checkpoints: signed notes with ECDSA P-256 signatures, key ID = SHA-256(SPKI DER)[:4]. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual, fromBase64, toBase64, toHex } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import { parsePemPublicKey, parseSpki } from '../../lib/keys/public-key.ts';
import { verifyCheckpoint } from '../../lib/note/checkpoint.ts';
import { ecdsaNoteVerifier } from '../../lib/note/ecdsa-verifier.ts';
import type { NoteVerifier } from '../../lib/note/verifier.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector, readVectorText } from '../support/vectors.ts';
import {
  type InclusionProof,
  must,
  type RekorEntries,
  type RekorKeys,
  type RekorNegative,
} from './vector-types.ts';

const code = (c: string) => (e: unknown) => isTlogError(e) && e.code === c;

// The signature lines name the host; the origin line is "<host> - <tree ID>" (or "Rekor" early on).
const PROD_NAME = 'rekor.sigstore.dev';
const prodVerifier = ecdsaNoteVerifier(
  PROD_NAME,
  parsePemPublicKey(readVectorText('rekor/rekor.sigstore.dev.pub.pem')),
);
const prodOrigin = (o: string) => o === 'Rekor' || o.startsWith(`${PROD_NAME} - `);

function assertMatchesProof(checkpoint: { size: bigint; rootHash: Uint8Array }, proof: InclusionProof): void {
  assert.equal(checkpoint.size, BigInt(proof.treeSize));
  assert.ok(
    bytesEqual(checkpoint.rootHash, fromBase64(proof.rootHash)),
    'root hash equals inclusionProof.rootHash',
  );
}

describe('rekor/checkpoints-v1-production.json', () => {
  const v: RekorEntries = readVector('rekor/checkpoints-v1-production.json');

  it('has 16 entries and 3 checkpoint-only notes; key ID is c0d23d6a', () => {
    assert.equal(v.entries.length, 16);
    assert.equal(v.checkpointOnly.length, 3);
    assert.equal(toHex(prodVerifier.keyHash), 'c0d23d6a');
  });

  for (const [i, e] of v.entries.entries()) {
    it(`entry ${i}: ${e.origin} size ${e.inclusionProof.treeSize}`, () => {
      assert.equal(e.expected.checkpointSignature, 'valid');
      const { note, checkpoint } = verifyCheckpoint(e.checkpoint, [prodVerifier], e.origin);
      assert.deepEqual(
        note.verifiedBy.map((k) => k.name),
        [PROD_NAME],
      );
      assert.ok(prodOrigin(checkpoint.origin));
      assertMatchesProof(checkpoint, e.inclusionProof);
      for (const ext of checkpoint.extensions) assert.match(ext, /^Timestamp: \d+$/);
    });
  }

  for (const [i, c] of v.checkpointOnly.entries()) {
    it(`checkpoint-only ${i}: ${c.source.repo}`, () => {
      const { checkpoint } = verifyCheckpoint(c.checkpoint, [prodVerifier], prodOrigin);
      if (c.rootHashInTest) assert.equal(toBase64(checkpoint.rootHash), c.rootHashInTest);
    });
  }

  it('the early form has origin "Rekor" and no extension lines', () => {
    const early = v.checkpointOnly.find((c) => c.checkpoint.startsWith('Rekor\n'));
    assert.ok(early);
    const { checkpoint } = verifyCheckpoint(early.checkpoint, [prodVerifier], 'Rekor');
    assert.equal(checkpoint.size, 798034n);
    assert.deepEqual(checkpoint.extensions, []);
  });

  it('the production vkey (type 0x02) verifies every checkpoint too', () => {
    const keys: RekorKeys = readVector('rekor/keys.json');
    const fromVkey = parseVerifierKey(
      keys.production['rekor.sigstore.dev (Rekor v1)']?.noteVerifierKey ?? '',
    );
    for (const text of [...v.entries, ...v.checkpointOnly].map((x) => x.checkpoint)) {
      assert.equal(verifyCheckpoint(text, [fromVkey]).note.verifiedBy.length, 1);
    }
  });

  it('a different shard origin is refused when the origin is pinned', () => {
    const e = v.entries.find((x) => x.origin.endsWith('2605736670972794746'));
    assert.ok(e);
    assert.throws(
      () => verifyCheckpoint(e.checkpoint, [prodVerifier], 'rekor.sigstore.dev - 1193050959916656506'),
      code('checkpoint/origin-mismatch'),
    );
  });
});

describe('rekor/checkpoints-v1-other-instances.json (keys from keys.json)', () => {
  const v: RekorEntries = readVector('rekor/checkpoints-v1-other-instances.json');
  const keys = (readVector('rekor/keys.json') as RekorKeys).allTransparencyLogKeysFound;

  function verifierFor(originLine: string, logIdB64: string): NoteVerifier {
    const k = keys.find((x) => x.logIdKeyIdBase64 === logIdB64);
    assert.ok(k, `key ${logIdB64} in keys.json`);
    const name = originLine.split(' - ')[0] as string;
    const verifier = ecdsaNoteVerifier(name, parseSpki(fromBase64(k.publicKeyDERBase64)));
    // The note key ID is the first 4 bytes of the logId.
    assert.deepEqual(verifier.keyHash, fromBase64(logIdB64).slice(0, 4));
    return verifier;
  }

  it('has 8 entries and 1 checkpoint-only note', () => {
    assert.equal(v.entries.length, 8);
    assert.equal(v.checkpointOnly.length, 1);
  });

  for (const [i, e] of v.entries.entries()) {
    it(`entry ${i}: ${e.origin}`, () => {
      assert.equal(e.expected.checkpointSignature, 'valid');
      const verifier = verifierFor(e.origin, e.logId);
      const { checkpoint } = verifyCheckpoint(e.checkpoint, [verifier], e.origin);
      assertMatchesProof(checkpoint, e.inclusionProof);
      // The production key does not verify another instance's checkpoint.
      assert.throws(() => verifyCheckpoint(e.checkpoint, [prodVerifier]), code('note/no-verified-signature'));
    });
  }

  it('staging checkpoint without a Timestamp line', () => {
    const c = must(v.checkpointOnly[0]);
    const verifier = verifierFor(must(c.checkpoint.split('\n')[0]), must(c.logIdKeyIdBase64));
    const { checkpoint } = verifyCheckpoint(c.checkpoint, [verifier]);
    assert.equal(checkpoint.size, 23003647n);
    assert.deepEqual(checkpoint.extensions, []);
  });
});

describe('rekor/negative.json', () => {
  const v: RekorNegative = readVector('rekor/negative.json');

  it('has 10 checkpoint strings and 8 bundle entries', () => {
    assert.equal(v.checkpointStrings.length, 10);
    assert.equal(v.bundleEntries.length, 8);
  });

  // Which layer rejects each string: the note parser, or signature matching.
  const expectedCode = (desc: string): string =>
    /key hint|regex|replaced with text/.test(desc) ? 'note/no-verified-signature' : 'note/malformed';

  for (const c of v.checkpointStrings) {
    it(`rejects: ${c.desc}`, () => {
      assert.match(c.expected, /^REJECT/);
      assert.throws(
        () => verifyCheckpoint(c.checkpoint, [prodVerifier], prodOrigin),
        code(expectedCode(c.desc)),
      );
    });
  }

  it('the regex-name case carries a valid signature: only the literal name check stops it', () => {
    const c = v.checkpointStrings.find((x) => x.desc.includes('(.*)*x'));
    assert.ok(c);
    const restored = c.checkpoint.replace('\u2014 (.*)*x ', `\u2014 ${PROD_NAME} `);
    assert.equal(verifyCheckpoint(restored, [prodVerifier], prodOrigin).checkpoint.size, 21428036n);
  });

  for (const [i, e] of v.bundleEntries.entries()) {
    const expected = e.expected;
    const reasons = typeof expected === 'string' ? [] : expected.reasons;
    const label = typeof expected === 'string' ? expected : reasons.join('; ');
    it(`bundle entry ${i}: ${label}`, () => {
      const text = e.checkpoint;
      if (text === null) {
        // No checkpoint to verify: the failure is in the inclusion proof (test/merkle/rekor-vectors.test.ts).
        assert.match(label, /no checkpoint present/);
        return;
      }
      const origin = must(e.origin, 'origin');
      if (reasons.some((r) => r.startsWith('no checkpoint signature verifies'))) {
        // Bad key hint -> no known key signed; valid hint with corrupted bytes -> known key fails.
        const hintMatches = must(e.observed.checkpointSignatures[0]).matchedKeyIds.length > 0;
        assert.throws(
          () => verifyCheckpoint(text, [prodVerifier], origin),
          code(hintMatches ? 'note/bad-signature' : 'note/no-verified-signature'),
        );
        return;
      }
      const { checkpoint } = verifyCheckpoint(text, [prodVerifier], origin);
      if (reasons.some((r) => r.startsWith('checkpoint size/root does not match'))) {
        // Validly signed, but for another tree: size and root disagree with the proof.
        assert.notEqual(checkpoint.size, BigInt(e.inclusionProof.treeSize));
        assert.ok(!bytesEqual(checkpoint.rootHash, fromBase64(e.inclusionProof.rootHash)));
      } else {
        // The failure is in the inclusion proof (test/merkle/rekor-vectors.test.ts); the checkpoint is sound.
        assert.ok(reasons.every((r) => r.startsWith('inclusion proof does not verify')));
        assertMatchesProof(checkpoint, e.inclusionProof);
      }
    });
  }
});
