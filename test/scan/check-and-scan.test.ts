/**
 * checkAndScan: the scan runs only after a check that left a verified head, its failures are
 * reported with the right status, and matches survive a delivery that fails (a process that
 * died between commit and delivery): delivered at the next run, once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TlogError } from '../../lib/errors.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { exitCodeFor } from '../../lib/monitor/check-result.ts';
import { checkAndScan } from '../../lib/scan/check-and-scan.ts';
import type { MatchSink } from '../../lib/scan/match-delivery.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { clock, indices, scanSetup } from './helpers.ts';

/** A sink that remembers what it has (like the matches file) and can be made to fail. */
class MemorySink implements MatchSink {
  readonly have: IdentityMatch[] = [];
  failNext = false;
  async deliver(_log: string, matches: readonly IdentityMatch[]): Promise<readonly IdentityMatch[]> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    const fresh = matches.filter((m) => !this.have.some((h) => h.index === m.index && h.rule === m.rule));
    this.have.push(...fresh);
    return fresh;
  }
}

function setup(size = 10) {
  const s = scanSetup(size);
  const state = new MemoryStateStore();
  const sink = new MemorySink();
  const run = () =>
    checkAndScan(
      'log',
      { client: s.client, store: state, clock },
      { source: s.source, matcher: s.matcher, options: {}, store: s.store, sink },
    );
  return { ...s, state, sink, run };
}

describe('checkAndScan', () => {
  it('scans after a clean check and reports the delivered matches; a match does not change the exit code', async () => {
    const t = setup(10);
    const init = await t.run();
    assert.equal(init.status, 'initialized');
    assert.deepEqual(init.matches, []);
    t.tree().grow(20);
    const r = await t.run();
    assert.equal(r.status, 'verified');
    assert.equal(exitCodeFor(r.status), 0);
    assert.deepEqual(indices(r.matches ?? []), [17, 27]);
    assert.deepEqual(r.scan, { next: '30', size: '30', shard: 'A', scanned: '20', complete: true });
  });

  it('a failed delivery keeps the matches pending; the next run delivers each once', async () => {
    const t = setup(10);
    await t.run();
    t.tree().grow(20);
    t.sink.failNext = true;
    const failed = await t.run();
    assert.equal(failed.status, 'monitor-error');
    assert.match(failed.message ?? '', /not delivered .*disk full/);
    assert.deepEqual(failed.matches, []);
    const next = await t.run();
    assert.equal(next.status, 'unchanged');
    assert.deepEqual(indices(next.matches ?? []), [17, 27]);
    assert.deepEqual(indices(t.sink.have), [17, 27]);
    assert.deepEqual(await t.store.pendingMatches('log'), []);
  });

  it('a forged entry: inconsistent with evidence kept in the state store; no scan after a failed check', async () => {
    const t = setup(10);
    await t.run();
    t.tree().grow(10);
    t.source.forge(12n, 'A/0/12 forged', 'A');
    const lie = await t.run();
    assert.equal(lie.status, 'inconsistent');
    assert.equal(lie.errorCode, 'scan/not-in-tree');
    assert.equal(t.state.evidence.length, 1);
    assert.equal(t.state.evidence[0]?.evidence?.other?.entryIndex, '12');

    // A check that fails leaves the scan alone.
    const calls = t.source.calls.length;
    const stored = t.state.heads.get('log');
    assert.ok(stored);
    t.state.heads.set('log', { ...stored, head: { ...stored.head, signed: '{"sig":"bad"}' } });
    const broken = await t.run();
    assert.equal(broken.status, 'monitor-error');
    assert.equal(broken.matches, undefined);
    assert.equal(t.source.calls.length, calls);
  });

  it('a log that cannot be read during the scan: its status (exit 2), the verified head kept', async () => {
    const t = setup(10);
    await t.run();
    t.tree().grow(10);
    t.source.fetchEntries = async () => {
      throw new TlogError('http/timeout', 'timed out after 10000 ms');
    };
    const r = await t.run();
    assert.equal(r.status, 'unreachable');
    assert.match(r.message ?? '', /^entries not scanned: timed out/);
    assert.equal(t.state.heads.get('log')?.head.size, '20', 'the check verified and stored the head');
  });
});
