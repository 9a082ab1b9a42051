/**
 * The CLI end to end against the in-repo tile log server (real signatures, real HTTP on
 * loopback): every status and exit code of docs/contracts.md for a tlog-tiles log of more than 2^17
 * entries and a static-ct-api log, including a forked tile, a rewritten history, a rollback,
 * the witness policy and recovery after each lie.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import {
  AdHocCli,
  expectForkCaught,
  expectHeadKept,
  expectRollbackCaught,
  runCli,
} from '../support/test-log-cli.ts';
import { startTileLog, type TileLog } from '../support/tile-log-server.ts';

/** Ad-hoc checks of a tile log: a vkey names the origin, a PEM key (static-ct) needs --origin. */
const cliFor = (log: TileLog): Promise<AdHocCli> =>
  AdHocCli.create({
    type: log.type,
    url: log.url,
    keyText: log.publicKey,
    ...(log.publicKey.includes('BEGIN') ? { origin: log.origin } : {}),
  });

const SETUPS = [
  { type: 'tiles', initialSize: 2 ** 17 + 777 },
  { type: 'static-ct', initialSize: 70_001 },
] as const;

for (const setup of SETUPS) {
  describe(`tlog-monitor check (${setup.type}, ${setup.initialSize} entries)`, () => {
    let log: TileLog;
    let cli: AdHocCli;
    before(async () => {
      log = await startTileLog(setup);
    });
    after(() => log.close());
    const fresh = async () => {
      log.reset();
      cli = await cliFor(log);
      await cli.expect('initialized', 0);
    };

    it('initializes, verifies growth from tiles, reports unchanged', async () => {
      await fresh();
      assert.equal(await cli.storedSize(), String(log.size));
      log.append(70_000);
      const r = await cli.expect('verified', 0);
      assert.equal(Number(r.current?.size) - Number(r.previous?.size), 70_000);
      assert.ok(
        log.requests.some((p) => p.startsWith('/tile/2/')),
        'level-2 tiles used',
      );
      log.append(1);
      await cli.expect('verified', 0);
      await cli.expect('unchanged', 0);
    });

    it('fork: same size, different root, both signed: exit 1 with evidence, head kept', async () => {
      await fresh();
      await expectForkCaught(cli, log);
    });

    it('rollback: a smaller signed checkpoint: exit 1, head kept', async () => {
      await fresh();
      await expectRollbackCaught(cli, log, 500, 300);
    });

    it('a forked tile persisting: inconsistent, exit 1, the tiles kept as evidence', async () => {
      await fresh();
      const stored = await cli.storedSize();
      log.append(999);
      log.forkTiles({ level: 0 });
      const r = await cli.expect('inconsistent', 1);
      const proof = JSON.parse(r.evidence?.proof ?? '{}');
      assert.equal(proof.computedFrom, 'tiles');
      assert.ok(Object.keys(proof.tiles).some((p) => p.startsWith('tile/0/')));
      // The tiles contradict the new signed root: they, not the checkpoints, are what is wrong.
      assert.equal(proof.diagnosis.tilesMatchSecond, false);
      assert.equal(await cli.storedSize(), stored);
      log.reset();
      await cli.expect('verified', 0);
    });

    it('a forked tile served once is re-fetched and the check verifies', async () => {
      await fresh();
      log.append(999);
      log.forkTiles({ times: 1 });
      await cli.expect('verified', 0);
    });

    it('a rewritten history (old leaf changed, tiles and checkpoint agree) is inconsistent', async () => {
      await fresh();
      const stored = Number(await cli.storedSize());
      log.append(10);
      log.rewriteLeaf(stored - 5);
      const r = await cli.expect('inconsistent', 1);
      assert.ok(r.evidence?.proof && r.evidence.previous && r.evidence.current);
      // Tiles and the new checkpoint agree; the stored signed head is not a prefix of them.
      const { diagnosis } = JSON.parse(r.evidence.proof);
      assert.deepEqual([diagnosis.tilesMatchFirst, diagnosis.tilesMatchSecond], [false, true]);
      log.reset();
      await cli.expect('verified', 0);
    });

    it('bad signature and wrong origin: exit 1 with the rejected checkpoint as evidence', async () => {
      for (const lie of [() => log.badSignature(), () => log.wrongOrigin()]) {
        await fresh();
        log.append(3);
        const r = await expectHeadKept(cli, log, lie, {
          status: 'bad-signature',
          code: 1,
          recovered: 'verified',
        });
        assert.ok(r.evidence?.current);
      }
    });

    const operational: [string, () => void, CheckResult['status']][] = [
      ['a garbage checkpoint', () => log.respondWith('garbage', 'checkpoint'), 'invalid-response'],
      ['a huge checkpoint', () => log.respondWith('huge', 'checkpoint'), 'invalid-response'],
      ['a slow checkpoint', () => log.respondWith('slow', 'checkpoint'), 'unreachable'],
      ['HTTP 500 on the checkpoint', () => log.respondWith('status500', 'checkpoint'), 'unreachable'],
      ['HTTP 404 on the checkpoint', () => log.respondWith('status404', 'checkpoint'), 'unreachable'],
      ['a short tile', () => log.respondWith('short', 'tile'), 'invalid-response'],
      ['HTTP 500 on tiles', () => log.respondWith('status500', 'tile'), 'unreachable'],
    ];
    for (const [what, lie, status] of operational) {
      it(`${what}: ${status}, exit 2, head kept, recovers`, async () => {
        await fresh();
        log.append(5);
        await expectHeadKept(cli, log, lie, { status, code: 2, recovered: 'verified' });
      });
    }

    it('a tampered state file is refused (monitor-error, exit 2)', async () => {
      await fresh();
      const s = JSON.parse(await readFile(cli.stateFile, 'utf8'));
      const tampered = s.logs.test.head.signed.replace(
        /\n(\d+)\n/,
        (_: string, n: string) => `\n${Number(n) + 1}\n`,
      );
      assert.notEqual(tampered, s.logs.test.head.signed);
      s.logs.test.head.signed = tampered;
      await writeFile(cli.stateFile, JSON.stringify(s));
      const r = await cli.expect('monitor-error', 2);
      assert.match(r.message ?? '', /no longer verifies/);
    });
  });
}

describe('tlog-monitor check (tiles with a witness policy, from a config file)', () => {
  let log: TileLog;
  before(async () => {
    log = await startTileLog({ type: 'tiles', initialSize: 1000, witnesses: 3 });
  });
  after(() => log.close());

  it('too few cosignatures is bad-signature; enough is verified', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlog-tiles-witness-'));
    const cfg = join(dir, 'c.json');
    const entry = {
      name: 'w',
      type: 'tiles',
      url: log.url,
      publicKey: log.publicKey,
      witnesses: log.witnessKeys,
      minWitnesses: 2,
    };
    await writeFile(cfg, JSON.stringify({ logs: [entry] }));
    const args = ['check', '--config', cfg, '--state-dir', dir, '--json', '--timeout', '1'];
    const run = async () => {
      const { code, results, err } = await runCli(args);
      assert.equal(results.length, 1, err);
      return { code, result: results[0] as CheckResult };
    };
    let r = await run();
    assert.equal(r.result.status, 'initialized');
    assert.deepEqual(r.result.cosignedBy, [
      'witness-0.test.local',
      'witness-1.test.local',
      'witness-2.test.local',
    ]);
    log.append(10);
    log.cosignBy(1);
    r = await run();
    assert.equal(r.result.status, 'bad-signature', r.result.message);
    assert.equal(r.code, 1);
    assert.match(r.result.message ?? '', /witness policy/);
    log.cosignBy(2);
    r = await run();
    assert.equal(r.result.status, 'verified', r.result.message);
    assert.deepEqual(r.result.cosignedBy, ['witness-0.test.local', 'witness-1.test.local']);
    log.badCosignature(0);
    r = await run();
    assert.equal(r.result.status, 'bad-signature');
  });
});
