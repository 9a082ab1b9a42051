/**
 * Runs one entry test log in a child process, so that a benchmark measures the client in its own
 * process while the log serves from another (as a remote log would), on loopback only.
 *
 *   const log = await startEntryLogWorker({ type: 'ct', size: 1_000_000 });  … await log.close();
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCtEntryLog } from './ct-entry-log.ts';
import { startRekorEntryLog } from './rekor-v1-entry-log.ts';
import { startTileEntryLog } from './tile-entry-log.ts';

export interface EntryLogSpec {
  readonly type: 'rekor-v1' | 'ct' | 'tiles' | 'static-ct';
  readonly size: number;
  /** CT: entries per get-entries answer at most. */
  readonly maxPageSize?: number;
}

/** What the worker reports once its log listens. */
export interface EntryLogInfo {
  readonly url: string;
  /** PEM (rekor-v1, ct, static-ct) or vkey (tiles). */
  readonly publicKey: string;
  /** Rekor: signer name; tiles: origin. */
  readonly name: string;
  /** CT: LogID and DER key, base64 (for certspotter's log list). */
  readonly logIdBase64?: string;
  readonly publicKeyDerBase64?: string;
  /** Seconds spent building the log (leaf hashes and tree). */
  readonly buildSeconds: number;
}

export interface EntryLogWorker {
  readonly info: EntryLogInfo;
  close(): Promise<void>;
}

export async function startEntryLogWorker(spec: EntryLogSpec): Promise<EntryLogWorker> {
  // The child loads this file as TypeScript through tsx, as the tests and benchmarks do.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<EntryLogInfo>((resolve, reject) => {
    child.once('message', (m) => resolve(m as EntryLogInfo));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`entry log process exited with ${code}`)));
  });
  return {
    info,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

async function serve(spec: EntryLogSpec): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) return;
  const t0 = performance.now();
  let info: Omit<EntryLogInfo, 'buildSeconds'>;
  let close: () => Promise<void>;
  if (spec.type === 'rekor-v1') {
    const log = await startRekorEntryLog({ initialSize: spec.size });
    log.warm();
    info = { url: log.url, publicKey: log.publicKeyPem, name: log.keyName };
    close = () => log.close();
  } else if (spec.type === 'ct') {
    const log = await startCtEntryLog({
      initialSize: spec.size,
      ...(spec.maxPageSize ? { maxPageSize: spec.maxPageSize } : {}),
    });
    info = {
      url: log.url,
      publicKey: log.publicKeyPem,
      name: log.url,
      logIdBase64: log.logIdBase64,
      publicKeyDerBase64: log.publicKeyDerBase64,
    };
    close = () => log.close();
  } else {
    const log = await startTileEntryLog({ type: spec.type, initialSize: spec.size });
    info = { url: log.url, publicKey: log.publicKey, name: log.origin };
    close = () => log.close();
  }
  send({ ...info, buildSeconds: (performance.now() - t0) / 1000 } satisfies EntryLogInfo);
  process.once('message', async () => {
    await close();
    process.disconnect();
  });
}

// Started by startEntryLogWorker: argv[2] is the spec.
if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serve(JSON.parse(process.argv[2] as string) as EntryLogSpec);
}
