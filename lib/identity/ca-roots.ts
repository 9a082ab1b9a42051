/**
 * `caRoots`: a certificate that does not chain to one of them is not a match (docs/contracts.md, "Identity
 * monitoring"). Signatures and issuer links are checked with node:crypto's X509Certificate
 * (OpenSSL): `checkIssued` (issuer name, key identifiers, keyCertSign when keyUsage is present),
 * `ca` (basicConstraints cA) and `verify` (the signature). Validity periods are not checked: a
 * monitor reads entries logged years ago, when their certificates were valid.
 *
 * Every certificate in caRoots is a trust anchor, so a bundle can hold intermediates (Fulcio's
 * leaf certificates are issued by an intermediate, and Rekor entries carry no chain). Chains are
 * built from the certificates that came with the entry (a PEM bundle, CT extra_data) and caRoots.
 *
 * A precertificate TBS carries no signature; its issuer_key_hash (signed by the log) names the CA
 * that issues the final certificate. It is under caRoots when that CA is an anchor, or a
 * certificate of the entry's chain that chains to one.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { bytesEqual } from '../bytes.ts';
import { TlogError } from '../errors.ts';

/** The certificates of a PEM bundle; throws (with the block number) when one does not parse. */
export function parseCaBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (e) {
      throw new TlogError(
        'config/invalid',
        `certificate ${i + 1} of ${blocks.length} does not parse: ${(e as Error).message}`,
      );
    }
  });
}

export class CaRoots {
  private readonly anchors: readonly X509Certificate[];
  private readonly anchorKeyHashes: readonly Uint8Array[];

  constructor(pem: string) {
    this.anchors = parseCaBundle(pem);
    this.anchorKeyHashes = this.anchors.map(keyHash);
  }

  /** True when `der` is an anchor, or chains to one through `chain` (each link verified). */
  certificateChains(der: Uint8Array, chain: readonly Uint8Array[]): boolean {
    const cert = parse(der);
    if (cert === undefined) return false;
    if (this.anchors.some((a) => bytesEqual(a.raw, der))) return true;
    return this.chainsUp(
      cert,
      chain.map(parse).filter((c) => c !== undefined),
    );
  }

  /** True when the CA whose key hashes to `issuerKeyHash` is an anchor or chains to one through `chain`. */
  issuerKeyChains(issuerKeyHash: Uint8Array, chain: readonly Uint8Array[]): boolean {
    if (this.anchorKeyHashes.some((h) => bytesEqual(h, issuerKeyHash))) return true;
    const certs = chain.map(parse).filter((c) => c !== undefined);
    const ca = certs.find((c) => c.ca && bytesEqual(keyHash(c), issuerKeyHash));
    return ca !== undefined && this.chainsUp(ca, certs);
  }

  /**
   * Depth-first search over verified "issued by" links, each certificate explored once: a pool of
   * certificates that issue one another (one name, one key) costs at most pool² signature checks,
   * not one per path.
   */
  private chainsUp(start: X509Certificate, pool: readonly X509Certificate[]): boolean {
    const explored = new Set<X509Certificate>();
    const visit = (cert: X509Certificate): boolean => {
      if (this.anchors.some((anchor) => issuedBy(cert, anchor))) return true;
      explored.add(cert);
      return pool.some((next) => !explored.has(next) && issuedBy(cert, next) && visit(next));
    };
    return visit(start);
  }
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false; // a key type OpenSSL cannot use: not a verified link
  }
}

function parse(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** SHA-256 of the certificate's SubjectPublicKeyInfo; empty when OpenSSL cannot export the key. */
function keyHash(cert: X509Certificate): Uint8Array {
  try {
    return createHash('sha256')
      .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
      .digest();
  } catch {
    return new Uint8Array(0);
  }
}
