/**
 * The one shared build of the handler (infra/bundle.ts): an ES module that imports nothing but
 * Node built-ins (the AWS SDK is inside, at the installed, lock-pinned versions), minified, and
 * loadable as a Lambda `index.handler`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUNDLE_FILE, BUNDLE_HANDLER, buildHandlerBundle } from '../../infra/bundle.ts';

const bundle = buildHandlerBundle();
const file = join(bundle.dir, BUNDLE_FILE);
const text = readFileSync(file, 'utf8');
const require = createRequire(import.meta.url);

test('the bundle is one ES module importing only Node built-ins', () => {
  assert.equal(bundle.bytes, Buffer.byteLength(text));
  assert.equal(BUNDLE_HANDLER, 'index.handler');
  assert.match(text, /^import \{ createRequire as __tlogCreateRequire \} from 'node:module';/);
  const imports = [...text.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1]);
  assert.ok(imports.length > 0);
  for (const spec of imports) assert.match(spec ?? '', /^node:/, `import of ${spec}`);
  assert.doesNotMatch(text, /\bfrom\s*["']@aws-sdk\//);
});

test('the AWS SDK clients are bundled at the installed versions', () => {
  for (const client of ['client-dynamodb', 'client-sns']) {
    const { version } = require(`@aws-sdk/${client}/package.json`) as { version: string };
    assert.ok(text.includes(`"@aws-sdk/${client}"`), client);
    assert.ok(text.includes(`"${version}"`), `${client} ${version}`);
  }
  for (const command of ['TransactWriteItems', 'Publish']) assert.ok(text.includes(command), command);
  // The metrics are log lines (embedded metric format): no CloudWatch client in the function.
  assert.ok(!text.includes('"@aws-sdk/client-cloudwatch"'), 'no CloudWatch client');
});

test('the bundle is minified', () => {
  // Minified code has no indentation and very long lines (newlines remain only inside strings).
  const lines = text.split('\n');
  assert.ok(text.length / lines.length > 1000, `${lines.length} lines`);
  assert.ok(lines.filter((l) => /^ {2,}\S/.test(l)).length < 20);
});

test('the bundle loads and exports the handler (without reading its environment at load)', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'function');
});

test('a missing environment fails the first invocation, naming the variables', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(file)});
       try { await m.handler({ action: 'check' }); console.log('no error'); }
       catch (e) { console.log(e.message); }`,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /LOG_CONFIG is not set/);
  assert.match(r.stdout, /TABLE_NAME is not set/);
});
