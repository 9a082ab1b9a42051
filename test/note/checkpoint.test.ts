import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBase64, toBase64, toHex } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import { parseCheckpoint, verifyCheckpoint } from '../../lib/note/checkpoint.ts';
import { ed25519NoteVerifier } from '../../lib/note/ed25519-verifier.ts';
import { SIG_TYPE_COSIGNATURE_V1 } from '../../lib/note/key-hash.ts';
import type { NoteVerifier } from '../../lib/note/verifier.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector } from '../support/vectors.ts';
import { signNote, testSigner } from './sign.ts';
import { must, type RealCheckpoint } from './vector-types.ts';

const code = (c: string) => (e: unknown) => isTlogError(e) && e.code === c;

const ROOT = toBase64(new Uint8Array(32).fill(0xab));

describe('parseCheckpoint (c2sp.org/tlog-checkpoint "Note text")', () => {
  it('parses origin, size, root and extension lines', () => {
    const cp = parseCheckpoint(`rekor.sigstore.dev - 123\n42\n${ROOT}\nTimestamp: 1\nother ext\n`);
    assert.equal(cp.origin, 'rekor.sigstore.dev - 123');
    assert.equal(cp.size, 42n);
    assert.equal(toBase64(cp.rootHash), ROOT);
    assert.deepEqual(cp.extensions, ['Timestamp: 1', 'other ext']);
  });

  it('accepts size 0 and the largest uint64', () => {
    assert.equal(parseCheckpoint(`o\n0\n${ROOT}\n`).size, 0n);
    assert.equal(parseCheckpoint(`o\n18446744073709551615\n${ROOT}\n`).size, 2n ** 64n - 1n);
  });

  for (const [what, size] of [
    ['leading zero', '01'],
    ['"00"', '00'],
    ['negative', '-1'],
    ['plus sign', '+1'],
    ['decimal point', '1.0'],
    ['exponent', '1e3'],
    ['hex', '0x10'],
    ['spaces', ' 1'],
    ['empty', ''],
    ['non-numeric', 'notanumber'],
    ['beyond uint64', '18446744073709551616'],
    ['non-ASCII digits', '\u0661'],
  ] as const) {
    it(`rejects a tree size with ${what}`, () => {
      assert.throws(
        () => parseCheckpoint(`o\n${size}\n${ROOT}\n`),
        (e) => code('checkpoint/malformed')(e) && /tree size/.test(String(e)),
      );
    });
  }

  it('rejects a root hash that is not exactly 32 bytes, naming the line', () => {
    for (const n of [0, 31, 33, 64]) {
      const root = toBase64(new Uint8Array(n).fill(1));
      assert.throws(
        () => parseCheckpoint(`o\n1\n${root}\n`),
        (e) => code('checkpoint/malformed')(e) && String(e).includes('root hash line 3'),
        `${n} bytes`,
      );
    }
  });

  it('rejects a root hash in URL-safe, unpadded or hex form', () => {
    const bytes = new Uint8Array(32).fill(0xfb);
    for (const root of [
      toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_'),
      toBase64(bytes).replace(/=+$/, ''),
      toHex(bytes),
    ]) {
      assert.throws(() => parseCheckpoint(`o\n1\n${root}\n`), code('checkpoint/malformed'), root);
    }
  });

  it('rejects an empty origin, missing lines, empty extension lines and a missing final newline', () => {
    assert.throws(() => parseCheckpoint(`\n1\n${ROOT}\n`), code('checkpoint/malformed'));
    assert.throws(() => parseCheckpoint(`o\n1\n`), code('checkpoint/malformed'));
    assert.throws(() => parseCheckpoint(`o\n${ROOT}\n`), code('checkpoint/malformed'));
    assert.throws(() => parseCheckpoint(`o\n1\n${ROOT}\n\next\n`), code('checkpoint/malformed'));
    assert.throws(() => parseCheckpoint(`o\n1\n${ROOT}`), code('checkpoint/malformed'));
    assert.throws(() => parseCheckpoint(`o\r\n1\n${ROOT}\n`), code('checkpoint/malformed'));
  });
});

describe('verifyCheckpoint', () => {
  const log = testSigner('example.com/log', 5);
  const body = `example.com/log\n7\n${ROOT}\n`;

  it('verifies, parses and checks the origin (string or predicate)', () => {
    const { note, checkpoint } = verifyCheckpoint(signNote(body, log), [log.verifier], 'example.com/log');
    assert.equal(note.body, body);
    assert.equal(checkpoint.size, 7n);
    assert.equal(
      verifyCheckpoint(signNote(body, log), [log.verifier], (o) => o.startsWith('example.com/')).checkpoint
        .origin,
      'example.com/log',
    );
  });

  it('reports an origin mismatch with both values', () => {
    assert.throws(
      () => verifyCheckpoint(signNote(body, log), [log.verifier], 'example.com/other'),
      (e) =>
        code('checkpoint/origin-mismatch')(e) &&
        String(e).includes('example.com/log') &&
        String(e).includes('example.com/other'),
    );
    assert.throws(
      () => verifyCheckpoint(signNote(body, log), [log.verifier], () => false),
      code('checkpoint/origin-mismatch'),
    );
  });

  it('verifies the signature before reading the body', () => {
    const badBody = `example.com/log\n007\n${ROOT}\n`;
    // A validly signed but malformed body is a checkpoint error...
    assert.throws(
      () => verifyCheckpoint(signNote(badBody, log), [log.verifier]),
      code('checkpoint/malformed'),
    );
    // ...an unsigned one is a signature error: unauthenticated text is never interpreted.
    const other = testSigner('example.com/other', 6);
    assert.throws(
      () => verifyCheckpoint(signNote(badBody, other), [log.verifier]),
      code('note/no-verified-signature'),
    );
  });
});

describe('note/real-checkpoints.json: 8 real notes', () => {
  const v: { checkpoints: RealCheckpoint[] } = readVector('note/real-checkpoints.json');
  it('has 8 notes', () => assert.equal(v.checkpoints.length, 8));

  for (const c of v.checkpoints) {
    it(c.desc, () => {
      assert.equal(c.expected, 'valid');
      // Every key of the case parses, cosignature/v1 (type 0x04) witness keys included, and
      // every signature the collector verified verifies here too: log signature and cosignatures.
      const verifiers: NoteVerifier[] = (c.verifierKeys as string[]).map((k) => parseVerifierKey(k));
      const logName = (c.verifierKeys[0] as string).split('+')[0] as string;
      const lines = (c.note as string).split('\n');
      const { note, checkpoint } = verifyCheckpoint(c.note, verifiers, lines[0]);
      assert.equal(checkpoint.size, BigInt(lines[1] as string));
      assert.equal(toBase64(checkpoint.rootHash), lines[2]);
      assert.equal(note.verifiedBy[0]?.name, logName);
      assert.deepEqual(
        [...note.verifiedBy.map((k) => k.name)].sort(),
        c.observed.map((o) => o.sigName).sort(),
      );
      const cosigned = c.observed.filter((o) => o.kind.startsWith('cosig-v1')).length;
      assert.equal(
        (c.verifierKeys as string[]).filter(
          (k) => fromBase64(k.slice(k.indexOf('+', k.indexOf('+') + 1) + 1))[0] === SIG_TYPE_COSIGNATURE_V1,
        ).length,
        cosigned,
      );
      // The log signature alone is enough: extra lines are ignored.
      const logOnly = verifyCheckpoint(c.note, [verifiers[0] as NoteVerifier]);
      assert.deepEqual(
        logOnly.note.verifiedBy.map((k) => k.name),
        [logName],
      );
    });
  }

  it('sum.golang.org 6476701: size and root as published', () => {
    const c = must(v.checkpoints[0]);
    const { checkpoint } = verifyCheckpoint(
      c.note,
      [parseVerifierKey(must(c.verifierKeys[0]))],
      'go.sum database tree',
    );
    assert.equal(checkpoint.size, 6476701n);
    assert.equal(toBase64(checkpoint.rootHash), 'mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=');
    assert.deepEqual(checkpoint.extensions, []);
  });

  it('extra-lines copy: test keys verify, random1/random2 (witness bytes, other names) never do', () => {
    const c = v.checkpoints.find((x) => x.desc.includes('random1')) as RealCheckpoint;
    const verifiers = (c.verifierKeys as string[]).map(parseVerifierKey);
    const { note } = verifyCheckpoint(c.note, verifiers);
    const names = note.verifiedBy.map((k) => k.name);
    assert.deepEqual(names, ['sum.golang.org', 'monkeys', 'bananas', 'witness']);
    assert.ok(!names.includes('random1') && !names.includes('random2'));
    // random1/random2 lines carry witness's key ID: without the name match they are unknown.
    const sigs = note.signatures.filter((s) => s.name.startsWith('random'));
    const witness = verifiers.find((x) => x.name === 'witness') as NoteVerifier;
    assert.equal(sigs.length, 2);
    for (const s of sigs) assert.deepEqual(s.keyHash, witness.keyHash);
    // Binding witness's key to the name random1 gives a different key ID, so still no match.
    const witnessVkey = (c.verifierKeys as string[]).find((k) => k.startsWith('witness+')) as string;
    const witnessKey = fromBase64(
      witnessVkey.slice(witnessVkey.indexOf('+', witnessVkey.indexOf('+') + 1) + 1),
    ).subarray(1);
    const random1 = ed25519NoteVerifier('random1', witnessKey);
    assert.notDeepEqual(random1.keyHash, witness.keyHash);
    assert.throws(() => verifyCheckpoint(c.note, [random1]), code('note/no-verified-signature'));
  });

  it('cosigned notes: only the log key verifies; cosignature lines are present and ignored', () => {
    for (const c of v.checkpoints.filter((x) => x.desc.includes('cosignatures'))) {
      const logVerifier = parseVerifierKey(must(c.verifierKeys[0]));
      const { note } = verifyCheckpoint(c.note, [logVerifier]);
      assert.equal(note.signatures.length, 3);
      assert.deepEqual(
        note.verifiedBy.map((k) => k.name),
        [logVerifier.name],
      );
    }
  });
});
