/**
 * Rekor v1 shard memory (issue 10, item 3): the monitor keeps the last verified head of every
 * shard it has seen (the shards the log was on, and the retired shards listed, verified once,
 * when it first stored a head), so a shard that comes back as the active one, or a retired shard
 * listed with another final head, must be consistent with what was verified before. Without it,
 * a log could rotate to a new shard, then re-activate the old one over a shorter, other history.
 *
 * Remembered heads are read back as stored and re-verified with the pinned key only when a check
 * relies on one (a remembered shard listed exactly as remembered asks for nothing), so a long
 * memory costs no signature verifications per check (issue 10, item 11).
 */
import { bytesEqual, fromBase64, preview, toBase64 } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { LogClient, LogView, VerifiedHead } from '../logs/log-client.ts';
import { type Misbehaviour, proveExtension, provePrefix } from './prove-extension.ts';
import type { RememberedShard, StoredHead } from './state-store.ts';

/** A remembered head: as stored, and its signed head verified on demand (memoized). */
export interface RememberedHead {
  readonly stored: RememberedShard;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /** Re-verifies the stored signed head; throws TlogError 'state/corrupt' if it no longer matches. */
  verify(): VerifiedHead;
}

/** Remembered heads by shard (tree ID). */
export type ShardMemory = ReadonlyMap<string, RememberedHead>;

const SIZE_RE = /^(?:0|[1-9][0-9]{0,19})$/;

/** Reads back the remembered heads of a stored head (their shape now, their signatures when used). */
export function loadMemory(logName: string, stored: StoredHead, client: LogClient): ShardMemory {
  const memory = new Map<string, RememberedHead>();
  for (const r of stored.retiredShards ?? []) {
    const corrupt = (why: string): never => {
      throw new TlogError(
        'state/corrupt',
        `remembered head of shard ${preview(r.shard)} of "${logName}": ${why}`,
      );
    };
    if (r.shard === stored.shard || memory.has(r.shard))
      corrupt('listed twice, or as the stored head’s own shard');
    if (!SIZE_RE.test(r.size)) corrupt(`size ${preview(r.size)} is not a decimal number`);
    let rootHash: Uint8Array;
    try {
      rootHash = fromBase64(r.root, 'state/corrupt');
    } catch {
      return corrupt(`root ${preview(r.root)} is not base64`);
    }
    if (rootHash.length !== 32) corrupt(`root has ${rootHash.length} bytes, expected 32`);
    let verified: VerifiedHead | undefined;
    memory.set(r.shard, {
      stored: r,
      size: BigInt(r.size),
      rootHash,
      verify: () => {
        if (verified) return verified;
        let head: VerifiedHead;
        try {
          head = client.verifyStoredHead(r.signed);
        } catch (e) {
          return corrupt(
            `no longer verifies with the pinned key: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        if (head.shard !== r.shard || head.size.toString() !== r.size || toBase64(head.rootHash) !== r.root) {
          corrupt(
            `stored as size ${r.size} root ${r.root}, but its signed head says shard ${preview(head.shard ?? '')} size ${head.size} root ${toBase64(head.rootHash)}`,
          );
        }
        verified = head;
        return head;
      },
    });
  }
  return memory;
}

/** A remembered head and the signed head of the log that contradicts it. */
export interface MemoryContradiction {
  readonly remembered: VerifiedHead;
  readonly head: VerifiedHead;
  readonly outcome: Misbehaviour;
}

/**
 * Checks the log's view against the memory: its active head, if that is on a remembered shard
 * (a shard that came back), and each remembered shard it lists as retired. A listed shard whose
 * size and root are as remembered is not verified (nothing new is claimed); any other is
 * verified with the pinned key, and so is the remembered head, and it must be consistent with it.
 */
export async function contradictsMemory(
  client: LogClient,
  memory: ShardMemory,
  view: LogView,
): Promise<MemoryContradiction | undefined> {
  const back = view.head.shard !== undefined ? memory.get(view.head.shard) : undefined;
  if (back) {
    const remembered = back.verify();
    const outcome = await judge(client, remembered, view.head, 'active again');
    if (outcome) return { remembered, head: view.head, outcome };
  }
  for (const listed of view.retiredShards ?? []) {
    const known = memory.get(listed.shard);
    if (!known) continue;
    if (listed.size === known.size && bytesEqual(listed.rootHash, known.rootHash)) continue;
    const remembered = known.verify();
    const head = listed.verify();
    const outcome = await judge(client, remembered, head, 'listed as retired');
    if (outcome) return { remembered, head, outcome };
  }
  return undefined;
}

/** `head` (on the remembered head's shard) must extend the remembered head, or equal it. */
async function judge(
  client: LogClient,
  remembered: VerifiedHead,
  head: VerifiedHead,
  how: string,
): Promise<Misbehaviour | undefined> {
  const where = `shard ${preview(remembered.shard ?? '')}, ${how}, against the head of size ${remembered.size} verified on it before`;
  if (head.size >= remembered.size) {
    const o = await proveExtension(client, remembered, head, { head });
    if (o.kind === 'same' || o.kind === 'extends') return undefined;
    return { ...o, message: `${o.message} (${where})` };
  }
  const p = await provePrefix(client, head, remembered);
  const smaller = `its validly signed head of size ${head.size} is smaller`;
  switch (p.kind) {
    case 'prefix':
      return { kind: 'rollback', message: `rollback: ${where}: ${smaller}` };
    case 'unprovable':
      return {
        kind: 'rollback',
        message: `rollback: ${where}: ${smaller}, and ${p.message}`,
        errorCode: p.errorCode,
      };
    case 'not-prefix':
      return {
        kind: 'fork',
        message: `fork: ${where}: ${smaller} and not a prefix of it: ${p.message}`,
        errorCode: p.errorCode,
        proof: p.proof,
        ...(p.other ? { other: p.other } : {}),
      };
  }
}

/**
 * The memory to store with `next` when it replaces `previous`: moving to another shard
 * remembers the one left (its proven final head when known), and the shard of `next` itself
 * is no longer "retired". Other remembered heads are kept as stored.
 */
export function memoryAfter(
  memory: ShardMemory,
  previous: VerifiedHead,
  next: VerifiedHead,
  retiredFinal?: VerifiedHead,
): RememberedShard[] | undefined {
  const out = new Map([...memory].map(([shard, r]) => [shard, r.stored]));
  if (previous.shard !== undefined && previous.shard !== next.shard) {
    out.set(previous.shard, remembered(retiredFinal?.shard === previous.shard ? retiredFinal : previous));
  }
  if (next.shard !== undefined) out.delete(next.shard);
  return out.size > 0 ? [...out.values()] : undefined;
}

/**
 * The memory to store with a first head: every retired shard the log lists whose final head
 * verifies with the pinned key (verified once, here). A shard signed by another key (retired
 * before a key rotation) or otherwise unverifiable is not remembered, and costs nothing later.
 */
export function firstMemory(view: LogView): RememberedShard[] | undefined {
  const heads: RememberedShard[] = [];
  for (const listed of view.retiredShards ?? []) {
    try {
      heads.push(remembered(listed.verify()));
    } catch {
      // Not signed by the pinned key, or self-contradicting: nothing verified to remember.
    }
  }
  return heads.length > 0 ? heads : undefined;
}

function remembered(h: VerifiedHead): RememberedShard {
  return {
    shard: h.shard ?? '',
    signed: h.storable ?? h.signed,
    size: h.size.toString(),
    root: toBase64(h.rootHash),
  };
}
