/** RFC 6962 Certificate Transparency: signed tree heads and log answers. */
export { MAX_CONSISTENCY_HASHES, parseGetSthConsistencyResponse } from './consistency-response.ts';
export { findByLogId, logIdOf } from './log-id.ts';
export {
  type SthFields,
  treeHeadSignatureInput,
  type VerifiedSth,
  verifyDigitallySigned,
  verifyGetSthResponse,
  verifySth,
} from './sth.ts';
export {
  type DigitallySigned,
  decodeU64,
  encodeDigitallySigned,
  encodeU8,
  encodeU16,
  encodeU64,
  HASH_SHA256,
  hashAlgorithmName,
  parseDigitallySigned,
  SIG_ECDSA,
  SIG_RSA,
  signatureAlgorithmName,
} from './tls.ts';
