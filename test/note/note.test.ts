import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64, toHex, utf8 } from '../../lib/bytes.ts';
import { isTlogError } from '../../lib/errors.ts';
import { MAX_NOTE_SIGNATURES, parseNote } from '../../lib/note/note.ts';
import { verifyNote } from '../../lib/note/verify-note.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVector } from '../support/vectors.ts';
import { signNote, testSigner } from './sign.ts';
import type { C2spExample, GoNoteVectors } from './vector-types.ts';

const code = (c: string) => (e: unknown) => isTlogError(e) && e.code === c;

const BODY = 'example.com/test\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n';
// A syntactically valid signature value: 4-byte key ID + 64 bytes.
const SIG64 = toBase64(new Uint8Array(68).fill(7));

describe('parseNote: structure (c2sp.org/signed-note "Format")', () => {
  it('splits body and signatures and keeps each line byte-exact', () => {
    const text = `${BODY}\n\u2014 a.example/x ${SIG64}\n\u2014 b ${SIG64}\n`;
    const note = parseNote(text);
    assert.equal(note.text, text);
    assert.equal(note.body, BODY);
    assert.equal(note.signatures.length, 2);
    assert.equal(note.signatures[0]?.name, 'a.example/x');
    assert.equal(toHex(note.signatures[0]?.keyHash ?? new Uint8Array()), '07070707');
    assert.equal(note.signatures[0]?.signature.length, 64);
    assert.equal(note.signatures[1]?.line, `\u2014 b ${SIG64}\n`);
  });

  it('separates text from signatures at the LAST blank line; earlier empty lines belong to the text', () => {
    const text = `line one\n\nline three\n\n\u2014 k ${SIG64}\n`;
    assert.equal(parseNote(text).body, 'line one\n\nline three\n');
  });

  it('rejects a note without a final newline', () => {
    assert.throws(() => parseNote(`${BODY}\n\u2014 k ${SIG64}`), code('note/malformed'));
  });

  it('rejects a note with no blank line', () => {
    assert.throws(() => parseNote(`${BODY}\u2014 k ${SIG64}\n`), code('note/malformed'));
  });

  it('rejects a note with a blank line but no signatures', () => {
    assert.throws(() => parseNote(`${BODY}\n`), code('note/malformed'));
  });

  it('rejects CR characters (CRLF line endings) and other control characters', () => {
    const crlf = `${BODY}\n\u2014 k ${SIG64}\n`.replace(/\n/g, '\r\n');
    assert.throws(
      () => parseNote(crlf),
      (e) => code('note/malformed')(e) && /U\+000D/.test(String(e)),
    );
    assert.throws(() => parseNote(`a\tb\n\n\u2014 k ${SIG64}\n`), code('note/malformed'));
    assert.throws(() => parseNote(`a\u0000\n\n\u2014 k ${SIG64}\n`), code('note/malformed'));
  });

  it('rejects bad base64 in a signature', () => {
    for (const b64 of ['not base64!', 'AAAA AAAA', `${SIG64.slice(0, -1)}`, 'wNI9ajBFAiEAu', '']) {
      assert.throws(() => parseNote(`${BODY}\n\u2014 k ${b64}\n`), code('note/malformed'), b64);
    }
  });

  it('rejects a signature shorter than a key ID plus one byte', () => {
    assert.throws(
      () => parseNote(`${BODY}\n\u2014 k ${toBase64(new Uint8Array(4))}\n`),
      code('note/malformed'),
    );
    assert.equal(parseNote(`${BODY}\n\u2014 k ${toBase64(new Uint8Array(5))}\n`).signatures.length, 1);
  });

  it('rejects an empty key name', () => {
    assert.throws(() => parseNote(`${BODY}\n\u2014  ${SIG64}\n`), code('note/malformed'));
  });

  it('rejects key names with spaces (ASCII or Unicode) or "+"', () => {
    assert.throws(() => parseNote(`${BODY}\n\u2014 Bad Name ${SIG64}\n`), code('note/malformed'));
    assert.throws(() => parseNote(`${BODY}\n\u2014 Bad\u00a0Name ${SIG64}\n`), code('note/malformed'));
    assert.throws(() => parseNote(`${BODY}\n\u2014 Bad\u3000Name ${SIG64}\n`), code('note/malformed'));
    assert.throws(() => parseNote(`${BODY}\n\u2014 bad+name ${SIG64}\n`), code('note/malformed'));
  });

  it('rejects a signature line that does not start with an em dash and a space', () => {
    assert.throws(() => parseNote(`${BODY}\n- k ${SIG64}\n`), code('note/malformed'));
    assert.throws(() => parseNote(`${BODY}\n\u2013 k ${SIG64}\n`), code('note/malformed')); // en dash
    assert.throws(() => parseNote(`${BODY}\n\u2014k ${SIG64}\n`), code('note/malformed'));
    assert.throws(() => parseNote(`${BODY}\n\u2014 k ${SIG64}\nUnexpected line.\n`), code('note/malformed'));
  });

  it(`accepts ${MAX_NOTE_SIGNATURES} signatures and rejects ${MAX_NOTE_SIGNATURES + 1}`, () => {
    const line = `\u2014 k ${SIG64}\n`;
    assert.equal(parseNote(`${BODY}\n${line.repeat(100)}`).signatures.length, 100);
    assert.throws(() => parseNote(`${BODY}\n${line.repeat(101)}`), code('note/too-many-signatures'));
  });

  it('rejects bytes that are not valid UTF-8, and strings with lone surrogates', () => {
    const good = utf8(`${BODY}\n\u2014 k ${SIG64}\n`);
    assert.equal(parseNote(good).body, BODY);
    const bad = new Uint8Array([0x66, 0xff, 0x0a, ...good]);
    assert.throws(
      () => parseNote(bad),
      (e) => code('note/malformed')(e) && /UTF-8/.test(String(e)),
    );
    const overlong = new Uint8Array([0xc0, 0xaf, 0x0a, ...good]);
    assert.throws(() => parseNote(overlong), code('note/malformed'));
    assert.throws(() => parseNote(`\ud800${BODY}\n\u2014 k ${SIG64}\n`), code('note/malformed'));
  });

  it('keeps a leading byte order mark in the signed text (it is part of the signed bytes)', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`${BODY}\n\u2014 k ${SIG64}\n`)]);
    assert.equal(parseNote(bytes).body, `\ufeff${BODY}`);
  });
});

describe('verifyNote (c2sp.org/signed-note "Signatures")', () => {
  const log = testSigner('example.com/test', 1);
  const other = testSigner('example.com/other', 2);

  it('verifies a known signature and ignores unknown ones', () => {
    const v = verifyNote(signNote(BODY, other, log), [log.verifier]);
    assert.deepEqual(
      v.verifiedBy.map((k) => k.name),
      ['example.com/test'],
    );
    assert.equal(v.body, BODY);
    assert.equal(v.signatures.length, 2);
  });

  it('accepts the note as bytes', () => {
    assert.equal(verifyNote(utf8(signNote(BODY, log)), [log.verifier]).body, BODY);
  });

  it('needs name AND key ID to match: same key ID under another name is unknown', () => {
    const renamed = signNote(BODY, log).replace('\u2014 example.com/test ', '\u2014 (.*)*x ');
    assert.equal(
      toHex(parseNote(renamed).signatures[0]?.keyHash ?? new Uint8Array()),
      toHex(log.verifier.keyHash),
    );
    assert.throws(() => verifyNote(renamed, [log.verifier]), code('note/no-verified-signature'));
  });

  it('needs name AND key ID to match: same name with another key ID is unknown (e.g. key rotation)', () => {
    const imposter = testSigner('example.com/test', 3);
    assert.notEqual(toHex(imposter.verifier.keyHash), toHex(log.verifier.keyHash));
    // Imposter's line is ignored; the real signature still verifies.
    assert.equal(verifyNote(signNote(BODY, imposter, log), [log.verifier]).verifiedBy.length, 1);
    assert.throws(
      () => verifyNote(signNote(BODY, imposter), [log.verifier]),
      code('note/no-verified-signature'),
    );
  });

  it('rejects the whole note when a known signature fails, even if another known one verifies', () => {
    const good = signNote(BODY, log, other);
    const badOther = other.sigLine('a different body\n');
    const text = good.replace(other.sigLine(BODY), badOther);
    assert.throws(
      () => verifyNote(text, [log.verifier, other.verifier]),
      (e) => code('note/bad-signature')(e) && String(e).includes('example.com/other'),
    );
    // Without the other key configured, its line is unknown and ignored.
    assert.equal(verifyNote(text, [log.verifier]).verifiedBy.length, 1);
  });

  it('rejects a known signature over a changed body', () => {
    const text = signNote(BODY, log).replace('\n1\n', '\n2\n');
    assert.throws(() => verifyNote(text, [log.verifier]), code('note/bad-signature'));
  });

  it('lists each verified key once even when it signed twice', () => {
    const text = `${BODY}\n${log.sigLine(BODY)}${log.sigLine(BODY)}`;
    assert.equal(verifyNote(text, [log.verifier]).verifiedBy.length, 1);
  });

  it('names the signers present and the keys expected when none verifies', () => {
    assert.throws(
      () => verifyNote(signNote(BODY, other), [log.verifier]),
      (e) =>
        code('note/no-verified-signature')(e) &&
        String(e).includes(`example.com/other+${toHex(other.verifier.keyHash)}`) &&
        String(e).includes(`example.com/test+${toHex(log.verifier.keyHash)}`),
    );
    assert.throws(() => verifyNote(signNote(BODY, log), []), code('note/no-verified-signature'));
  });
});

describe('golang.org/x/mod sumdb/note vectors', () => {
  const v: GoNoteVectors = readVector('note/golang-mod-sumdb-note.json');

  it('has the 14 cases', () => assert.equal(v.cases.length, 14));

  for (const [i, c] of v.cases.entries()) {
    it(`case ${i}: ${c.desc}`, () => {
      const verifiers = c.verifierKeys.map(parseVerifierKey);
      if (c.expected.ok) {
        const res = verifyNote(c.note, verifiers);
        assert.deepEqual(
          res.verifiedBy.map((k) => k.name),
          c.expected.verifiedSigs,
        );
        const verified = new Set(res.verifiedBy.map((k) => k.name));
        for (const name of c.expected.unverifiedSigs ?? []) assert.ok(!verified.has(name), name);
        if (c.expected.unverifiedSigCount !== undefined) {
          // Go drops repeated identical unknown lines; count the distinct ones.
          const ignored = new Set(res.signatures.filter((s) => !verified.has(s.name)).map((s) => s.line));
          assert.equal(ignored.size, c.expected.unverifiedSigCount);
        }
        return;
      }
      const err = c.expected.error ?? '';
      const want = err.startsWith('invalid signature')
        ? 'note/bad-signature'
        : err.includes('no verifiable signatures')
          ? 'note/no-verified-signature'
          : c.desc.includes('too many')
            ? 'note/too-many-signatures'
            : 'note/malformed';
      assert.throws(() => verifyNote(c.note, verifiers), code(want));
    });
  }

  it('the sign-lines are the expected signers (Peter, Enoch) with their key IDs', () => {
    const peter = parseNote(`${v.text}\n${v.peterSigLine}`).signatures[0];
    const enoch = parseNote(`${v.text}\n${v.enochSigLine}`).signatures[0];
    assert.equal(peter?.name, 'PeterNeumann');
    assert.equal(toHex(peter?.keyHash ?? new Uint8Array()), 'c74f20a3');
    assert.equal(enoch?.name, 'EnochRoot');
    assert.equal(toHex(enoch?.keyHash ?? new Uint8Array()), 'af0cfe78');
  });
});

describe('c2sp.org/signed-note example', () => {
  const v: C2spExample = readVector('note/c2sp-signed-note-example.json');
  it('verifies with the example vkey', () => {
    assert.equal(v.expected, 'valid');
    const verifier = parseVerifierKey(v.vkey);
    assert.equal(toHex(verifier.keyHash), '530d903a');
    const res = verifyNote(v.note, [verifier]);
    assert.equal(res.body, 'This is an example message.\n');
    assert.deepEqual(
      res.verifiedBy.map((k) => k.name),
      ['example.com/foo'],
    );
  });
  it('fails once the text changes', () => {
    const changed = v.note.replace('example message', 'exemple message');
    assert.throws(() => verifyNote(changed, [parseVerifierKey(v.vkey)]), code('note/bad-signature'));
  });
});
