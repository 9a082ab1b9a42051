/**
 * A scripted log for unit tests of the check use case (no network, no real signatures): trees
 * whose heads are "signed" as JSON with a marker, so tests can forge or break signatures, and a
 * LogClient whose answers a test scripts.
 */
import { toBase64 } from '../../lib/bytes.ts';
import { TlogError } from '../../lib/errors.ts';
import type {
  LogClient,
  LogView,
  ReceivedProof,
  RetiredShard,
  VerifiedHead,
} from '../../lib/logs/log-client.ts';
import { consistencyProof, MemoryHashSource, treeRoot } from '../../lib/merkle/index.ts';

/** A tree whose heads are "signed" as JSON with a marker, so tests can forge or break signatures. */
export class ScriptedTree {
  readonly source = new MemoryHashSource();
  constructor(
    readonly shard: string,
    size: number,
    readonly salt = 0,
  ) {
    this.grow(size);
  }
  grow(n: number): void {
    const start = Number(this.source.size);
    for (let i = start; i < start + n; i++)
      this.source.appendData(new TextEncoder().encode(`${this.shard}/${this.salt}/${i}`));
  }
  /** A "signed" head of this tree at `size`, with a signed timestamp (ms) if one is given. */
  async head(size = this.source.size, timestamp?: bigint): Promise<VerifiedHead> {
    const rootHash = await treeRoot(size, this.source);
    const signed = JSON.stringify({
      sig: 'ok',
      shard: this.shard,
      size: size.toString(),
      root: toBase64(rootHash),
      ...(timestamp !== undefined ? { ts: timestamp.toString() } : {}),
    });
    return verifyFake(signed);
  }
}

export function verifyFake(signed: string): VerifiedHead {
  const o = JSON.parse(signed);
  if (o.sig !== 'ok')
    throw new TlogError('note/bad-signature', 'fake signature invalid', { received: signed });
  return {
    size: BigInt(o.size),
    rootHash: new Uint8Array(Buffer.from(o.root, 'base64')),
    signed,
    origin: `test - ${o.shard}`,
    shard: o.shard,
    ...(o.ts !== undefined ? { timestamp: BigInt(o.ts) } : {}),
  };
}

export interface Script {
  view: () => Promise<LogView>;
  proof?: (first: VerifiedHead, second: VerifiedHead, call: number) => Promise<ReceivedProof>;
}

export function scriptedClient(trees: Map<string, ScriptedTree>, script: Script) {
  const calls = { view: 0, proof: 0 };
  const honestProof = async (first: VerifiedHead, second: VerifiedHead): Promise<ReceivedProof> => {
    const tree = trees.get(first.shard ?? '') as ScriptedTree;
    const hashes = await consistencyProof(first.size, second.size, tree.source);
    return { hashes, raw: JSON.stringify(hashes.map(toBase64)) };
  };
  const client: LogClient = {
    type: 'rekor-v1',
    fetchView: () => {
      calls.view++;
      return script.view();
    },
    fetchConsistencyProof: (a, b) => {
      calls.proof++;
      return (script.proof ?? honestProof)(a, b, calls.proof);
    },
    verifyStoredHead: verifyFake,
  };
  return { client, calls, honestProof };
}

/** A retired shard as a Rekor view lists it, whose final head is `head` (already "verified"). */
export function retired(head: VerifiedHead): RetiredShard {
  return { shard: head.shard ?? '', size: head.size, rootHash: head.rootHash, verify: () => head };
}

/** A retired shard listed with a final head that does not verify: `verify()` throws `error`. */
export function unverifiable(shard: string, size: bigint, rootHash: Uint8Array, error: Error): RetiredShard {
  return {
    shard,
    size,
    rootHash,
    verify: () => {
      throw error;
    },
  };
}
