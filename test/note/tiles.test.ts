/** Tile-log checkpoints (Rekor v2, Tessera): Ed25519 signed notes with the C2SP key ID. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual, fromBase64, toHex } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import { verifyCheckpoint } from '../../lib/note/checkpoint.ts';
import { ed25519NoteVerifier } from '../../lib/note/ed25519-verifier.ts';
import type { NoteVerifier } from '../../lib/note/verifier.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector } from '../support/vectors.ts';
import { must, type RekorKeys, type RekorV2Vectors, type TesseraVectors } from './vector-types.ts';

const code = (c: string) => (e: unknown) => isTlogError(e) && e.code === c;

describe('tiles/rekor-v2-checkpoints.json', () => {
  const v: RekorV2Vectors = readVector('tiles/rekor-v2-checkpoints.json');
  const keys = (readVector('rekor/keys.json') as RekorKeys).allTransparencyLogKeysFound;

  /** The log's verifier: name = origin, key from keys.json by logId. */
  function logVerifier(origin: string, logIdB64: string): NoteVerifier {
    const k = keys.find((x) => x.logIdKeyIdBase64 === logIdB64);
    assert.ok(k?.ed25519RawBase64, `Ed25519 key ${logIdB64} in keys.json`);
    const verifier = ed25519NoteVerifier(origin, fromBase64(k.ed25519RawBase64));
    // For these logs logId = SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ key): the note key ID is its prefix.
    assert.deepEqual(verifier.keyHash, fromBase64(logIdB64).slice(0, 4));
    return verifier;
  }

  it('has 18 entries and 5 negatives', () => {
    assert.equal(v.entries.length, 18);
    assert.equal(v.negative.length, 5);
  });

  for (const [i, e] of v.entries.entries()) {
    it(`entry ${i}: ${e.origin} size ${e.inclusionProof.treeSize}`, () => {
      assert.equal(e.expected.checkpointSignature, 'valid');
      const verifier = logVerifier(e.origin, e.logId);
      const { note, checkpoint } = verifyCheckpoint(e.checkpoint, [verifier], e.origin);
      // Only the log key is configured: witness lines and the extra same-name ECDSA line are ignored.
      assert.deepEqual(
        note.verifiedBy.map((k) => k.name),
        [e.origin],
      );
      assert.equal(checkpoint.size, BigInt(e.inclusionProof.treeSize));
      assert.ok(bytesEqual(checkpoint.rootHash, fromBase64(e.inclusionProof.rootHash)));
      assert.deepEqual(checkpoint.extensions, []);
    });
  }

  it('the same-name ECDSA line has another key ID and is ignored; the log line need not be first', () => {
    const sameName = v.entries.filter((e) => e.checkpoint.split(`\u2014 ${e.origin} `).length > 2);
    assert.ok(sameName.length >= 1);
    const notFirst = v.entries.filter((e) =>
      (e.checkpoint.split('\n\n')[1] ?? '').startsWith('\u2014 witness.example'),
    );
    assert.ok(notFirst.length >= 1);
    for (const e of [...sameName, ...notFirst]) {
      const { note } = verifyCheckpoint(e.checkpoint, [logVerifier(e.origin, e.logId)]);
      assert.equal(note.verifiedBy.length, 1);
      assert.ok(note.signatures.length > 1);
    }
  });

  it('published log vkeys verify their checkpoints', () => {
    const prod = parseVerifierKey(must(v.keys['log2025-1.rekor.sigstore.dev (production)']).vkey);
    const alpha3 = parseVerifierKey(must(v.keys['log2025-alpha3.rekor.sigstage.dev (staging)']).vkey);
    assert.equal(toHex(prod.keyHash), 'cf119915');
    let n = 0;
    for (const e of v.entries) {
      const verifier = e.origin === prod.name ? prod : e.origin === alpha3.name ? alpha3 : undefined;
      if (!verifier) continue;
      assert.equal(verifyCheckpoint(e.checkpoint, [verifier], e.origin).note.verifiedBy.length, 1);
      n++;
    }
    assert.equal(n, 4);
  });

  it('witness cosignature vkeys (type 0x04) parse as cosignature verifiers', () => {
    const witnessVkeys = Object.values(v.keys.witnessCosignatureVkeys.vkeys) as string[];
    assert.equal(witnessVkeys.length, 8);
    for (const vkey of witnessVkeys) assert.equal(parseVerifierKey(vkey).name, vkey.split('+')[0]);
  });

  const ALPHA1 = 'log2025-alpha1.rekor.sigstage.dev';
  const negativeCode = (checkpoint: string): string => {
    if (checkpoint.endsWith('\n\n')) return 'note/malformed'; // missing log signature
    if (!checkpoint.includes(`\u2014 ${ALPHA1} `)) return 'note/no-verified-signature'; // wrong signer name
    return 'note/bad-signature'; // origin, size or root removed under the real log signature
  };

  for (const [i, e] of v.negative.entries()) {
    it(`negative ${i}: ${e.expected.reasons.join('; ')}`, () => {
      assert.equal(e.expected.result, 'FAIL');
      const verifier = logVerifier(ALPHA1, e.logId);
      assert.throws(
        () => verifyCheckpoint(e.checkpoint, [verifier], ALPHA1),
        code(negativeCode(e.checkpoint)),
      );
    });
  }
});

describe('tiles/tessera-testdata-log.json', () => {
  const v: TesseraVectors = readVector('tiles/tessera-testdata-log.json');
  const verifier = parseVerifierKey(v.vkey);

  it('has 17 checkpoints (sizes 0..15, plus the latest copy)', () => {
    assert.equal(v.checkpoints.length, 17);
    assert.equal(toHex(verifier.keyHash), '33d7b496');
  });

  for (const c of v.checkpoints) {
    it(`${c.file}: size ${c.size}`, () => {
      const { checkpoint } = verifyCheckpoint(c.checkpoint, [verifier], 'example.com/log/testdata');
      assert.equal(checkpoint.size, BigInt(c.size));
      assert.ok(bytesEqual(checkpoint.rootHash, fromBase64(c.rootHash)));
    });
  }

  it('a checkpoint from another size does not verify with a swapped root', () => {
    const [a, b] = v.checkpoints;
    assert.ok(a && b);
    const forged = a.checkpoint.replace(a.rootHash, b.rootHash);
    assert.notEqual(forged, a.checkpoint);
    assert.throws(() => verifyCheckpoint(forged, [verifier]), code('note/bad-signature'));
  });
});
