/**
 * Mints X.509 certificates for cases the real vectors do not cover (a CA and leaves for caRoots,
 * Fulcio extensions with chosen values, hostile shapes). Built with @peculiar/asn1-x509 and signed
 * with node:crypto ECDSA P-256 / SHA-256 (@peculiar/x509 itself needs a reflect-metadata polyfill
 * that is not installed).
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  Name,
  OtherName,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
} from '@peculiar/asn1-x509';

export interface MintedCert {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  readonly name: string;
}

export interface MintOptions {
  readonly commonName: string;
  readonly emails?: readonly string[];
  readonly uris?: readonly string[];
  readonly dnsNames?: readonly string[];
  /** SAN otherName values (UTF8String) with this type-id. */
  readonly otherNames?: readonly { readonly typeId: string; readonly value: string }[];
  /** Extensions as (OID, raw extnValue bytes). */
  readonly extensions?: readonly { readonly oid: string; readonly value: Uint8Array }[];
  readonly ca?: boolean;
  /** Issuer; self-signed when absent. */
  readonly issuer?: MintedCert;
  /** The subject's key pair; a new P-256 pair when absent. */
  readonly keys?: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
}

let serial = 1;

export function mintCertificate(o: MintOptions): MintedCert {
  const { privateKey, publicKey } = o.keys ?? generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const sigAlg = new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }); // ecdsa-with-SHA256
  const exts: Extension[] = [];
  if (o.ca !== undefined)
    exts.push(ext('2.5.29.19', AsnConvert.serialize(new BasicConstraints({ cA: o.ca })), true));
  const names: GeneralName[] = [
    ...(o.emails ?? []).map((e) => new GeneralName({ rfc822Name: e })),
    ...(o.dnsNames ?? []).map((d) => new GeneralName({ dNSName: d })),
    ...(o.uris ?? []).map((u) => new GeneralName({ uniformResourceIdentifier: u })),
    ...(o.otherNames ?? []).map(
      (n) =>
        new GeneralName({
          otherName: new OtherName({ typeId: n.typeId, value: utf8StringDer(n.value).buffer as ArrayBuffer }),
        }),
    ),
  ];
  if (names.length > 0) exts.push(ext('2.5.29.17', AsnConvert.serialize(new SubjectAlternativeName(names))));
  for (const e of o.extensions ?? []) exts.push(ext(e.oid, e.value));
  const tbs = new TBSCertificate({
    version: 2,
    serialNumber: new Uint8Array([serial++ & 0x7f || 1]).buffer,
    signature: sigAlg,
    issuer: name(o.issuer?.name ?? o.commonName),
    validity: new Validity({
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2034-01-01T00:00:00Z'),
    }),
    subject: name(o.commonName),
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    ...(exts.length > 0 ? { extensions: new Extensions(exts) } : {}),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, o.issuer?.privateKey ?? privateKey);
  const der = new Uint8Array(
    AsnConvert.serialize(
      new Certificate({
        tbsCertificate: tbs,
        signatureAlgorithm: sigAlg,
        signatureValue: new Uint8Array(signature).buffer,
      }),
    ),
  );
  return { der, pem: toPem(der), privateKey, spki, name: o.commonName };
}

/** A DER UTF8String (tag 0x0c), the encoding of Fulcio's extensions from 1.3.6.1.4.1.57264.1.8 on. */
export function utf8StringDer(text: string): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  if (body.length > 127) throw new Error('utf8StringDer: test values are short');
  return new Uint8Array([0x0c, body.length, ...body]);
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function ext(oid: string, value: ArrayBuffer | Uint8Array, critical = false): Extension {
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(bytes) });
}

function name(cn: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: cn }) }),
    ]),
  ]);
}
