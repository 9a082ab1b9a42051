/**
 * The one shared build of the monitor Lambda: functions/monitor.ts bundled once with esbuild
 * (ESM, minified, Node 24, the AWS SDK included at the versions package-lock.json pins) into a
 * directory that becomes a single Lambda code asset, reused by every per-log function. Each
 * function gets its log through env LOG_CONFIG, not through its code.
 *
 * Bundling runs locally (no Docker) and synchronously, because CDK constructs are built
 * synchronously.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The handler entry, relative to this file. */
export const MONITOR_ENTRY = fileURLToPath(new URL('../functions/monitor.ts', import.meta.url));
/** The identity scan's shared worker (fan-out), bundled the same way into its own asset. */
export const SCAN_WORKER_ENTRY = fileURLToPath(new URL('../functions/scan-worker.ts', import.meta.url));

const MAKE_FETCH_HAPPEN_STUB = fileURLToPath(new URL('./bundle-stubs/make-fetch-happen.ts', import.meta.url));

/** The file name of the bundle inside its directory; the Lambda handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';
export const BUNDLE_HANDLER = 'index.handler';

// Some of the SDK's dependencies are CommonJS and call `require`, which an ES module lacks.
const REQUIRE_BANNER =
  "import { createRequire as __tlogCreateRequire } from 'node:module';" +
  'const require = __tlogCreateRequire(import.meta.url);';

export interface HandlerBundle {
  /** The directory holding `index.mjs`: the Lambda code asset. */
  readonly dir: string;
  /** The bundle's size in bytes. */
  readonly bytes: number;
}

export interface BundleOptions {
  /** The entry point. Default: functions/monitor.ts. */
  readonly entry?: string;
  /** Where to write the bundle. Default: a new directory under the system temp directory. */
  readonly outDir?: string;
}

/** Builds the handler bundle; throws (failing synth) with esbuild's messages when it cannot. */
export function buildHandlerBundle(options: BundleOptions = {}): HandlerBundle {
  const dir = options.outDir ?? mkdtempSync(join(tmpdir(), 'tlog-monitor-bundle-'));
  const outfile = join(dir, BUNDLE_FILE);
  buildSync({
    entryPoints: [options.entry ?? MONITOR_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    // Nothing is external: the function runs exactly the SDK versions the lock file pins, not
    // whichever SDK the Lambda runtime happens to ship.
    external: [],
    // tuf-js's unused default fetcher (see bundle-stubs/make-fetch-happen.ts).
    alias: { 'make-fetch-happen': MAKE_FETCH_HAPPEN_STUB },
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    // The bundled packages' licence notices (Apache-2.0 AWS SDK, MIT noble) go to index.mjs.LEGAL.txt
    // beside the bundle, so the deployed artifact keeps them without growing the code.
    legalComments: 'external',
    logLevel: 'silent',
    // A deterministic build keeps the asset hash stable, so an unchanged handler is not redeployed.
    sourcemap: false,
    metafile: false,
  });
  return { dir, bytes: statSync(outfile).size };
}
