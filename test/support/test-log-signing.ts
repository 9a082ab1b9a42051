/**
 * Test-only signing for the in-repo test logs, written with node:crypto and sharing nothing with
 * lib/note or lib/ct (so a bug there cannot hide behind the same bug here):
 *  - Rekor v1 checkpoints: a signed note (c2sp.org/signed-note) whose body is a checkpoint
 *    (c2sp.org/tlog-checkpoint) plus Rekor's `Timestamp:` extension line, signed with ECDSA P-256
 *    over the body; key hint = SHA-256(SPKI DER)[:4] as Rekor does.
 *  - RFC 6962 §3.5 signed tree heads: ECDSA P-256 over TreeHeadSignature, wrapped in a TLS
 *    DigitallySigned (RFC 5246 §4.7: hash sha256(4), signature ecdsa(3), u16 length, DER).
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export interface TestSigner {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  readonly publicKeyPem: string;
  /** SHA-256(SPKI DER)[:4], Rekor's checkpoint key hint. */
  readonly keyHint: Uint8Array;
  /** SHA-256(SPKI DER), the RFC 6962 log ID. */
  readonly logId: Uint8Array;
}

export function generateP256Signer(): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const logId = sha256(spki);
  return {
    privateKey,
    publicKey,
    spki,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyHint: logId.slice(0, 4),
    logId,
  };
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** ECDSA P-256 with SHA-256, DER-encoded signature (node:crypto's default encoding). */
export function signP256(signer: TestSigner, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign('sha256', message, signer.privateKey));
}

/**
 * A Rekor checkpoint body: origin, decimal size, base64 root (c2sp.org/tlog-checkpoint), then
 * Rekor's extension line `Timestamp: <unix ns>`; every line ends in a newline.
 */
export function rekorCheckpointBody(
  origin: string,
  size: number,
  root: Uint8Array,
  timestampNs: bigint,
): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\nTimestamp: ${timestampNs}\n`;
}

/**
 * Signs a note body (c2sp.org/signed-note): body, a blank line, then
 * `— <name> <base64(key hint ‖ signature)>`. `hint` defaults to the signer's own key hint;
 * passing another key's hint makes a line that claims that key but does not verify with it.
 */
export function signNote(body: string, name: string, signer: TestSigner, hint = signer.keyHint): string {
  const sig = signP256(signer, new TextEncoder().encode(body));
  const blob = Buffer.concat([Buffer.from(hint), Buffer.from(sig)]).toString('base64');
  return `${body}\n\u2014 ${name} ${blob}\n`;
}

/** RFC 6962 §3.5 TreeHeadSignature: version v1(0), signature_type tree_hash(1), u64 timestamp, u64 tree_size, root. */
export function treeHeadSignatureInput(timestampMs: bigint, size: bigint, root: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + 8 + 8 + 32);
  const view = new DataView(out.buffer);
  out[0] = 0; // Version v1
  out[1] = 1; // SignatureType tree_hash
  view.setBigUint64(2, timestampMs);
  view.setBigUint64(10, size);
  out.set(root, 18);
  return out;
}

/** RFC 5246 §4.7 DigitallySigned with SHA-256 (4) and ECDSA (3). */
export function digitallySigned(derSignature: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + derSignature.length);
  out[0] = 4;
  out[1] = 3;
  out[2] = derSignature.length >> 8;
  out[3] = derSignature.length & 0xff;
  out.set(derSignature, 4);
  return out;
}

/** The RFC 6962 §4.3 get-sth response body. */
export interface GetSthJson {
  tree_size: number;
  timestamp: number;
  sha256_root_hash: string;
  tree_head_signature: string;
}

export function signSth(signer: TestSigner, timestampMs: number, size: number, root: Uint8Array): GetSthJson {
  const input = treeHeadSignatureInput(BigInt(timestampMs), BigInt(size), root);
  return {
    tree_size: size,
    timestamp: timestampMs,
    sha256_root_hash: Buffer.from(root).toString('base64'),
    tree_head_signature: Buffer.from(digitallySigned(signP256(signer, input))).toString('base64'),
  };
}
