/**
 * RFC 6962 signed tree heads: the signed structure (§3.5), its TLS `DigitallySigned` signature
 * (RFC 5246 §4.7) and the `get-sth` answer (§4.3).
 *
 * Only what real CT logs use is supported: hash sha256 (4) with signature ecdsa (3) and a pinned
 * ECDSA P-256 key. Anything else is refused with 'ct/unsupported-algorithm' (never silently
 * treated as a bad or a good signature).
 */
import { toBase64 } from '../bytes.ts';
import { isTlogError, TlogError } from '../errors.ts';
import { asObject, getBase64, getBigInt, U64_MAX } from '../json/access.ts';
import { parseJson } from '../json/parse.ts';
import type { PublicKey } from '../keys/public-key.ts';
import { verifyP256 } from '../keys/signature.ts';
import { logIdOf } from './log-id.ts';
import {
  encodeU64,
  HASH_SHA256,
  hashAlgorithmName,
  parseDigitallySigned,
  SIG_ECDSA,
  signatureAlgorithmName,
} from './tls.ts';

/** RFC 6962 §3.2 `Version` v1 and §3.5 `SignatureType` tree_hash. */
const VERSION_V1 = 0x00;
const SIGNATURE_TYPE_TREE_HASH = 0x01;
const HASH_SIZE = 32;

/** A tree head whose signature verified with the pinned key. */
export interface VerifiedSth {
  readonly treeSize: bigint;
  /** Milliseconds since the epoch, as the log signed it. */
  readonly timestamp: bigint;
  readonly rootHash: Uint8Array;
  /** The TLS-encoded `DigitallySigned`, as received. */
  readonly treeHeadSignature: Uint8Array;
  /** The get-sth body exactly as received (evidence). */
  readonly raw: string;
}

export interface SthFields {
  readonly timestamp: bigint;
  readonly treeSize: bigint;
  readonly rootHash: Uint8Array;
  readonly treeHeadSignature: Uint8Array;
}

/**
 * The bytes a log signs for a tree head (RFC 6962 §3.5 `TreeHeadSignature`):
 * version v1 (0x00) ‖ signature_type tree_hash (0x01) ‖ u64 timestamp ‖ u64 tree_size ‖ root (32).
 */
export function treeHeadSignatureInput(
  timestamp: bigint,
  treeSize: bigint,
  rootHash: Uint8Array,
): Uint8Array {
  if (rootHash.length !== HASH_SIZE) {
    throw new TlogError('ct/malformed', `root hash: expected ${HASH_SIZE} bytes, got ${rootHash.length}`);
  }
  const out = new Uint8Array(2 + 8 + 8 + HASH_SIZE);
  out[0] = VERSION_V1;
  out[1] = SIGNATURE_TYPE_TREE_HASH;
  out.set(encodeU64(timestamp), 2);
  out.set(encodeU64(treeSize), 10);
  out.set(rootHash, 18);
  return out;
}

/**
 * Verifies a TLS `DigitallySigned` over `message` with a pinned key.
 * Throws 'ct/malformed' (bad encoding), 'ct/unsupported-algorithm' (anything but sha256+ecdsa
 * with a P-256 key) or 'ct/bad-signature'. Returns only if the signature verified.
 */
export function verifyDigitallySigned(
  key: PublicKey,
  message: Uint8Array,
  digitallySigned: Uint8Array,
): void {
  const ds = parseDigitallySigned(digitallySigned);
  const found = `hash ${hashAlgorithmName(ds.hashAlgorithm)} with signature ${signatureAlgorithmName(ds.signatureAlgorithm)}`;
  if (ds.hashAlgorithm !== HASH_SHA256 || ds.signatureAlgorithm !== SIG_ECDSA) {
    throw new TlogError(
      'ct/unsupported-algorithm',
      `DigitallySigned uses ${found}; only sha256 (4) with ecdsa (3) and a P-256 key is supported`,
      { hashAlgorithm: ds.hashAlgorithm, signatureAlgorithm: ds.signatureAlgorithm },
    );
  }
  if (key.kind !== 'p256') {
    throw new TlogError(
      'ct/unsupported-algorithm',
      `DigitallySigned uses ${found} but the pinned key is ${key.kind}; a CT log needs an ECDSA P-256 key`,
      { keyKind: key.kind },
    );
  }
  if (!verifyP256(key.point, message, ds.signature)) {
    const logId = toBase64(logIdOf(key));
    throw new TlogError(
      'ct/bad-signature',
      `signature does not verify with the pinned key (log id ${logId})`,
      {
        logId,
      },
    );
  }
}

/** Verifies an already decoded tree head (RFC 6962 §3.5) with the pinned key. */
export function verifySth(sth: SthFields, key: PublicKey): void {
  const input = treeHeadSignatureInput(sth.timestamp, sth.treeSize, sth.rootHash);
  try {
    verifyDigitallySigned(key, input, sth.treeHeadSignature);
  } catch (e) {
    if (isTlogError(e, 'ct/malformed')) {
      throw new TlogError('ct/malformed', `tree_head_signature: ${e.message}`, e.details, { cause: e });
    }
    if (isTlogError(e, 'ct/bad-signature')) {
      throw new TlogError(
        'ct/bad-signature',
        `tree head (size ${sth.treeSize}, timestamp ${sth.timestamp}, root ${toBase64(sth.rootHash)}): ${e.message}`,
        { ...e.details, treeSize: sth.treeSize.toString(), timestamp: sth.timestamp.toString() },
        { cause: e },
      );
    }
    throw e;
  }
}

/**
 * Parses a `get-sth` answer (RFC 6962 §4.3) strictly and verifies its signature with the pinned
 * key before returning anything. `tree_size` and `timestamp` must be integer literals in u64 range
 * (kept exact as bigint), `sha256_root_hash` base64 of exactly 32 bytes, `tree_head_signature`
 * base64 of a `DigitallySigned`. Unknown fields are ignored; duplicate fields are refused.
 *
 * Throws 'ct/malformed', 'ct/unsupported-algorithm' or 'ct/bad-signature'.
 */
export function verifyGetSthResponse(body: string, key: PublicKey): VerifiedSth {
  let sth: SthFields;
  try {
    const obj = asObject(parseJson(body), '');
    sth = {
      treeSize: getBigInt(obj, 'tree_size', '', { max: U64_MAX }),
      timestamp: getBigInt(obj, 'timestamp', '', { max: U64_MAX }),
      rootHash: getBase64(obj, 'sha256_root_hash', '', HASH_SIZE),
      treeHeadSignature: getBase64(obj, 'tree_head_signature', ''),
    };
  } catch (e) {
    if (isTlogError(e, 'response/malformed')) {
      throw new TlogError('ct/malformed', `get-sth: ${e.message}`, e.details, { cause: e });
    }
    throw e;
  }
  verifySth(sth, key);
  return { ...sth, raw: body };
}
