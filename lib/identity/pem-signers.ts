/**
 * Signers from PEM text (RFC 7468): a certificate with the certificates after it as its chain, or
 * a bare public key. Rekor v1 stores every verifier this way, base64-encoded once more in the body.
 */
import { preview } from '../bytes.ts';
import { readCertificate } from './certificate.ts';
import { readWhole, TAG } from './der-text.ts';
import type { Signer } from './signer.ts';
import { LIMITS, unreadable } from './unreadable.ts';

/** Signers from a base64-encoded PEM field of a Rekor v1 body. */
export function signersFromBase64Pem(field: unknown, path: string): Signer[] {
  if (typeof field !== 'string') unreadable(`${path}: expected base64 PEM text, got ${typeof field}`);
  return signersFromPem(Buffer.from(field, 'base64').toString('latin1'), path);
}

/**
 * Every CERTIFICATE block after the first is the first one's chain; every PUBLIC KEY block is a key.
 * Any other block (PGP, SSH, an RSA PUBLIC KEY) is not read.
 */
export function signersFromPem(text: string, path: string): Signer[] {
  const certs: Uint8Array[] = [];
  const signers: Signer[] = [];
  let at = 0;
  for (let blocks = 0; ; blocks++) {
    const begin = text.indexOf('-----BEGIN ', at);
    if (begin < 0) break;
    if (blocks === LIMITS.maxPemBlocks) unreadable(`${path}: more than ${LIMITS.maxPemBlocks} PEM blocks`);
    const labelEnd = text.indexOf('-----', begin + 11);
    const label = labelEnd < 0 ? '' : text.slice(begin + 11, labelEnd);
    if (label.length === 0 || label.length > 40) unreadable(`${path}: malformed PEM BEGIN line`);
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, labelEnd + 5);
    if (end < 0) unreadable(`${path}: PEM block ${preview(label)} has no END line`);
    const der = new Uint8Array(Buffer.from(text.slice(labelEnd + 5, end), 'base64'));
    if (label === 'CERTIFICATE') certs.push(der);
    else if (label === 'PUBLIC KEY') signers.push(keySigner(der, path));
    else unreadable(`${path}: PEM block ${preview(label)} is not read (only CERTIFICATE and PUBLIC KEY)`);
    at = end + endLine.length;
  }
  const [leaf, ...chain] = certs;
  if (leaf !== undefined) {
    if (chain.length > LIMITS.maxChainCerts)
      unreadable(`${path}: more than ${LIMITS.maxChainCerts} certificates in the chain`);
    signers.unshift({ kind: 'certificate', cert: readCertificate(leaf), chain: () => chain });
  }
  if (signers.length === 0) unreadable(`${path}: no PEM CERTIFICATE or PUBLIC KEY block`);
  return signers;
}

/** A bare key: one DER SubjectPublicKeyInfo SEQUENCE. */
export function keySigner(spki: Uint8Array, path: string): Signer {
  if (spki.length > LIMITS.maxCertBytes)
    unreadable(`${path}: public key of ${spki.length} bytes is over the ${LIMITS.maxCertBytes}-byte cap`);
  readWhole(spki, TAG.sequence, `${path}: SubjectPublicKeyInfo`);
  return { kind: 'key', spki };
}
