/**
 * Witness cosignatures on a log's checkpoint (c2sp.org/tlog-cosignature) and the per-log policy
 * `witnesses` / `minWitnesses` (docs/contracts.md, "Log types"). A head that fewer than `minWitnesses` of
 * the configured witnesses cosigned was not seen by enough independent parties: a split view
 * shown only to us would look exactly like it, so it is rejected as a bad signature.
 *
 * As for the log's own key (c2sp.org/signed-note): a line from an unknown key is ignored, and a
 * line from a configured witness that fails to verify rejects the note.
 */
import { bytesEqual, toHex, utf8 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { parsePemPublicKey } from '../keys/public-key.ts';
import type { NoteSignature } from '../note/note.ts';
import type { NoteVerifier } from '../note/verifier.ts';
import { verifyKnownSignatures } from '../note/verify-note.ts';
import { parseVerifierKeyParts, parseWitnessVerifierKey } from '../note/vkey.ts';

export interface Witness {
  /** The witness name (the key name of its verifier key). */
  readonly name: string;
  /** Its public key material: the raw 32 bytes of an Ed25519 key, else the DER SubjectPublicKeyInfo. */
  readonly key: Uint8Array;
  /** Every verifier its configured key yields (e.g. cosignature/v1 and plain Ed25519). */
  readonly verifiers: readonly NoteVerifier[];
}

export interface WitnessPolicy {
  readonly witnesses: readonly Witness[];
  /** How many distinct configured witnesses must cosign; 0 = report only. */
  readonly minWitnesses: number;
}

/**
 * Builds the policy from configured witness verifier keys. Throws 'key/*' or 'config/invalid'.
 *
 * Each witness must be configured once: two entries with one name (e.g. its 0x01 and its 0x04
 * key), or one public key under two names, would let one cosignature count twice towards
 * `minWitnesses`: a cosignature/v1 message does not include the key name, so a line can be copied
 * under the other name with that name's key ID (c2sp.org/tlog-cosignature, "Ed25519 signed
 * message": "the same public key can't be used across multiple cosigners").
 */
export function parseWitnessPolicy(vkeys: readonly string[] = [], minWitnesses = 0): WitnessPolicy {
  const seen: { name: string; key: Uint8Array; at: number }[] = [];
  const witnesses = vkeys.map((vkey, at) => {
    const { name, key } = parseVerifierKeyParts(vkey);
    const same = seen.find((s) => s.name === name || bytesEqual(s.key, key));
    if (same) {
      const what = same.name === name ? `name ${name}` : `public key ${toHex(key)}`;
      throw new TlogError(
        'config/invalid',
        `witness ${at} (${name}) has the same ${what} as witness ${same.at} (${same.name}); configure each witness once`,
        { first: same.at, duplicate: at },
      );
    }
    seen.push({ name, key, at });
    return { name, key, verifiers: parseWitnessVerifierKey(vkey) };
  });
  if (!Number.isInteger(minWitnesses) || minWitnesses < 0 || minWitnesses > witnesses.length) {
    throw new TlogError(
      'config/invalid',
      `minWitnesses must be 0..${witnesses.length} (the number of witnesses configured), got ${minWitnesses}`,
    );
  }
  return { witnesses, minWitnesses };
}

/**
 * The key material of a log key configured as PEM SPKI or as a verifier key string, in the form
 * of Witness.key: the raw 32 bytes of an Ed25519 key, else the DER SPKI (verifier key types 0x02
 * and 0x05 hold a DER SPKI after the type byte). Throws 'key/*'.
 */
export function logKeyMaterial(publicKey: string): Uint8Array {
  if (!publicKey.includes('-----BEGIN')) return parseVerifierKeyParts(publicKey).key.slice();
  const key = parsePemPublicKey(publicKey);
  return (key.kind === 'ed25519' ? key.raw : key.spki).slice();
}

/** Who a log signs as: the names on its signature lines and its public key material. */
export interface LogSigner {
  readonly names: readonly string[];
  /** Raw 32 bytes for an Ed25519 key, else the DER SubjectPublicKeyInfo (as Witness.key). */
  readonly keys: readonly Uint8Array[];
}

/**
 * A witness is someone other than the log. One named as the log (its origin or its key name), or
 * holding the log's own key under any name, would let the log's own signature count as a
 * cosignature: an Ed25519 note signature does not cover the key name, so the log's line can be
 * copied under the witness name, and the log can make cosignature/v1 lines with its own key.
 * Throws 'config/invalid' naming the witness.
 */
export function refuseSelfWitness(policy: WitnessPolicy, log: LogSigner, what: string): void {
  for (const w of policy.witnesses) {
    const byName = log.names.includes(w.name);
    if (!byName && !log.keys.some((k) => bytesEqual(k, w.key))) continue;
    throw new TlogError(
      'config/invalid',
      `${what}: witness ${w.name} ${byName ? "has the log's own name" : "holds the log's own key"}; a log cannot witness itself`,
    );
  }
}

/**
 * Verifies the cosignatures of configured witnesses over the checkpoint text `body`; returns the
 * names of the witnesses that cosigned, in configuration order. Throws 'note/bad-signature' if a
 * configured witness's line does not verify, and, when `enforce` is set, throws
 * 'note/no-verified-signature' if fewer than `minWitnesses` witnesses cosigned.
 */
export function verifyWitnesses(
  body: string,
  signatures: readonly NoteSignature[],
  policy: WitnessPolicy,
  enforce: boolean,
): string[] {
  const verified = new Set(
    verifyKnownSignatures(
      utf8(body),
      signatures,
      policy.witnesses.flatMap((w) => w.verifiers),
      'cosignature by configured witness',
    ),
  );
  // Each witness counts once, however many of its verifiers or lines verified.
  const names = policy.witnesses.filter((w) => w.verifiers.some((v) => verified.has(v))).map((w) => w.name);
  if (enforce && names.length < policy.minWitnesses) {
    const all = policy.witnesses.map((w) => w.name);
    throw new TlogError(
      'note/no-verified-signature',
      `witness policy: the checkpoint is cosigned by ${names.length} of the configured witnesses [${names.join(', ')}], ` +
        `expected at least ${policy.minWitnesses} of [${all.join(', ')}]`,
      { expected: policy.minWitnesses, actual: names.length, cosignedBy: names },
    );
  }
  return names;
}
