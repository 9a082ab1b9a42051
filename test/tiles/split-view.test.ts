/**
 * Split-view detection on a tile log (verify-checkpoint): a checkpoint seen elsewhere is proven
 * consistent with the monitor's head from the log's tiles, or shown to belong to another history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../lib/http/ports.ts';
import { tileLogClient, tileLogVerifier } from '../../lib/logs/tiles.ts';
import { checkLog } from '../../lib/monitor/check.ts';
import { verifyForeignCheckpoint } from '../../lib/monitor/verify-foreign-checkpoint.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { startTileLog, type TileLog } from '../support/tile-log-server.ts';
import { loopbackHttp } from './helpers.ts';

describe('verify-checkpoint on a tile log', () => {
  let log: TileLog;
  before(async () => {
    log = await startTileLog({ type: 'static-ct', initialSize: 5000 });
  });
  after(() => log.close());

  const deps = (store: MemoryStateStore) => ({
    client: tileLogClient({
      type: log.type,
      url: log.url,
      origin: log.origin,
      verifiers: [tileLogVerifier(log.type, log.publicKey, log.origin)],
      http: loopbackHttp(),
    }),
    store,
    clock: systemClock,
  });

  it('an older and a newer honest checkpoint are consistent with the stored head', async () => {
    log.reset();
    const older = log.checkpoint();
    log.append(300);
    const store = new MemoryStateStore();
    assert.equal((await checkLog('l', deps(store))).status, 'initialized');
    log.append(1234);
    const newer = log.checkpoint();
    for (const cp of [older, newer]) {
      const r = await verifyForeignCheckpoint('l', cp, deps(store));
      assert.equal(r.status, 'verified', r.message);
    }
  });

  it('a validly signed checkpoint of a rewritten history is inconsistent, with the tiles as evidence', async () => {
    log.reset();
    const store = new MemoryStateStore();
    assert.equal((await checkLog('l', deps(store))).status, 'initialized');
    log.rewriteLeaf(log.size - 100);
    log.append(10);
    const other = log.checkpoint();
    const r = await verifyForeignCheckpoint('l', other, deps(store));
    assert.equal(r.status, 'inconsistent', r.message);
    assert.equal(JSON.parse(r.evidence?.proof ?? '{}').computedFrom, 'tiles');
    log.reset();
  });
});
