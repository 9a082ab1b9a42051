/**
 * The CLI as a process, from the TypeScript sources: what bin/tlog-monitor.js runs from dist/,
 * for tests that need a real process (signals, exit codes) without building dist/ first.
 * Run as `node --import tsx test/support/cli-process.ts <args>`.
 */
import { main } from '../../lib/local/cli.ts';

process.exitCode = await main(process.argv.slice(2));
