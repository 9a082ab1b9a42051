/**
 * The identity scan through the CLI, end to end against the in-repo Rekor v1 and CT test logs
 * (real signatures, heads and proofs over HTTP on loopback; state, cursor and matches files on
 * disk): exactly the matching entries, each once across runs and concurrent runs; a forged entry
 * gives exit 1 with evidence and is never a match; the scan resumes when the log is honest again;
 * budgets; Rekor shard rotation.
 *
 * The entries come from a stand-in EntrySource that serves the test log's own leaves in-process
 * (`test-log <treeID> leaf <i>`), and the matcher is a stand-in over the leaf text, until
 * lib/entries (sources over HTTP, test logs that serve entries) and lib/identity (matchers) are
 * merged: see the CLI scan tests of those for the real sources and matchers.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { toBase64, utf8 } from '../../lib/bytes.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { main } from '../../lib/local/cli.ts';
import { matchesFileFor } from '../../lib/local/file-match-sink.ts';
import type { ScanComponents } from '../../lib/local/scan-wiring.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import type { ScanOptions } from '../../lib/scan/scan-options.ts';
import { FakeEntrySource, type LeafTree, textMatcher } from '../support/fake-entries.ts';
import { AdHocCli } from '../support/test-log-cli.ts';
import { startTestLog, type TestLog } from '../support/test-log-server.ts';
import { leafHash } from '../support/test-log-tree.ts';

const leafText = (tree: string, i: bigint) => `test-log ${tree} leaf ${i}`;
const testLeaves = (tree: string): LeafTree => ({
  leafData: (i) => utf8(leafText(tree, i)),
  leafHash: (i) => leafHash(utf8(leafText(tree, i))),
});
/** Entries whose index ends in 7 match; those ending in 3 are unreadable. */
const MATCHING = /test-log [0-9]+ leaf [0-9]*7/;
const UNREADABLE = /test-log [0-9]+ leaf [0-9]*3/;

interface Run {
  readonly code: number;
  readonly result: CheckResult;
}

class ScanCli {
  readonly source: FakeEntrySource;
  options: ScanOptions = {};

  constructor(
    readonly log: TestLog,
    readonly cli: AdHocCli,
  ) {
    // CT has no shards: its one tree is the test log's tree.
    this.source = new FakeEntrySource((shard) => testLeaves(shard === '' ? log.treeId : shard), {
      pageSize: 10,
      format: log.type,
    });
  }

  get components(): ScanComponents {
    return () => ({ source: this.source, matcher: textMatcher(MATCHING, UNREADABLE), options: this.options });
  }

  /** Extra command line flags. */
  flags: string[] = [];

  async run(): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [...this.cli.args(), ...this.flags],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      this.components,
    );
    assert.equal(out.length, 1, err.join('\n'));
    return { code, result: JSON.parse(out[0] as string) as CheckResult };
  }

  async expect(status: CheckResult['status'], code: number): Promise<CheckResult> {
    const r = await this.run();
    assert.equal(r.result.status, status, `${r.result.status}: ${r.result.message ?? ''}`);
    assert.equal(r.code, code);
    return r.result;
  }

  /** The matches file, one object per line. */
  async delivered(): Promise<(IdentityMatch & { log: string })[]> {
    try {
      const text = await readFile(matchesFileFor(this.cli.stateFile), 'utf8');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
}

const at = (ms: readonly { index: string; shard?: string }[] | undefined) =>
  (ms ?? []).map((m) => (m.shard !== undefined ? `${m.shard}:${m.index}` : m.index));

/** `shard:index` (or just index) of the indices in [from, to) ending in `d`. */
function ending(d: number, from: number, to: number, shard?: string): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++)
    if (i % 10 === d) out.push(shard !== undefined ? `${shard}:${i}` : String(i));
  return out;
}

for (const type of ['rekor-v1', 'ct'] as const) {
  describe(`tlog-monitor check with identities (${type})`, () => {
    let log: TestLog;
    before(async () => {
      log = await startTestLog({ type, initialSize: 20 });
    });
    after(() => log.close());

    const fresh = async (options: ScanOptions = {}): Promise<ScanCli> => {
      log.reset();
      const cli = new ScanCli(
        log,
        await AdHocCli.create({
          type,
          url: log.url,
          keyText: log.publicKeyPem,
          ...(type === 'rekor-v1' ? { origin: log.keyName } : {}),
        }),
      );
      cli.options = options;
      return cli;
    };
    const shard = () => (type === 'rekor-v1' ? log.treeId : undefined);

    it('reports exactly the matching new entries, each once across runs, and lists the unreadable ones', async () => {
      const cli = await fresh();
      const first = log.size;
      const init = await cli.expect('initialized', 0);
      assert.deepEqual(init.matches, [], 'new entries only: nothing before the first verified head');
      assert.equal(init.scan?.next, String(first));

      log.append(35);
      const grown = await cli.expect('verified', 0);
      assert.deepEqual(at(grown.matches), ending(7, first, first + 35, shard()));
      assert.deepEqual(at(grown.skipped), ending(3, first, first + 35, shard()));
      assert.equal(grown.scan?.complete, true);
      assert.equal(grown.matches?.[0]?.values[0], leafText(log.treeId, BigInt(first + 7 - (first % 10))));

      const again = await cli.expect('unchanged', 0);
      assert.deepEqual(again.matches, []);
      assert.deepEqual(
        at(await cli.delivered()),
        ending(7, first, first + 35, shard()),
        'the matches file has each match once',
      );
    });

    it('a forged entry: exit 1 with the entry and the signed head as evidence, never a match; resumes when honest', async () => {
      const cli = await fresh();
      await cli.expect('initialized', 0);
      const start = log.size;
      log.append(30);
      const forged = BigInt(start + 17 - (start % 10)); // an index that would match
      cli.source.forge(forged, `${leafText(log.treeId, forged)} (not in the tree)`, shard() ?? '');
      const lie = await cli.expect('inconsistent', 1);
      assert.equal(lie.errorCode, 'scan/not-in-tree');
      assert.equal(lie.evidence?.other?.entryIndex, String(forged));
      assert.equal(
        lie.evidence?.other?.entry,
        toBase64(utf8(`${leafText(log.treeId, forged)} (not in the tree)`)),
      );
      assert.equal(lie.evidence?.current !== undefined && lie.evidence.current.length > 0, true);
      assert.ok(
        !at(lie.matches).some((m) => m.endsWith(String(forged))),
        'the forged entry is never a match',
      );
      assert.ok(!at(await cli.delivered()).some((m) => m.endsWith(String(forged))));
      const [kept] = await readdir(`${cli.cli.stateFile}.evidence`);
      assert.match(await readFile(`${cli.cli.stateFile}.evidence/${kept}`, 'utf8'), /scan\/not-in-tree/);

      cli.source.forged.clear();
      const honest = await cli.expect('unchanged', 0);
      assert.deepEqual(
        at(await cli.delivered()),
        ending(7, start, start + 30, shard()),
        'nothing lost: every match once, the forged index included now that it is proven',
      );
      assert.ok(at(honest.matches).includes(shard() ? `${shard()}:${forged}` : String(forged)));
    });

    it('a budget spreads a backlog over runs; concurrent runs share one cursor and deliver each match once', async () => {
      const cli = await fresh({ startIndex: 0n, maxEntries: 40n, chunkEntries: 16 });
      const total = log.size + 100;
      log.append(100);
      const runs = await Promise.all([cli.run(), cli.run(), cli.run()]);
      for (const r of runs) assert.equal(r.code, 0, r.result.message);
      let rest = 0;
      for (; rest < 10; rest++) {
        const r = await cli.run();
        if (r.result.scan?.complete) break;
        assert.equal(r.result.scan?.next !== String(total), true);
      }
      const delivered = at(await cli.delivered());
      assert.deepEqual(delivered, ending(7, 0, total, shard()));
      assert.equal(new Set(delivered).size, delivered.length, 'no match twice');
    });

    it('--scan-max-entries bounds one run; a bad value is refused', async () => {
      const cli = await fresh({ startIndex: 0n, chunkEntries: 8 });
      cli.flags = ['--scan-max-entries', '15'];
      const r = await cli.expect('initialized', 0);
      assert.equal(r.scan?.scanned, '15');
      assert.equal(r.scan?.complete, false);
      assert.equal(r.scan?.next, '15');
      cli.flags = ['--scan-max-entries', '0'];
      const out: string[] = [];
      const err: string[] = [];
      const code = await main([...cli.cli.args(), ...cli.flags], {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      assert.equal(code, 2);
      assert.match(err.join('\n'), /--scan-max-entries must be a positive whole number, got "0"/);
    });

    if (type === 'rekor-v1') {
      it('shard rotation: finishes the old shard to its final size, then scans the new shard', async () => {
        const cli = await fresh();
        await cli.expect('initialized', 0);
        const oldShard = log.treeId;
        const start = log.size;
        log.append(12);
        log.rotateShard();
        log.append(25);
        const r = await cli.expect('verified', 0);
        assert.ok(r.shardRotation);
        assert.deepEqual(at(r.matches), [
          ...ending(7, start, start + 12, oldShard),
          ...ending(7, 0, 25, log.treeId),
        ]);
        const offsets = new Map(cli.source.calls.map(([s, , , offset]) => [s, offset]));
        assert.equal(
          offsets.get(log.treeId),
          BigInt(start + 12),
          'global index of the new shard starts after the old one',
        );
      });
    }
  });
}
