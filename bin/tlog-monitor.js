#!/usr/bin/env node
// Entry point: runs the compiled CLI from dist/ (built by `npm ci` through `prepare`, or `npm run build`).

// A reader that stops early (`tlog-monitor status | head`) is not an error: stop writing, quietly.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

let cli;
try {
  cli = await import('../dist/lib/local/cli.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('/dist/lib/local/cli.js')) throw e;
  process.stderr.write('tlog-monitor: the CLI is not built (dist/ is missing); run `npm run build` first\n');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
