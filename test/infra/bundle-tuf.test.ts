/**
 * TUF inside the Lambda bundle: built exactly as the handler is (infra/bundle.ts, with tuf-js's
 * unused make-fetch-happen stubbed out), the client still fetches and verifies a trusted root from
 * a TUF repository on 127.0.0.1, and still refuses expired metadata.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { BUNDLE_FILE, buildHandlerBundle } from '../../infra/bundle.ts';
import { TestTufRepo } from '../support/tuf-repo.ts';

const execFileP = promisify(execFile);
const bundle = buildHandlerBundle({
  entry: new URL('./fixtures/tuf-entry/entry.ts', import.meta.url).pathname,
});
let repo: TestTufRepo;
before(async () => {
  repo = await TestTufRepo.start();
});
after(() => repo.close());

/** Runs the bundled TUF client in a fresh process; prints the trusted root or the error message. */
async function fetchInBundle(): Promise<string> {
  const script = `
    const m = await import(${JSON.stringify(join(bundle.dir, BUNDLE_FILE))});
    const http = m.createHttpClient({ fetch: globalThis.fetch, clock: m.systemClock, retries: 0 });
    try {
      console.log(await m.fetchTrustedRootViaTuf({ url: ${JSON.stringify(repo.url)},
        initialRoot: new TextEncoder().encode(${JSON.stringify(repo.rootJson)}),
        cacheDir: ${JSON.stringify(mkdtempSync(join(tmpdir(), 'tlog-bundle-tuf-')))}, http }));
    } catch (e) { console.log('ERROR ' + e.message); }`;
  const { stdout } = await execFileP(process.execPath, ['--input-type=module', '-e', script]);
  return stdout.trim();
}

test('the bundled TUF client fetches and verifies trusted_root.json', async () => {
  repo.publish('{"mediaType":"x","tlogs":[]}');
  assert.equal(await fetchInBundle(), '{"mediaType":"x","tlogs":[]}');
});

test('the bundled TUF client refuses expired metadata', async () => {
  repo.publish('{"mediaType":"x","tlogs":[]}', { timestampExpiresInMs: -60_000 });
  assert.match(await fetchInBundle(), /^ERROR .*ExpiredMetadataError/);
});
