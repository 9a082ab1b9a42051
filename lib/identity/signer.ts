/** Who signed an entry, as the entry itself says (before any matcher or caRoots check). */
import type { CertificateView } from './certificate.ts';

export type Signer =
  | {
      readonly kind: 'certificate';
      readonly cert: CertificateView;
      /** Certificates that came with it (a PEM bundle, CT extra_data), unverified; read on demand. */
      readonly chain: () => readonly Uint8Array[];
    }
  | {
      readonly kind: 'precertificate';
      /** The precertificate's TBSCertificate from the CT leaf (RFC 6962 §3.2). */
      readonly cert: CertificateView;
      /** SHA-256 of the SubjectPublicKeyInfo of the CA that issues the final certificate (RFC 6962 §3.2). */
      readonly issuerKeyHash: Uint8Array;
      readonly chain: () => readonly Uint8Array[];
    }
  | {
      readonly kind: 'key';
      /** A bare public key: its DER SubjectPublicKeyInfo. */
      readonly spki: Uint8Array;
    };

export interface EntrySigners {
  /** The entry's type as its log names it: hashedrekord, dsse, intoto, rekord, cose, x509_entry, precert_entry. */
  readonly entryType: string;
  readonly signers: readonly Signer[];
}
