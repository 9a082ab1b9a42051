/**
 * What the matchers read from an X.509 certificate or a CT precertificate's TBSCertificate
 * (RFC 5280 §4.1): the subject, the SubjectPublicKeyInfo and the extensions, located without
 * decoding anything else. Values are decoded on demand (certificate-names.ts), so an entry that
 * no rule needs more of costs one walk over the TBS headers.
 */
import { contentsEqual, readChildren, readWhole, TAG, type Tlv } from './der-text.ts';
import { LIMITS, unreadable } from './unreadable.ts';

export interface Extension {
  /** The extnID element. */
  readonly oid: Tlv;
  /** The extnValue OCTET STRING element (its contents are the value). */
  readonly value: Tlv;
}

export interface CertificateView {
  /** The buffer every element below is in: the certificate, or the TBS for a precertificate. */
  readonly buf: Uint8Array;
  /** The whole certificate; absent for a precertificate TBS, which carries no signature. */
  readonly der?: Uint8Array;
  /** The subject Name. */
  readonly subject: Tlv;
  /** The SubjectPublicKeyInfo. */
  readonly spki: Tlv;
  readonly extensions: readonly Extension[];
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1). */
export function readCertificate(der: Uint8Array): CertificateView {
  if (der.length > LIMITS.maxCertBytes)
    unreadable(`certificate of ${der.length} bytes is over the ${LIMITS.maxCertBytes}-byte cap`);
  const parts = readChildren(der, readWhole(der, TAG.sequence, 'certificate'), 3, 'certificate');
  const tbs = parts[0];
  if (parts.length !== 3 || tbs === undefined || tbs.tag !== TAG.sequence)
    unreadable('certificate: expected SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }');
  return { buf: der, der, ...readTbsFields(der, tbs) };
}

/** A precertificate's TBSCertificate, as a CT precert_entry carries it (RFC 6962 §3.2). */
export function readTbs(tbs: Uint8Array): CertificateView {
  if (tbs.length > LIMITS.maxCertBytes)
    unreadable(`TBSCertificate of ${tbs.length} bytes is over the ${LIMITS.maxCertBytes}-byte cap`);
  return { buf: tbs, ...readTbsFields(tbs, readWhole(tbs, TAG.sequence, 'TBSCertificate')) };
}

/** The SubjectPublicKeyInfo's DER, tag and length included. */
export function spkiBytes(cert: CertificateView): Uint8Array {
  return cert.buf.subarray(cert.spki.header, cert.spki.end);
}

/**
 * TBSCertificate ::= SEQUENCE { version [0] OPTIONAL, serialNumber, signature, issuer, validity,
 * subject, subjectPublicKeyInfo, issuerUniqueID [1] OPTIONAL, subjectUniqueID [2] OPTIONAL,
 * extensions [3] OPTIONAL }
 */
function readTbsFields(buf: Uint8Array, tbs: Tlv): Omit<CertificateView, 'buf' | 'der'> {
  const fields = readChildren(buf, tbs, 10, 'TBSCertificate');
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // version [0] EXPLICIT
  const [serial, , issuer, validity, subject, spki] = fields.slice(i, i + 6);
  if (
    serial?.tag !== TAG.integer ||
    issuer?.tag !== TAG.sequence ||
    validity?.tag !== TAG.sequence ||
    subject?.tag !== TAG.sequence ||
    spki?.tag !== TAG.sequence
  )
    unreadable(
      'TBSCertificate: fields are not serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo',
    );
  let extensions: Extension[] = [];
  for (i += 6; i < fields.length; i++) {
    const f = fields[i] as Tlv;
    if (f.tag === 0xa3) extensions = readExtensions(buf, f);
    else if (f.tag !== 0x81 && f.tag !== 0x82 && f.tag !== 0xa1 && f.tag !== 0xa2)
      unreadable(`TBSCertificate: unexpected field with tag 0x${f.tag.toString(16)}`);
  }
  return { subject, spki, extensions };
}

/** extensions [3] EXPLICIT SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue } */
function readExtensions(buf: Uint8Array, explicit: Tlv): Extension[] {
  const [seq, extra] = readChildren(buf, explicit, 2, 'extensions');
  if (seq?.tag !== TAG.sequence || extra !== undefined) unreadable('extensions: expected one SEQUENCE');
  const out: Extension[] = [];
  for (const ext of readChildren(buf, seq, LIMITS.maxExtensions, 'extensions')) {
    if (ext.tag !== TAG.sequence) unreadable('extension: not a SEQUENCE');
    const [id, second, third] = readChildren(buf, ext, 3, 'extension');
    const value = third ?? second;
    if (
      id?.tag !== TAG.oid ||
      value?.tag !== TAG.octetString ||
      (third !== undefined && second?.tag !== TAG.boolean)
    )
      unreadable(
        'extension: expected SEQUENCE { extnID, critical BOOLEAN OPTIONAL, extnValue OCTET STRING }',
      );
    out.push({ oid: id, value });
  }
  return out;
}

/**
 * The extnValue element of the extension with this OID, or undefined. RFC 5280 §4.2 allows one
 * instance of an extension per certificate; a certificate with two is unreadable rather than read
 * either way.
 */
export function extensionValue(cert: CertificateView, oid: Uint8Array): Tlv | undefined {
  let found: Tlv | undefined;
  for (const ext of cert.extensions) {
    if (!contentsEqual(cert.buf, ext.oid, oid)) continue;
    if (found !== undefined) unreadable('certificate has the same extension twice (RFC 5280 §4.2)');
    found = ext.value;
  }
  return found;
}
