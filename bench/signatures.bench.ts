/**
 * Checkpoint and STH signature verification: our full path (lib/note verifyCheckpoint, lib/ct
 * verifyGetSthResponse, both on @noble/curves) against raw @noble/curves and raw node:crypto
 * (OpenSSL) verifies of the same real signatures.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { fromBase64, utf8 } from '../lib/bytes.ts';
import { parseDigitallySigned, treeHeadSignatureInput, verifyGetSthResponse } from '../lib/ct/index.ts';
import { parsePemPublicKey, parseSpki } from '../lib/keys/public-key.ts';
import { ecdsaNoteVerifier, parseNote, parseVerifierKey, verifyCheckpoint } from '../lib/note/index.ts';
import type { ColdMode, ColdTiming } from './cold-verify.ts';
import {
  icarusSth,
  rekorV1Pem,
  rekorV1ProductionEntries,
  rekorV2Entries,
  rekorV2ProductionVkey,
} from './fixtures.ts';
import { type BenchResult, benchGroup, formatNumber, markdownTable } from './harness.ts';
import type { Section } from './section.ts';

const FULL_PATH_NOTE = 'parse note + key match + verify + parse checkpoint + origin';
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex'); // RFC 8410 SPKI header

/** The signed body and the signature bytes (after the 4-byte key ID) of the note's first signature line. */
function firstSignature(text: string): { message: Uint8Array; signature: Uint8Array } {
  const note = parseNote(text);
  const sig = note.signatures[0];
  if (!sig) throw new Error('note has no signature line');
  return { message: utf8(note.body), signature: sig.signature };
}

function check(label: string, ok: boolean): void {
  if (!ok)
    throw new Error(`${label}: the real signature did not verify, so the benchmark would be meaningless`);
}

function p256Rows(): BenchResult[] {
  const entry = rekorV1ProductionEntries()[0];
  if (!entry) throw new Error('no Rekor v1 entry');
  const key = parsePemPublicKey(rekorV1Pem());
  if (key.kind !== 'p256') throw new Error('Rekor v1 key is not P-256');
  const verifier = ecdsaNoteVerifier('rekor.sigstore.dev', key);
  const { message, signature } = firstSignature(entry.checkpoint);
  const keyObject = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
  const point = key.point;
  const nobleRaw = () =>
    p256.verify(signature, message, point, { format: 'der', lowS: false, prehash: true });
  const nodeRaw = () => nodeVerify('sha256', message, keyObject, signature);
  check('noble P-256', nobleRaw());
  check('node P-256', nodeRaw());
  const what = `Rekor v1 checkpoint (size ${entry.treeSize})`;
  return benchGroup([
    {
      name: `P-256 ${what}: verifyCheckpoint (lib/note, noble)`,
      fn: () => verifyCheckpoint(entry.checkpoint, [verifier], entry.origin),
      options: { note: FULL_PATH_NOTE },
    },
    {
      name: `P-256 ${what}: raw @noble/curves p256.verify`,
      fn: nobleRaw,
      options: { note: 'DER sig, prehash SHA-256, lowS:false' },
    },
    {
      name: `P-256 ${what}: raw node:crypto verify`,
      fn: nodeRaw,
      options: { note: "crypto.verify('sha256', …, KeyObject, DER)" },
    },
  ]);
}

function ed25519Rows(): BenchResult[] {
  const { vkey } = rekorV2ProductionVkey();
  const entry = rekorV2Entries().find((e) => e.origin === 'log2025-1.rekor.sigstore.dev');
  if (!entry) throw new Error('no Rekor v2 production entry');
  const verifier = parseVerifierKey(vkey);
  const raw = fromBase64(vkey.split('+')[2] ?? '').subarray(1);
  const keyObject = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
  const { message, signature } = firstSignature(entry.checkpoint);
  const nobleRaw = () => ed25519.verify(signature, message, raw, { zip215: false });
  const nodeRaw = () => nodeVerify(null, message, keyObject, signature);
  check('noble Ed25519', nobleRaw());
  check('node Ed25519', nodeRaw());
  const what = `Rekor v2 checkpoint (size ${entry.treeSize})`;
  return benchGroup([
    {
      name: `Ed25519 ${what}: verifyCheckpoint (lib/note, noble)`,
      fn: () => verifyCheckpoint(entry.checkpoint, [verifier], entry.origin),
      options: { note: FULL_PATH_NOTE },
    },
    {
      name: `Ed25519 ${what}: raw @noble/curves ed25519.verify`,
      fn: nobleRaw,
      options: { note: 'zip215:false (strict)' },
    },
    {
      name: `Ed25519 ${what}: raw node:crypto verify`,
      fn: nodeRaw,
      options: { note: 'crypto.verify(null, …, KeyObject, sig)' },
    },
  ]);
}

function ctRows(): BenchResult[] {
  const sth = icarusSth();
  const key = parseSpki(sth.keyDer);
  if (key.kind !== 'p256') throw new Error('Icarus key is not P-256');
  const message = treeHeadSignatureInput(sth.timestamp, sth.treeSize, sth.rootHash);
  const der = parseDigitallySigned(sth.treeHeadSignature).signature;
  const keyObject = createPublicKey({ key: Buffer.from(sth.keyDer), format: 'der', type: 'spki' });
  const point = key.point;
  const nobleRaw = () => p256.verify(der, message, point, { format: 'der', lowS: false, prehash: true });
  const nodeRaw = () => nodeVerify('sha256', message, keyObject, der);
  check('noble CT STH', nobleRaw());
  check('node CT STH', nodeRaw());
  const what = `CT Icarus STH (size ${sth.treeSize})`;
  return benchGroup([
    {
      name: `P-256 ${what}: verifyGetSthResponse (lib/ct, noble)`,
      fn: () => verifyGetSthResponse(sth.rawJson, key),
      options: { note: 'strict JSON parse + TLS decode + verify' },
    },
    {
      name: `P-256 ${what}: raw @noble/curves p256.verify`,
      fn: nobleRaw,
      options: { note: 'TreeHeadSignature bytes, DER sig' },
    },
    {
      name: `P-256 ${what}: raw node:crypto verify`,
      fn: nodeRaw,
      options: { note: 'same signature, for comparison' },
    },
  ]);
}

const COLD_MODES: readonly ColdMode[] = ['noble-p256', 'node-p256', 'noble-ed25519', 'node-ed25519'];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** First verification in a fresh process (module load + one-off set-up), median over `runs` processes. */
function coldStartTable(runs: number): string {
  const script = fileURLToPath(new URL('./cold-verify.ts', import.meta.url));
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const rows: string[][] = [];
  for (const mode of COLD_MODES) {
    const timings: ColdTiming[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', script, mode], {
        cwd,
        encoding: 'utf8',
      });
      const t = JSON.parse(out.trim()) as ColdTiming;
      if (!t.ok) throw new Error(`cold ${mode}: signature did not verify`);
      timings.push(t);
    }
    rows.push([
      mode,
      formatNumber(median(timings.map((t) => t.loadMs))),
      formatNumber(median(timings.map((t) => t.firstVerifyMs))),
      formatNumber(median(timings.map((t) => t.secondVerifyMs))),
    ]);
  }
  return [
    `Cold start, median of ${runs} fresh processes (ms; module load goes through the tsx loader, as \`npm run bench\` does):`,
    '',
    markdownTable(['library + curve', 'load ms', 'first verify ms', 'second verify ms'], rows, [
      'left',
      'right',
      'right',
      'right',
    ]),
  ].join('\n');
}

export function signatureBenchmarks(coldRuns: number): Section {
  const results = [...p256Rows(), ...ed25519Rows(), ...ctRows()];
  return {
    title: '2. Checkpoint and STH signature verification: @noble/curves vs node:crypto',
    results,
    lines: [],
    extraTables: [coldStartTable(coldRuns)],
  };
}
