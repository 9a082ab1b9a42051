/**
 * Hostile input to the note, checkpoint, verifier-key, PEM/DER and TLS parsers: whatever the bytes,
 * the answer is a value or a TlogError, never a RangeError/TypeError from deep inside.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes, toBase64, utf8 } from '../../lib/bytes.ts';
import { parseDigitallySigned } from '../../lib/ct/tls.ts';
import { TlogError } from '../../lib/errors.ts';
import { parsePemPublicKey, parseSpki } from '../../lib/keys/public-key.ts';
import { parseCheckpoint, verifyCheckpoint } from '../../lib/note/checkpoint.ts';
import { cosignatureV1Verifier } from '../../lib/note/cosignature-verifier.ts';
import { ecdsaNoteVerifier } from '../../lib/note/ecdsa-verifier.ts';
import { ed25519NoteVerifier } from '../../lib/note/ed25519-verifier.ts';
import { parseNote } from '../../lib/note/note.ts';
import { rfc6962NoteVerifier } from '../../lib/note/rfc6962-verifier.ts';
import { parseVerifierKey } from '../../lib/note/vkey.ts';
import { readVectorText } from '../support/vectors.ts';

/** Runs `fn`; anything it throws must be a TlogError. Returns whether it threw. */
function onlyTlogErrors(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    assert.ok(e instanceof TlogError, `expected a TlogError, got ${String(e)}`);
    return true;
  }
}

const ED_KEY = new Uint8Array(32).fill(1);
const verifier = ed25519NoteVerifier('example.com/log', ED_KEY);
const SIG_PREFIX = '\u2014 ';

// Text built from the pieces a note is made of, so the parser gets past its first checks.
const noteish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\n\n',
        SIG_PREFIX,
        ' ',
        '+',
        '=',
        'example.com/log',
        '42',
        '\u2014',
        '\t',
        '\ud800',
      ),
      fc.string({ maxLength: 12 }),
      fc.uint8Array({ maxLength: 80 }).map(toBase64),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('hostile input: only TlogErrors', () => {
  it('parseNote, verifyCheckpoint and parseCheckpoint on note-like text', () => {
    let rejected = 0;
    fc.assert(
      fc.property(noteish, (text) => {
        if (onlyTlogErrors(() => parseNote(text))) rejected++;
        onlyTlogErrors(() => verifyCheckpoint(text, [verifier]));
        onlyTlogErrors(() => parseCheckpoint(text));
      }),
      { numRuns: 1000 },
    );
    assert.ok(rejected > 0);
  });

  it('parseNote on arbitrary bytes (strict UTF-8)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyTlogErrors(() => parseNote(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('parseVerifierKey on vkey-shaped strings of every signature type', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^[0-9a-f]{0,9}$/),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 120 }),
        (name, hash, type, key) => {
          const vkey = `${name}+${hash}+${toBase64(concatBytes(Uint8Array.of(type), key))}`;
          assert.ok(
            onlyTlogErrors(() => parseVerifierKey(vkey)),
            'a random key ID never matches',
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parseSpki on arbitrary and on truncated or mutated real DER', () => {
    const pem = readVectorText('rekor/rekor.sigstore.dev.pub.pem');
    const real = parsePemPublicKey(pem).spki;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 120 }),
        fc.nat(real.length),
        fc.nat(real.length - 1),
        fc.integer({ min: 1, max: 255 }),
        (random, cut, at, xor) => {
          onlyTlogErrors(() => parseSpki(random));
          onlyTlogErrors(() => parseSpki(real.subarray(0, cut)));
          const mutated = real.slice();
          mutated[at] = (mutated[at] as number) ^ xor;
          onlyTlogErrors(() => parseSpki(mutated));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('every verifier answers false, never throws, on a random message and signature', () => {
    const p256 = parsePemPublicKey(readVectorText('rekor/rekor.sigstore.dev.pub.pem'));
    const verifiers = [
      verifier,
      cosignatureV1Verifier('w.example', ED_KEY),
      ecdsaNoteVerifier('example.com/log', p256),
      rfc6962NoteVerifier('example.com/log', p256),
    ];
    fc.assert(
      fc.property(
        fc.oneof(noteish.map(utf8), fc.uint8Array({ maxLength: 200 })),
        fc.uint8Array({ maxLength: 120 }),
        (message, signature) => {
          for (const v of verifiers) assert.equal(v.verify(message, signature), false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parsePemPublicKey on PEM-shaped text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 100 }), (junk, der) => {
        onlyTlogErrors(() => parsePemPublicKey(junk));
        const text = `-----BEGIN PUBLIC KEY-----\n${toBase64(der)}\n-----END PUBLIC KEY-----\n`;
        assert.ok(onlyTlogErrors(() => parsePemPublicKey(text)) || der.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('parseDigitallySigned on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const threw = onlyTlogErrors(() => parseDigitallySigned(bytes));
        // Exactly the inputs whose u16 length matches the rest parse.
        const fits =
          bytes.length >= 4 && ((bytes[2] as number) << 8) + (bytes[3] as number) === bytes.length - 4;
        assert.equal(threw, !fits);
      }),
      { numRuns: 500 },
    );
  });
});
