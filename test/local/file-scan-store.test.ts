/** The file ScanStore (compare-and-set cursor, pending matches, range results) and the matches file sink. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TlogError } from '../../lib/errors.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { FileMatchSink, matchesFileFor } from '../../lib/local/file-match-sink.ts';
import { FileScanStore, scanFileFor } from '../../lib/local/file-scan-store.ts';
import { deliverPending } from '../../lib/scan/match-delivery.ts';

const match = (index: number, rule = 'alice'): IdentityMatch => ({
  index: String(index),
  matcher: 'certIdentities',
  rule,
  values: [`alice@example.com #${index}`],
  entryType: 'hashedrekord',
});
const hash = (b: number) => new Uint8Array(32).fill(b);

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'tlog-scan-'));
  const stateFile = join(dir, 'log.json');
  return { stateFile, store: new FileScanStore(() => stateFile), sink: new FileMatchSink(() => stateFile) };
}

describe('FileScanStore', () => {
  it('moves the cursor only by compare-and-set and keeps each match pending once', async () => {
    const { store } = await setup();
    assert.equal(await store.loadScan('log'), undefined);
    assert.equal(await store.commitScan('log', 1, { next: 4n, range: [hash(1)] }, []), false);
    assert.ok(await store.commitScan('log', 0, { next: 4n, range: [hash(1)], shard: 'A' }, [match(2)]));
    assert.ok(
      await store.commitScan('log', 1, { next: 6n, range: [hash(1), hash(2)], shard: 'A' }, [
        match(2),
        match(5),
      ]),
    );
    assert.equal(await store.commitScan('log', 1, { next: 9n, range: [hash(3)] }, [match(8)]), false);
    const s = await store.loadScan('log');
    assert.equal(s?.version, 2);
    assert.equal(s?.cursor.next, 6n);
    assert.equal(s?.cursor.shard, 'A');
    assert.deepEqual(s?.cursor.range, [hash(1), hash(2)]);
    assert.deepEqual(
      (await store.pendingMatches('log')).map((m) => m.index),
      ['2', '5'],
    );
    await store.markDelivered('log', [match(2)]);
    assert.deepEqual(
      (await store.pendingMatches('log')).map((m) => m.index),
      ['5'],
    );
  });

  it('concurrent commits on one version: exactly one wins', async () => {
    const { store } = await setup();
    const wins = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.commitScan('log', 0, { next: BigInt(i + 1), range: [hash(i)] }, [match(i)]),
      ),
    );
    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await store.pendingMatches('log')).length, 1);
  });

  it('keeps range results until deleted', async () => {
    const { store } = await setup();
    const r = {
      start: 8n,
      end: 12n,
      nodes: [hash(7)],
      matches: [match(9)],
      skipped: [{ index: '10', reason: 'x' }],
    };
    await store.putRangeResult('log', r);
    assert.deepEqual(await store.loadRangeResult('log', 8n), r);
    assert.equal(await store.loadRangeResult('log', 12n), undefined);
    await store.deleteRangeResult('log', 8n);
    assert.equal(await store.loadRangeResult('log', 8n), undefined);
  });

  it('refuses a corrupt scan file', async () => {
    const { store, stateFile } = await setup();
    await store.commitScan('log', 0, { next: 1n, range: [hash(1)] }, []);
    const text = await readFile(scanFileFor(stateFile), 'utf8');
    await writeFile(scanFileFor(stateFile), text.replace('"next": "1"', '"next": "-1"'));
    await assert.rejects(
      store.loadScan('log'),
      (e: unknown) => e instanceof TlogError && e.code === 'state/corrupt',
    );
    await writeFile(scanFileFor(stateFile), '{');
    await assert.rejects(
      store.loadScan('log'),
      (e: unknown) => e instanceof TlogError && e.code === 'state/corrupt',
    );
  });
});

describe('FileMatchSink and deliverPending', () => {
  const lines = async (stateFile: string) =>
    (await readFile(matchesFileFor(stateFile), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  it('appends each match once, also when a run died after appending and before marking them delivered', async () => {
    const { store, sink, stateFile } = await setup();
    await store.commitScan('log', 0, { next: 10n, range: [hash(1), hash(2)] }, [match(3), match(7)]);
    // A run that died between the append and markDelivered: the matches are in the file and still pending.
    assert.deepEqual(
      (await sink.deliver('log', [match(3)])).map((m) => m.index),
      ['3'],
    );
    const delivered = await deliverPending('log', store, sink);
    assert.deepEqual(
      delivered.map((m) => m.index),
      ['7'],
    );
    assert.deepEqual(await store.pendingMatches('log'), []);
    assert.deepEqual(await deliverPending('log', store, sink), []);
    const got = await lines(stateFile);
    assert.deepEqual(
      got.map((l) => [l.log, l.index, l.rule]),
      [
        ['log', '3', 'alice'],
        ['log', '7', 'alice'],
      ],
    );
  });

  it('cuts off a half-written last line and writes its match again', async () => {
    const { sink, stateFile } = await setup();
    await sink.deliver('log', [match(1)]);
    const path = matchesFileFor(stateFile);
    await writeFile(path, `${await readFile(path, 'utf8')}{"log":"log","index":"2","matc`);
    await sink.deliver('log', [match(1), match(2)]);
    assert.deepEqual(
      (await lines(stateFile)).map((l) => l.index),
      ['1', '2'],
    );
  });

  it('concurrent deliveries of the same pending matches append them once', async () => {
    const { store, sink, stateFile } = await setup();
    await store.commitScan('log', 0, { next: 10n, range: [hash(1), hash(2)] }, [match(3), match(4, 'bob')]);
    const runs = await Promise.all([1, 2, 3].map(() => deliverPending('log', store, sink)));
    assert.equal(runs.flat().length, 2, 'each match in exactly one run result');
    assert.equal((await lines(stateFile)).length, 2);
  });
});
