#!/usr/bin/env node
/**
 * Builds the package into dist/ (run by `npm run build`, and by `npm ci` through `prepare`):
 * the TypeScript sources of lib/, functions/ and infra/ compiled to JavaScript with declarations
 * (tsconfig.build.json), so the CLI runs without a TypeScript loader and the CDK construct can be
 * imported by another app.
 *
 * infra/bundle.ts finds the Lambda entry as `../functions/monitor.ts` beside itself. In dist/
 * that file is written here as a one-line re-export of the compiled handler, so the compiled
 * construct bundles the compiled handler.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
writeFileSync(
  new URL('../dist/functions/monitor.ts', import.meta.url),
  "// Written by scripts/build.mjs: the Lambda entry that dist/infra/bundle.js bundles.\nexport { handler } from './monitor.js';\n",
);
