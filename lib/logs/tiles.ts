/**
 * Clients for tile-based logs: C2SP tlog-tiles (`tiles`: Rekor v2, Tessera logs) and
 * C2SP static-ct-api (`static-ct`: Sunlight, TesseraCT). Such logs serve no proofs: the head is
 * `<prefix>/checkpoint` (a signed note, c2sp.org/tlog-checkpoint) and the consistency proof is
 * computed here (RFC 9162 §2.1.4.1) from the hash tiles `<prefix>/tile/<L>/<N>[.p/<W>]`, with
 * widths derived only from the two verified checkpoints. The check then verifies that proof
 * against both signed roots, so tiles are never trusted: a tile that contradicts a signed root
 * makes the proof fail, and the tiles are returned in `raw` as evidence.
 *
 * For static-ct-api the configured `url` is the monitoring prefix, which may differ from the
 * submission prefix.
 */
import { bytesEqual, fromUtf8, toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import { type PublicKey, parsePemPublicKey } from '../keys/public-key.ts';
import { consistencyProof, treeRoot } from '../merkle/index.ts';
import { verifyCheckpoint } from '../note/checkpoint.ts';
import { ecdsaNoteVerifier } from '../note/ecdsa-verifier.ts';
import { ed25519NoteVerifier } from '../note/ed25519-verifier.ts';
import { rfc6962NoteVerifier, rfc6962SignatureTimestamp } from '../note/rfc6962-verifier.ts';
import type { NoteVerifier } from '../note/verifier.ts';
import { parseRfc6962VerifierKey, parseVerifierKey } from '../note/vkey.ts';
import { type TileRootDiagnosis, tileProofEvidence } from '../tiles/proof-evidence.ts';
import { TileHashSource } from '../tiles/tile-hash-source.ts';
import { TileReader } from '../tiles/tile-reader.ts';
import {
  type LogSigner,
  logKeyMaterial,
  parseWitnessPolicy,
  refuseSelfWitness,
  verifyWitnesses,
  type WitnessPolicy,
} from '../tiles/witness-policy.ts';
import type { LogClient, LogView, ReceivedProof, VerifiedHead } from './log-client.ts';
import { requirePossibleHead, withReceived } from './response.ts';

export interface TileLogOptions {
  readonly type: 'tiles' | 'static-ct';
  /** Monitoring prefix, no trailing slash: `<url>/checkpoint`, `<url>/tile/...`. */
  readonly url: string;
  /** The checkpoint origin to pin (first line of the checkpoint). */
  readonly origin: string;
  /**
   * The log's own key(s); a checkpoint needs a verified signature from one of them. With
   * witnesses configured, each must carry its key material (as tileLogVerifier's do), so that
   * no witness holds the log's own key.
   */
  readonly verifiers: readonly (NoteVerifier | LogKeyVerifier)[];
  readonly http: HttpClient;
  /** Witness verifier keys (cosignature/v1 or plain Ed25519) and how many must cosign. */
  readonly witnesses?: readonly string[];
  readonly minWitnesses?: number;
  /** Tile requests in flight at once. */
  readonly concurrency?: number;
}

/** Proof requests remembered to tell a re-fetch from a first request (a check makes a few). */
const MAX_REMEMBERED_PROOFS = 16;

/** Largest checkpoint accepted: the body plus up to 100 signature lines (c2sp.org/signed-note). */
const MAX_CHECKPOINT_BYTES = 64 << 10;

/** A tile-log client; `tiles` exposes the tile reader's counters (for benchmarks). */
export interface TileLogClient extends LogClient {
  readonly tiles: TileReader;
}

export function tileLogClient(options: TileLogOptions): TileLogClient {
  if (options.verifiers.length === 0) {
    throw new TlogError('config/invalid', `${options.type} log ${options.url}: no log key configured`);
  }
  const policy: WitnessPolicy = parseWitnessPolicy(options.witnesses, options.minWitnesses);
  refuseSelfWitness(policy, logSigner(options), `${options.type} log ${options.origin}`);
  const reader = new TileReader({
    http: options.http,
    url: options.url,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  /** Proof requests already answered: asking again means "re-fetch", so the cache is bypassed. */
  const asked = new Set<string>();

  /** Signature first (pinned keys only), then origin, then the witness policy. */
  const verifyHead = (signed: string, enforceWitnesses: boolean): VerifiedHead => {
    return withReceived(signed, () => {
      const { note, checkpoint } = verifyCheckpoint(signed, options.verifiers, options.origin);
      requirePossibleHead(checkpoint.size, checkpoint.rootHash);
      const witnesses = verifyWitnesses(note.body, note.signatures, policy, enforceWitnesses);
      const timestamp = rfc6962Timestamp(note.signatures, options.verifiers);
      return {
        size: checkpoint.size,
        rootHash: checkpoint.rootHash,
        signed,
        origin: checkpoint.origin,
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(policy.witnesses.length > 0 ? { witnesses } : {}),
      };
    });
  };

  return {
    type: options.type,
    tiles: reader,

    async fetchView(): Promise<LogView> {
      const res = await options.http.get(`${options.url}/checkpoint`, {
        maxBytes: MAX_CHECKPOINT_BYTES,
        accept: 'text/plain',
      });
      const text = fromUtf8(res.body, 'response/malformed');
      return { head: verifyHead(text, true) };
    },

    async fetchConsistencyProof(first: VerifiedHead, second: VerifiedHead): Promise<ReceivedProof> {
      if (first.size > second.size) {
        throw new TlogError(
          'merkle/invalid-size',
          `consistency proof asked from size ${first.size} to smaller size ${second.size}`,
        );
      }
      const request = `${first.size}:${toBase64(first.rootHash)}:${second.size}:${toBase64(second.rootHash)}`;
      const fresh = asked.has(request);
      asked.add(request);
      // Only a repeat within one check matters: keep the last few (a warm client lives for months).
      for (const oldest of asked) {
        if (asked.size <= MAX_REMEMBERED_PROOFS) break;
        asked.delete(oldest);
      }
      // Widths come from the newer verified checkpoint: every node of the proof is complete in it.
      const source = new TileHashSource(reader, second.size, { fresh });
      const hashes = await consistencyProof(first.size, second.size, source);
      // Asked again only after the first proof failed: say which signed root the tiles contradict.
      let diagnosis: TileRootDiagnosis | undefined;
      if (fresh) {
        const root1 = await treeRoot(first.size, source);
        const root2 = await treeRoot(second.size, source);
        diagnosis = {
          firstRootFromTiles: toBase64(root1),
          tilesMatchFirst: bytesEqual(root1, first.rootHash),
          secondRootFromTiles: toBase64(root2),
          tilesMatchSecond: bytesEqual(root2, second.rootHash),
        };
      }
      const raw = tileProofEvidence(first.size, second.size, hashes, source.served.values(), diagnosis);
      return { hashes, raw };
    },

    verifyStoredHead(signed: string): VerifiedHead {
      // The policy was enforced when the head was stored; a witness line that no longer
      // verifies still rejects it, but a changed minWitnesses does not invalidate old state.
      return verifyHead(signed, false);
    },
  };
}

/** The timestamp of the log's verified RFC6962NoteSignature (static-ct-api), if it has one. */
function rfc6962Timestamp(
  signatures: readonly { name: string; keyHash: Uint8Array; signature: Uint8Array }[],
  verifiers: readonly NoteVerifier[],
): bigint | undefined {
  for (const v of verifiers) {
    if (!('logId' in v)) continue;
    const sig = signatures.find((s) => s.name === v.name && bytesEqual(s.keyHash, v.keyHash));
    if (sig) return rfc6962SignatureTimestamp(sig.signature);
  }
  return undefined;
}

/** A log's note verifier with its public key material (see LogSigner). */
export type LogKeyVerifier = NoteVerifier & { readonly keyMaterial: Uint8Array };

function logSigner(options: TileLogOptions): LogSigner {
  const keys: Uint8Array[] = [];
  for (const v of options.verifiers) {
    if ('keyMaterial' in v) keys.push(v.keyMaterial);
    else if (policyNeedsKeys(options)) {
      throw new TlogError(
        'config/invalid',
        `${options.type} log ${options.origin}: the key of ${v.name} is not known, so witnesses cannot be told apart from the log`,
      );
    }
  }
  return { names: [options.origin, ...options.verifiers.map((v) => v.name)], keys };
}

const policyNeedsKeys = (options: TileLogOptions): boolean => (options.witnesses?.length ?? 0) > 0;

/**
 * The log key of a `tiles` or `static-ct` log from its configured `publicKey` (PEM SPKI or a C2SP
 * verifier key string; keys come from configuration only), signing as `origin`:
 * - `tiles`: a verifier key (Ed25519 0x01 or ECDSA 0x02), or PEM Ed25519 with the C2SP key ID
 *   (Rekor v2, Tessera), or PEM P-256 with the key ID SHA-256(SPKI)[:4] over the note text
 *   (private Rekor v2 deployments: the ECDSA key ID sigstore/rekor-tiles pkg/note uses);
 * - `static-ct`: RFC6962NoteSignature (type 0x05) by the log's P-256 key, PEM or 0x05 vkey.
 */
export function tileLogVerifier(
  type: 'tiles' | 'static-ct',
  publicKey: string,
  origin: string,
): LogKeyVerifier {
  const keyMaterial = logKeyMaterial(publicKey);
  if (!publicKey.includes('-----BEGIN')) {
    const verifier = type === 'static-ct' ? parseRfc6962VerifierKey(publicKey) : parseVerifierKey(publicKey);
    return { ...verifier, keyMaterial };
  }
  const key: PublicKey = parsePemPublicKey(publicKey);
  if (type === 'static-ct') return { ...rfc6962NoteVerifier(origin, key), keyMaterial };
  const verifier = key.kind === 'ed25519' ? ed25519NoteVerifier(origin, key) : ecdsaNoteVerifier(origin, key);
  return { ...verifier, keyMaterial };
}
