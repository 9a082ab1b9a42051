/**
 * Rekor v1 `LogEntry` answers (sigstore/rekor openapi.yaml, definitions/LogEntry): an object
 * keyed by entry UUID, each value
 *   { body: base64 canonicalized entry, integratedTime, logID, logIndex (global),
 *     verification?: { inclusionProof?: { logIndex (in the shard's tree), treeSize, rootHash,
 *                                          hashes: [hex], checkpoint }, signedEntryTimestamp } }.
 * `GET /api/v1/log/entries?logIndex=N` answers one such object; `POST /api/v1/log/entries/retrieve`
 * an array of them. Only the fields the scan needs are read, each strictly; the rest is ignored
 * (the leaf is proven by the scan, and nothing else here is signed by the tree).
 */
import { fromHex } from '../../bytes.ts';
import { TlogError } from '../../errors.ts';
import {
  asArray,
  asObject,
  asString,
  getBigInt,
  getOptionalObject,
  type JsonObject,
  type JsonValue,
  U64_MAX,
} from '../../json/access.ts';
import { decodeBase64Strict } from '../fast-base64.ts';

/** One entry as Rekor answered it. */
export interface RekorLogEntry {
  /** The key the entry is listed under: the entry UUID (`<treeID hex16><leaf hash hex>` on sharded logs). */
  readonly uuid: string;
  /** Global `logIndex` (across shards). */
  readonly logIndex: bigint;
  /** The canonicalized body: the leaf. */
  readonly body: Uint8Array;
  /** `verification.inclusionProof`, when the answer has one. */
  readonly proof?: RekorInclusionProof;
}

export interface RekorInclusionProof {
  /** Index in the shard's tree. */
  readonly logIndex: bigint;
  readonly treeSize: bigint;
  /** The proof's hashes, when they were asked for (only the range before an index needs them). */
  readonly hashes?: readonly Uint8Array[];
}

/** An inclusion proof has at most 64 hashes (RFC 9162 §2.1.3: one per level of a 2^64 tree). */
const MAX_PROOF_HASHES = 64;

/** The entries of one LogEntry object (one per UUID key). */
export function parseLogEntryObject(
  value: JsonValue | undefined,
  path: string,
  withHashes = false,
): RekorLogEntry[] {
  const obj = asObject(value, path);
  const out: RekorLogEntry[] = [];
  for (const uuid of Object.keys(obj)) {
    out.push(parseEntry(uuid, asObject(obj[uuid], `${path}.${uuid}`), `${path}.${uuid}`, withHashes));
  }
  return out;
}

/** The entries of a retrieve answer: an array of LogEntry objects. */
export function parseRetrieveAnswer(value: JsonValue, path: string, withHashes = false): RekorLogEntry[] {
  return asArray(value, path).flatMap((item, i) => parseLogEntryObject(item, `${path}[${i}]`, withHashes));
}

function parseEntry(uuid: string, entry: JsonObject, path: string, withHashes: boolean): RekorLogEntry {
  const logIndex = getBigInt(entry, 'logIndex', path, { min: 0n, max: U64_MAX });
  const body = decodeBase64Strict(asString(entry.body, `${path}.body`), `${path}.body`);
  const verification = getOptionalObject(entry, 'verification', path);
  const proofObj =
    verification === undefined
      ? undefined
      : getOptionalObject(verification, 'inclusionProof', `${path}.verification`);
  if (proofObj === undefined) return { uuid, logIndex, body };
  const proofPath = `${path}.verification.inclusionProof`;
  const hashes = asArray(proofObj.hashes ?? [], `${proofPath}.hashes`);
  if (hashes.length > MAX_PROOF_HASHES) {
    throw new TlogError(
      'response/malformed',
      `${proofPath}.hashes: at most ${MAX_PROOF_HASHES} hashes expected, got ${hashes.length}`,
      { index: logIndex.toString() },
    );
  }
  return {
    uuid,
    logIndex,
    body,
    proof: {
      logIndex: getBigInt(proofObj, 'logIndex', proofPath, { min: 0n, max: U64_MAX }),
      treeSize: getBigInt(proofObj, 'treeSize', proofPath, { min: 1n, max: U64_MAX }),
      ...(withHashes
        ? {
            hashes: hashes.map((h, i) =>
              hexHash(asString(h, `${proofPath}.hashes[${i}]`), `${proofPath}.hashes[${i}]`),
            ),
          }
        : {}),
    },
  };
}

/**
 * The tree ID a sharded Rekor's entry UUID names: `<treeID as 16 hex digits><64 hex leaf hash>`
 * (rekor pkg/sharding EntryID). Undefined for a bare 64-hex UUID.
 */
export function uuidTreeId(uuid: string): string | undefined {
  if (!/^[0-9a-fA-F]{80}$/.test(uuid)) return undefined;
  return BigInt(`0x${uuid.slice(0, 16)}`).toString();
}

function hexHash(text: string, path: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new TlogError(
      'response/malformed',
      `${path}: expected a 32-byte hex hash, got ${text.length} characters`,
      {
        field: path,
      },
    );
  }
  return fromHex(text);
}
