/**
 * Signers of Rekor entries. The leaf is the entry's canonical JSON (Rekor v1: the body;
 * Rekor v2: the entry in the entry bundle), `{ kind, apiVersion, spec }`:
 *
 * Rekor v1 (sigstore/rekor pkg/types/<kind>/<version>), every key or certificate is base64 of PEM:
 * - hashedrekord 0.0.1: spec.signature.publicKey.content
 * - rekord 0.0.1: spec.signature.publicKey.content when spec.signature.format is "x509"
 *   (pgp, ssh and minisign keys are not read)
 * - dsse 0.0.1: spec.signatures[].verifier
 * - intoto 0.0.1: spec.publicKey; 0.0.2: spec.content.envelope.signatures[].publicKey
 * - cose 0.0.1: spec.publicKey
 * - rfc3161 0.0.1: a timestamp, no signer identity (no signers, nothing skipped)
 *
 * Rekor v2 (sigstore/protobuf-specs rekor/v2/entry.proto, JSON form): hashedrekord 0.0.2
 * spec.hashedRekordV002.signature.verifier, dsse 0.0.2 spec.dsseV002.signatures[].verifier, each
 * with publicKey.rawBytes (DER SubjectPublicKeyInfo) or x509Certificate.rawBytes (DER), base64.
 */
import { preview } from '../bytes.ts';
import { readCertificate } from './certificate.ts';
import { keySigner, signersFromBase64Pem } from './pem-signers.ts';
import type { EntrySigners, Signer } from './signer.ts';
import { LIMITS, unreadable } from './unreadable.ts';

type Json = Record<string, unknown>;

export function rekorV1Signers(leaf: Uint8Array): EntrySigners {
  const { kind, apiVersion, spec } = readEntryJson(leaf);
  const version = (v: string): boolean => apiVersion === v;
  switch (kind) {
    case 'hashedrekord':
      if (version('0.0.1'))
        return { entryType: kind, signers: pemAt(spec, ['signature', 'publicKey', 'content']) };
      break;
    case 'rekord':
      if (version('0.0.1')) {
        const format = at(spec, ['signature', 'format']);
        if (format !== 'x509') unreadable(`rekord ${describe(format)} keys are not read (only x509)`);
        return { entryType: kind, signers: pemAt(spec, ['signature', 'publicKey', 'content']) };
      }
      break;
    case 'dsse':
      if (version('0.0.1')) return { entryType: kind, signers: eachPem(spec, ['signatures'], ['verifier']) };
      break;
    case 'intoto':
      if (version('0.0.1')) return { entryType: kind, signers: pemAt(spec, ['publicKey']) };
      if (version('0.0.2'))
        return {
          entryType: kind,
          signers: eachPem(spec, ['content', 'envelope', 'signatures'], ['publicKey']),
        };
      break;
    case 'cose':
      if (version('0.0.1')) return { entryType: kind, signers: pemAt(spec, ['publicKey']) };
      break;
    case 'rfc3161':
      return { entryType: kind, signers: [] };
    default:
      unreadable(`Rekor v1 entry kind ${describe(kind)} is not read`);
  }
  return unreadable(`${describe(kind)} apiVersion ${describe(apiVersion)} is not read`);
}

export function rekorV2Signers(leaf: Uint8Array): EntrySigners {
  const { kind, apiVersion, spec } = readEntryJson(leaf);
  if (kind === 'hashedrekord' && apiVersion === '0.0.2')
    return {
      entryType: kind,
      signers: [v2Verifier(at(spec, ['hashedRekordV002', 'signature', 'verifier']))],
    };
  if (kind === 'dsse' && apiVersion === '0.0.2') {
    const sigs = listAt(spec, ['dsseV002', 'signatures']);
    return { entryType: kind, signers: sigs.map((s) => v2Verifier(at(s, ['verifier']))) };
  }
  return unreadable(`Rekor v2 entry ${describe(kind)} apiVersion ${describe(apiVersion)} is not read`);
}

function readEntryJson(leaf: Uint8Array): { kind: unknown; apiVersion: unknown; spec: unknown } {
  if (leaf.length > LIMITS.maxJsonBytes)
    unreadable(`entry of ${leaf.length} bytes is over the ${LIMITS.maxJsonBytes}-byte cap`);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('utf8'));
  } catch (e) {
    unreadable(`entry is not JSON: ${preview((e as Error).message, 120)}`);
  }
  if (!isObject(body)) unreadable('entry is not a JSON object');
  return { kind: body.kind, apiVersion: body.apiVersion, spec: body.spec };
}

/** Verifier { publicKey { rawBytes } | x509Certificate { rawBytes }, keyDetails } */
function v2Verifier(verifier: unknown): Signer {
  const cert = at(verifier, ['x509Certificate', 'rawBytes'], true);
  if (cert !== undefined)
    return { kind: 'certificate', cert: readCertificate(base64(cert, 'x509Certificate')), chain: () => [] };
  const key = at(verifier, ['publicKey', 'rawBytes'], true);
  if (key !== undefined) return keySigner(base64(key, 'publicKey'), 'publicKey.rawBytes');
  return unreadable('verifier has neither x509Certificate.rawBytes nor publicKey.rawBytes');
}

function pemAt(spec: unknown, path: readonly string[]): Signer[] {
  return signersFromBase64Pem(at(spec, path), `spec.${path.join('.')}`);
}

function eachPem(spec: unknown, listPath: readonly string[], itemPath: readonly string[]): Signer[] {
  const out: Signer[] = [];
  for (const item of listAt(spec, listPath)) {
    out.push(
      ...signersFromBase64Pem(at(item, itemPath), `spec.${listPath.join('.')}[].${itemPath.join('.')}`),
    );
    if (out.length > LIMITS.maxSigners) unreadable(`more than ${LIMITS.maxSigners} signers`);
  }
  return out;
}

function listAt(value: unknown, path: readonly string[]): readonly unknown[] {
  const list = at(value, path);
  if (!Array.isArray(list)) unreadable(`spec.${path.join('.')}: expected an array`);
  if (list.length > LIMITS.maxSigners)
    unreadable(`spec.${path.join('.')}: more than ${LIMITS.maxSigners} signers`);
  return list;
}

/** The value at `path` (own properties only); a missing step is unreadable unless `optional`. */
function at(value: unknown, path: readonly string[], optional = false): unknown {
  let v = value;
  for (const key of path) {
    if (!isObject(v) || !Object.hasOwn(v, key)) {
      if (optional) return undefined;
      unreadable(`missing ${path.join('.')}`);
    }
    v = v[key];
  }
  return v;
}

function base64(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string') unreadable(`${what}.rawBytes: expected base64 text`);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? preview(v, 40) : typeof v;
}
