/**
 * RFC 6962 Certificate Transparency log client: GET /ct/v1/get-sth (§4.3) and
 * GET /ct/v1/get-sth-consistency (§4.4). The head is the get-sth JSON itself; its
 * TreeHeadSignature is verified with the pinned key before any field is used.
 */

import { parseGetSthConsistencyResponse } from '../ct/consistency-response.ts';
import { verifyGetSthResponse } from '../ct/sth.ts';
import type { HttpClient } from '../http/ports.ts';
import type { PublicKey } from '../keys/public-key.ts';
import type { LogClient, LogView, ReceivedProof, VerifiedHead } from './log-client.ts';
import { readJsonText, requireP256, requirePossibleHead, withReceived } from './response.ts';

export interface CtOptions {
  /** Base URL of the log, e.g. https://ctfe.sigstore.dev/2022 (no trailing slash). */
  readonly url: string;
  readonly key: PublicKey;
  readonly http: HttpClient;
}

const MAX_STH_BYTES = 16 << 10;
const MAX_PROOF_BYTES = 64 << 10;

export function ctClient(options: CtOptions): LogClient {
  requireP256(options.key, 'ct');
  const verifyHead = (signed: string): VerifiedHead => {
    const sth = withReceived(signed, () => {
      const verified = verifyGetSthResponse(signed, options.key);
      requirePossibleHead(verified.treeSize, verified.rootHash);
      return verified;
    });
    return {
      size: sth.treeSize,
      rootHash: sth.rootHash,
      signed,
      origin: options.url,
      timestamp: sth.timestamp,
    };
  };
  return {
    type: 'ct',

    async fetchView(): Promise<LogView> {
      return {
        head: verifyHead(await readJsonText(options.http, `${options.url}/ct/v1/get-sth`, MAX_STH_BYTES)),
      };
    },

    async fetchConsistencyProof(first: VerifiedHead, second: VerifiedHead): Promise<ReceivedProof> {
      const url = `${options.url}/ct/v1/get-sth-consistency?first=${first.size}&second=${second.size}`;
      const raw = await readJsonText(options.http, url, MAX_PROOF_BYTES);
      return { hashes: parseGetSthConsistencyResponse(raw), raw };
    },

    verifyStoredHead: verifyHead,
  };
}
