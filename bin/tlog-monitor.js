#!/usr/bin/env node
// Entry point: loads the TypeScript CLI through tsx's loader, then runs it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
