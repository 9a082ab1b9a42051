/**
 * Rekor v1 log client (sigstore/rekor openapi: GET /api/v1/log, GET /api/v1/log/proof).
 *
 * The head is the signed note in `signedTreeHead` (c2sp.org/signed-note, ECDSA P-256 with
 * Rekor's key hint SHA-256(SPKI)[:4]); its origin is "<signer host> - <treeID>", and Rekor adds
 * an optional signed `Timestamp: <unix ns>` line. The unsigned JSON fields (treeSize, rootHash,
 * treeID) must agree with the signed head, or the answer is rejected.
 *
 * Signer names (docs/contracts.md, "Log types"): with a configured origin (the signer's host
 * name) the signature line and the origin are enforced exactly. Without one, the signature line
 * is found by its key hint alone and verified with the pinned key, whatever the host name (a
 * Rekor server signs with its machine's host name: on Kubernetes, the pod name).
 */
import { bytesEqual, fromHex, preview, toHex } from '../bytes.ts';
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
import { type Checkpoint, verifyCheckpoint } from '../note/checkpoint.ts';
import { ecdsaNoteVerifier } from '../note/ecdsa-verifier.ts';
import type { NoteVerifier } from '../note/verifier.ts';
import { noteWithLines } from '../note/verify-note.ts';
import type { LogClient, LogView, ReceivedProof, RetiredShard, VerifiedHead } from './log-client.ts';
import { readJsonText, requireP256, requirePossibleHead, withReceived } from './response.ts';

export interface RekorV1Options {
  /** Base URL, e.g. https://rekor.sigstore.dev (no trailing slash). */
  readonly url: string;
  readonly key: PublicKey;
  /** The keys of other shards (a trusted root's `publicKeys`): a head verifies with whichever signed it. */
  readonly shardKeys?: readonly PublicKey[];
  readonly http: HttpClient;
  /**
   * The configured origin: the signer's host name, enforced exactly (signature line name and
   * origin prefix). Without it the signature line is found by key hint, whatever the name.
   */
  readonly signerName?: string;
}

/** Largest /api/v1/log answer accepted (it lists every inactive shard's signed head). */
const MAX_LOG_INFO_BYTES = 1 << 20;
/** A consistency proof has at most 2·64 hashes of 64 hex chars; this is generous. */
const MAX_PROOF_BYTES = 64 << 10;
/**
 * Inactive shards accepted in one answer. Rekor retires a shard about once a year (the public
 * instance lists a handful); a longer list is refused as invalid-response rather than parsed.
 */
export const MAX_INACTIVE_SHARDS = 100;

/** "<host> - <treeID>": a host with no spaces, then a tree ID with no spaces (the shard). */
const ORIGIN_RE = /^(\S+) - (\S+)$/;
/** Rekor's signed extension line: `Timestamp: <unix time in ns>`. */
const TIMESTAMP_RE = /^Timestamp: (0|[1-9][0-9]{0,19})$/;

export function rekorV1Client(options: RekorV1Options): LogClient {
  const keys = [options.key, ...(options.shardKeys ?? [])];
  for (const k of keys) requireP256(k, 'rekor-v1');
  const pinnedName = options.signerName;
  // Each key by its hint: with a configured origin, under that name only; without, whatever the name.
  const verifiers: readonly NoteVerifier[] = keys.map((k) =>
    pinnedName !== undefined
      ? ecdsaNoteVerifier(pinnedName, k)
      : { ...ecdsaNoteVerifier('rekor', k), anyName: true },
  );
  const originRule = (origin: string): boolean => {
    const m = ORIGIN_RE.exec(origin);
    return m !== null && (pinnedName === undefined || m[1] === pinnedName);
  };

  /** Verify, then parse: the signature is checked before any field of the note is used. */
  const verifyHead = (signed: string): VerifiedHead =>
    withReceived(signed, () => {
      // The shard comes from the signed origin only (an origin without it would leave the shard
      // to the unsigned treeID field, and a stored head read back could never be matched to it).
      const { note, checkpoint } = verifyCheckpoint(signed, verifiers, originRule);
      const shard = (ORIGIN_RE.exec(checkpoint.origin) as RegExpExecArray)[2] as string;
      requirePossibleHead(checkpoint.size, checkpoint.rootHash);
      const timestamp = signedTimestamp(checkpoint);
      const storable = noteWithLines(note.body, note.verifiedSignatures);
      return {
        size: checkpoint.size,
        rootHash: checkpoint.rootHash,
        signed,
        origin: checkpoint.origin,
        shard,
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(storable !== signed ? { storable } : {}),
      };
    });

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
      mismatch.push(`rootHash ${preview(rootHex)} but the signed head says ${toHex(head.rootHash)}`);
    }
    if (head.shard !== treeId) {
      mismatch.push(
        `treeID ${preview(treeId)} but the signed origin names shard ${preview(head.shard ?? '')}`,
      );
    }
    if (mismatch.length > 0) {
      throw new TlogError(
        'response/mismatch',
        `${path}: unsigned fields disagree with the signed head: ${mismatch.join('; ')}`,
        { received: signed },
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
      const list = getOptionalArray(info, 'inactiveShards', 'log info') ?? [];
      if (list.length > MAX_INACTIVE_SHARDS) {
        throw new TlogError(
          'response/malformed',
          `log info lists ${list.length} inactive shards; at most ${MAX_INACTIVE_SHARDS} are accepted`,
        );
      }
      // Each shard appears once: a retired shard listed twice, or the active one listed as
      // retired, is a self-contradicting answer (which final head would count?). Signatures are
      // verified only for the shards a check needs (RetiredShard.verify), not for every one listed.
      const seen = new Set([head.shard]);
      const retired: RetiredShard[] = list.map((entry, i) => {
        const path = `inactiveShards[${i}]`;
        const shard = asObject(entry, path);
        const treeId = getString(shard, 'treeID', path);
        if (seen.has(treeId)) {
          throw new TlogError(
            'response/mismatch',
            `${path}: shard ${preview(treeId)} is listed more than once (as active or inactive)`,
            { received: text },
          );
        }
        seen.add(treeId);
        return listedShard(shard, treeId, path, () => verifyTreeInfo(shard, path));
      });
      return { head, retiredShards: retired };
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

/**
 * An inactive shard as listed: its unsigned size and root, and its signed head verified on
 * demand, once. Signed by another key (a shard retired before a key rotation) or otherwise
 * unverifiable, `verify()` throws, and the error counts only for a check that needs that shard.
 */
function listedShard(
  info: JsonObject,
  shard: string,
  path: string,
  verify: () => VerifiedHead,
): RetiredShard {
  const size = getBigInt(info, 'treeSize', path, { min: 0n, max: U64_MAX });
  const rootHex = getString(info, 'rootHash', path);
  if (!/^[0-9a-fA-F]{64}$/.test(rootHex)) {
    throw new TlogError(
      'response/malformed',
      `${path}.rootHash: expected 64 hex digits, got ${preview(rootHex)}`,
    );
  }
  let verified: VerifiedHead | undefined;
  let failure: unknown;
  return {
    shard,
    size,
    rootHash: fromHex(rootHex),
    verify: () => {
      if (verified) return verified;
      if (failure !== undefined) throw failure;
      try {
        verified = verify();
        return verified;
      } catch (e) {
        failure = e;
        throw e;
      }
    },
  };
}

/**
 * Rekor's signed `Timestamp: <ns>` extension line, in ms since the epoch (rounded down), if the
 * checkpoint has one. More than one, or one that is not a plain decimal, is refused.
 */
function signedTimestamp(checkpoint: Checkpoint): bigint | undefined {
  const lines = checkpoint.extensions.filter((l) => l.startsWith('Timestamp:'));
  if (lines.length === 0) return undefined;
  const m = lines.length === 1 ? TIMESTAMP_RE.exec(lines[0] as string) : null;
  const ns = m ? BigInt(m[1] as string) : undefined;
  if (ns === undefined || ns > U64_MAX) {
    throw new TlogError(
      'checkpoint/malformed',
      `Rekor checkpoint: expected at most one "Timestamp: <unix ns>" line, got ${lines.map((l) => preview(l)).join(', ')}`,
    );
  }
  return ns / 1_000_000n;
}

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
