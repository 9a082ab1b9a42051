/**
 * The names a certificate gives its holder, decoded on demand: subject alternative names
 * (RFC 5280 §4.2.1.6), the subject's commonName and emailAddress, the Fulcio OIDC issuer and other
 * extension values as text.
 */
import { type CertificateView, extensionValue } from './certificate.ts';
import { contentsEqual, derString, readChildren, readTlv, TAG, type Tlv, textAt } from './der-text.ts';
import { FULCIO_ISSUER_V1, FULCIO_ISSUER_V2 } from './fulcio-oids.ts';
import { knownOid } from './oid.ts';
import { LIMITS, unreadable } from './unreadable.ts';

const SAN = knownOid('2.5.29.17');
const ISSUER_V1 = knownOid(FULCIO_ISSUER_V1);
const ISSUER_V2 = knownOid(FULCIO_ISSUER_V2);
const COMMON_NAME = knownOid('2.5.4.3');
const EMAIL_ADDRESS = knownOid('1.2.840.113549.1.9.1');

/**
 * Every SAN value that names the holder: rfc822Name [1], dNSName [2] and uniformResourceIdentifier
 * [6] (IA5String), and an otherName [0] whose value is a DER string (Fulcio's username,
 * 1.3.6.1.4.1.57264.1.7, is a UTF8String). IP addresses, directory names and the rest are not
 * identities here and are passed over.
 */
export function subjectAltNames(cert: CertificateView): string[] {
  const ext = extensionValue(cert, SAN);
  if (ext === undefined) return [];
  const { buf } = cert;
  const seq = inner(buf, ext, 'subjectAltName');
  if (seq.tag !== TAG.sequence) unreadable('subjectAltName: not a SEQUENCE');
  const names: string[] = [];
  for (const gn of readChildren(buf, seq, LIMITS.maxSubjectAltNames, 'subjectAltName')) {
    let name: string | undefined;
    if (gn.tag === 0x81 || gn.tag === 0x82 || gn.tag === 0x86) name = textAt(buf, gn.start, gn.end, 'latin1');
    else if (gn.tag === 0xa0) name = otherNameText(buf, gn);
    if (name !== undefined) names.push(bounded(name, 'subject alternative name'));
  }
  return names;
}

/** otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } (IMPLICIT [0] on the SEQUENCE). */
function otherNameText(buf: Uint8Array, gn: Tlv): string | undefined {
  const [typeId, explicit, extra] = readChildren(buf, gn, 2, 'otherName');
  if (typeId?.tag !== TAG.oid || explicit?.tag !== 0xa0 || extra !== undefined)
    unreadable('otherName: expected { type-id, [0] value }');
  const [value] = readChildren(buf, explicit, 1, 'otherName value');
  return value === undefined ? undefined : derString(buf, value);
}

/** The subject's commonName and emailAddress attribute values (RFC 5280 §4.1.2.6, RFC 2985). */
export function subjectNames(cert: CertificateView): string[] {
  const { buf } = cert;
  const names: string[] = [];
  for (const rdn of readChildren(buf, cert.subject, 64, 'subject')) {
    if (rdn.tag !== TAG.set) unreadable('subject: RelativeDistinguishedName is not a SET');
    for (const atv of readChildren(buf, rdn, 16, 'subject RDN')) {
      const [type, value] = atv.tag === TAG.sequence ? readChildren(buf, atv, 2, 'subject attribute') : [];
      if (type?.tag !== TAG.oid || value === undefined)
        unreadable('subject: AttributeTypeAndValue is not { type, value }');
      if (!contentsEqual(buf, type, COMMON_NAME) && !contentsEqual(buf, type, EMAIL_ADDRESS)) continue;
      const text = derString(buf, value);
      if (text !== undefined) names.push(bounded(text, 'subject attribute'));
    }
  }
  return names;
}

/**
 * The Fulcio OIDC issuer: 1.3.6.1.4.1.57264.1.8 (a DER UTF8String), else the deprecated .1.1
 * (the URL as raw bytes).
 */
export function fulcioIssuer(cert: CertificateView): string | undefined {
  return extensionText(cert, ISSUER_V2, false) ?? extensionText(cert, ISSUER_V1, true);
}

/**
 * An extension's value as text: the raw bytes as UTF-8 for the deprecated Fulcio extensions
 * (`raw`), else the DER string it holds. Undefined when the certificate lacks the extension or the
 * value is not a single DER string.
 */
export function extensionText(cert: CertificateView, oid: Uint8Array, raw: boolean): string | undefined {
  const value = extensionValue(cert, oid);
  if (value === undefined) return undefined;
  const { buf } = cert;
  if (raw) return bounded(textAt(buf, value.start, value.end, 'utf8'), 'extension value');
  let element: Tlv;
  try {
    element = inner(buf, value, 'extension value');
  } catch {
    return undefined; // not a single DER element: not a string value
  }
  const text = derString(buf, element);
  return text === undefined ? undefined : bounded(text, 'extension value');
}

/** The one element that fills an OCTET STRING's contents. */
function inner(buf: Uint8Array, octets: Tlv, what: string): Tlv {
  const e = readTlv(buf, octets.start, octets.end);
  if (e.end !== octets.end) unreadable(`${what}: bytes after the DER element`);
  return e;
}

function bounded(text: string, what: string): string {
  if (text.length > LIMITS.maxNameChars)
    unreadable(`${what} of ${text.length} characters is over the ${LIMITS.maxNameChars}-character cap`);
  return text;
}
