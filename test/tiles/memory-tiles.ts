/**
 * An in-memory HttpClient that serves the hash tiles of a MemoryHashSource (c2sp.org/tlog-tiles),
 * for property tests that need many proofs without a socket. Partial tiles are served at any
 * width that is complete; a `mutate` hook may alter any answer.
 */
import { createHash } from 'node:crypto';
import type { HttpClient, HttpResponse } from '../../lib/http/ports.ts';
import { MemoryHashSource } from '../../lib/merkle/index.ts';

export function generatedTree(size: number, seed = 'p'): MemoryHashSource {
  const tree = new MemoryHashSource();
  for (let i = 0; i < size; i++)
    tree.append(new Uint8Array(createHash('sha256').update(`${seed}/${i}`).digest()));
  return tree;
}

export interface MemoryTiles {
  readonly http: HttpClient;
  readonly requests: string[];
  /** Called with each tile path and its bytes before they are served; may change them in place. */
  mutate: ((path: string, bytes: Uint8Array) => void) | undefined;
}

export function memoryTiles(tree: MemoryHashSource, base = 'https://tiles.example/log'): MemoryTiles {
  const requests: string[] = [];
  const state: MemoryTiles = {
    requests,
    mutate: undefined,
    http: {
      async get(url): Promise<HttpResponse> {
        const path = url.slice(base.length + 1);
        requests.push(path);
        const m = /^tile\/([0-9])\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([0-9]+))?$/.exec(path);
        const notFound: HttpResponse = { status: 404, body: new Uint8Array(0), headers: {} };
        if (!m) return notFound;
        const level = Number(m[1]);
        const index = BigInt((m[2] as string).replace(/x|\//g, ''));
        const width = m[3] === undefined ? 256 : Number(m[3]);
        const nodes = tree.size >> BigInt(8 * level);
        if (index * 256n + BigInt(width) > nodes) return notFound;
        const body = new Uint8Array(width * 32);
        for (let j = 0; j < width; j++)
          body.set(tree.node({ level: 8 * level, index: index * 256n + BigInt(j) }), 32 * j);
        state.mutate?.(path, body);
        return { status: 200, body, headers: {} };
      },
    },
  };
  return state;
}
