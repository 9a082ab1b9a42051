/**
 * Rekor v1 log client (sigstore/rekor openapi: GET /api/v1/log, GET /api/v1/log/proof).
 *
 * The head is the signed note in `signedTreeHead` (c2sp.org/signed-note, ECDSA P-256 with
 * Rekor's key hint SHA-256(SPKI)[:4]); its origin is "<signer name> - <treeID>". The unsigned
 * JSON fields (treeSize, rootHash, treeID) must agree with it, or the answer is rejected.
 */
import { bytesEqual, fromHex, toHex } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import {
  asObject,
  asString,
  getBigInt,
  getOptionalArray,
  getString,
  type JsonObject,
  U64_MAX,
} from '../json/access.ts';
import { parseJson } from '../json/parse.ts';
import type { PublicKey } from '../keys/public-key.ts';
import { verifyCheckpoint } from '../note/checkpoint.ts';
import { ecdsaNoteVerifier } from '../note/ecdsa-verifier.ts';
import type { NoteVerifier } from '../note/verifier.ts';
import type { LogClient, LogView, ReceivedProof, VerifiedHead } from './log-client.ts';
import { readJsonText, requireP256, withReceived } from './response.ts';

export interface RekorV1Options {
  /** Base URL, e.g. https://rekor.sigstore.dev (no trailing slash). */
  readonly url: string;
  readonly key: PublicKey;
  /** The keys of other shards (a trusted root's `publicKeys`): a head verifies with whichever signed it. */
  readonly shardKeys?: readonly PublicKey[];
  readonly http: HttpClient;
  /** Checkpoint signer name and origin prefix; defaults to the URL's host name. */
  readonly signerName?: string;
}

/** Largest /api/v1/log answer accepted (it lists every inactive shard's signed head). */
const MAX_LOG_INFO_BYTES = 1 << 20;
/** A consistency proof has at most 2·64 hashes of 64 hex chars; this is generous. */
const MAX_PROOF_BYTES = 64 << 10;

export function rekorV1Client(options: RekorV1Options): LogClient {
  const keys = [options.key, ...(options.shardKeys ?? [])];
  for (const k of keys) requireP256(k, 'rekor-v1');
  const name = options.signerName ?? new URL(options.url).hostname;
  const verifiers: readonly NoteVerifier[] = keys.map((k) => ecdsaNoteVerifier(name, k));

  /** Verify, then parse: the signature is checked before any field of the note is used. */
  const verifyHead = (signed: string): VerifiedHead => {
    // Rekor signs "<hostname> - <treeID>": the shard comes from the signed origin only (an
    // origin without it would leave the shard to the unsigned treeID field, and a stored head
    // read back could then never be matched to its shard).
    const { checkpoint } = withReceived(signed, () =>
      verifyCheckpoint(
        signed,
        verifiers,
        (origin) => origin.startsWith(`${name} - `) && /^\S+$/.test(origin.slice(name.length + 3)),
      ),
    );
    const shard = checkpoint.origin.slice(name.length + 3);
    return {
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      signed,
      origin: checkpoint.origin,
      shard,
    };
  };

  /** One entry of the log info (the active tree, or an inactive shard), cross-checked. */
  const verifyTreeInfo = (info: JsonObject, path: string): VerifiedHead => {
    const signed = getString(info, 'signedTreeHead', path);
    const treeId = getString(info, 'treeID', path);
    const head = verifyHead(signed);
    const size = getBigInt(info, 'treeSize', path, { min: 0n, max: U64_MAX });
    const rootHex = getString(info, 'rootHash', path);
    const mismatch: string[] = [];
    if (size !== head.size) mismatch.push(`treeSize ${size} but the signed head says ${head.size}`);
    if (!/^[0-9a-fA-F]{64}$/.test(rootHex) || !bytesEqual(fromHex(rootHex), head.rootHash)) {
      mismatch.push(`rootHash ${rootHex} but the signed head says ${toHex(head.rootHash)}`);
    }
    if (head.shard !== treeId)
      mismatch.push(`treeID ${treeId} but the signed origin names shard ${head.shard}`);
    if (mismatch.length > 0) {
      throw new TlogError(
        'response/mismatch',
        `${path}: unsigned fields disagree with the signed head: ${mismatch.join('; ')}`,
        {
          received: signed,
        },
      );
    }
    return head;
  };

  return {
    type: 'rekor-v1',

    async fetchView(): Promise<LogView> {
      const text = await readJsonText(options.http, `${options.url}/api/v1/log`, MAX_LOG_INFO_BYTES);
      const info = asObject(parseJson(text), 'log info');
      const head = verifyTreeInfo(info, 'log info');
      const inactive: VerifiedHead[] = [];
      const unverified = new Map<string, Error>();
      // Each shard appears once: a retired shard listed twice, or the active one listed as
      // retired, is a self-contradicting answer (which final head would count?).
      const seen = new Set([head.shard]);
      for (const [i, entry] of (getOptionalArray(info, 'inactiveShards', 'log info') ?? []).entries()) {
        const path = `inactiveShards[${i}]`;
        const shard = asObject(entry, path);
        const treeId = getString(shard, 'treeID', path);
        if (seen.has(treeId)) {
          throw new TlogError(
            'response/mismatch',
            `${path}: shard ${treeId} is listed more than once (as active or inactive)`,
            { received: text },
          );
        }
        seen.add(treeId);
        try {
          inactive.push(verifyTreeInfo(shard, path));
        } catch (e) {
          // Signed by another key or signer name (a retired key): kept aside, never trusted.
          if (!(e instanceof TlogError && SIGNATURE_ERRORS.has(e.code))) throw e;
          unverified.set(treeId, e);
        }
      }
      return {
        head,
        inactiveShards: inactive,
        ...(unverified.size > 0 ? { unverifiedShards: unverified } : {}),
      };
    },

    async fetchConsistencyProof(first: VerifiedHead, second: VerifiedHead): Promise<ReceivedProof> {
      const q = new URLSearchParams({ firstSize: first.size.toString(), lastSize: second.size.toString() });
      if (first.shard !== undefined) q.set('treeID', first.shard);
      const raw = await readJsonText(options.http, `${options.url}/api/v1/log/proof?${q}`, MAX_PROOF_BYTES);
      const proof = asObject(parseJson(raw), 'consistency proof');
      return { hashes: proofHashes(proof), raw };
    },

    verifyStoredHead(signed: string): VerifiedHead {
      return verifyHead(signed);
    },
  };
}

/** Errors that say a head is not signed by the pinned key (as opposed to a malformed answer). */
const SIGNATURE_ERRORS: ReadonlySet<string> = new Set([
  'note/no-verified-signature',
  'note/bad-signature',
  'checkpoint/origin-mismatch',
]);

/** A consistency proof has at most 2·⌈log2(2^64)⌉ hashes (RFC 9162 §2.1.4); anything longer is junk. */
const MAX_PROOF_HASHES = 128;

/** `hashes` of a proof answer: hex strings of exactly 32 bytes (Rekor may send null for none). */
function proofHashes(proof: JsonObject): Uint8Array[] {
  const list = getOptionalArray(proof, 'hashes', 'consistency proof') ?? [];
  if (list.length > MAX_PROOF_HASHES) {
    throw new TlogError(
      'response/malformed',
      `consistency proof.hashes: at most ${MAX_PROOF_HASHES} hashes expected, got ${list.length}`,
    );
  }
  return list.map((h, i) => {
    const path = `consistency proof.hashes[${i}]`;
    const bytes = fromHex(asString(h, path), 'response/malformed');
    if (bytes.length !== 32) {
      throw new TlogError(
        'response/malformed',
        `${path}: expected a 32-byte hash, got ${bytes.length} bytes`,
      );
    }
    return bytes;
  });
}
