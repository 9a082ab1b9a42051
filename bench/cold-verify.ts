/**
 * Child process for the cold-start measurement (run by signatures.bench.ts, once per fresh process):
 * how long the FIRST signature verification takes in a new process — module load plus the
 * library's one-off set-up (e.g. @noble/curves' precomputed tables) — and then the second one.
 * This is what a Lambda cold start pays. Prints one JSON line; the figures are never asserted.
 *
 *   node --import tsx bench/cold-verify.ts <noble-p256|node-p256|noble-ed25519|node-ed25519>
 *
 * Inputs are read without importing lib/note or lib/keys, which would load @noble/curves early.
 */
import type { KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readVector, readVectorText } from '../test/support/vectors.ts';

export type ColdMode = 'noble-p256' | 'node-p256' | 'noble-ed25519' | 'node-ed25519';
export interface ColdTiming {
  readonly mode: ColdMode;
  /** Module import (and key object creation for node:crypto) in ms. */
  readonly loadMs: number;
  readonly firstVerifyMs: number;
  readonly secondVerifyMs: number;
  readonly ok: boolean;
}

/** Splits a signed note into its signed body and the signature bytes after the 4-byte key ID of the first line. */
function splitNote(text: string): { message: Uint8Array; signature: Uint8Array } {
  const sep = text.lastIndexOf('\n\n');
  const body = text.slice(0, sep + 1);
  const firstLine = text.slice(sep + 2).split('\n')[0] ?? '';
  const b64 = firstLine.split(' ')[2] ?? '';
  return {
    message: new Uint8Array(Buffer.from(body, 'utf8')),
    signature: new Uint8Array(Buffer.from(b64, 'base64')).subarray(4),
  };
}

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

async function run(mode: ColdMode): Promise<ColdTiming> {
  let message: Uint8Array;
  let signature: Uint8Array;
  let spki: Uint8Array;
  if (mode.endsWith('p256')) {
    ({ message, signature } = splitNote(
      readVector('rekor/checkpoints-v1-production.json').entries[0].checkpoint,
    ));
    spki = pemToDer(readVectorText('rekor/rekor.sigstore.dev.pub.pem'));
  } else {
    const v2 = readVector('tiles/rekor-v2-checkpoints.json');
    const entry = v2.entries.find((e: { origin: string }) => e.origin === 'log2025-1.rekor.sigstore.dev');
    ({ message, signature } = splitNote(entry.checkpoint));
    const vkey: string = v2.keys['log2025-1.rekor.sigstore.dev (production)'].vkey;
    const raw = new Uint8Array(Buffer.from(vkey.split('+')[2] ?? '', 'base64')).subarray(1);
    spki = new Uint8Array([...Buffer.from('302a300506032b6570032100', 'hex'), ...raw]);
  }

  const t0 = performance.now();
  let verify: () => boolean;
  if (mode === 'noble-p256') {
    const { p256 } = await import('@noble/curves/nist.js');
    const point = spki.subarray(spki.length - 65);
    verify = () => p256.verify(signature, message, point, { format: 'der', lowS: false, prehash: true });
  } else if (mode === 'noble-ed25519') {
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    const raw = spki.subarray(spki.length - 32);
    verify = () => ed25519.verify(signature, message, raw, { zip215: false });
  } else {
    const crypto = await import('node:crypto');
    const key: KeyObject = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const algorithm = mode === 'node-p256' ? 'sha256' : null;
    verify = () => crypto.verify(algorithm, message, key, signature);
  }
  const t1 = performance.now();
  const first = verify();
  const t2 = performance.now();
  const second = verify();
  const t3 = performance.now();
  return {
    mode,
    loadMs: t1 - t0,
    firstVerifyMs: t2 - t1,
    secondVerifyMs: t3 - t2,
    ok: first && second,
  };
}

const MODES: readonly ColdMode[] = ['noble-p256', 'node-p256', 'noble-ed25519', 'node-ed25519'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2] as ColdMode;
  if (!MODES.includes(mode)) {
    process.stderr.write(`usage: cold-verify.ts <${MODES.join('|')}>\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await run(mode))}\n`);
}
