/**
 * `tlog-monitor check --json` with identities on each of the four log types, end to end with the
 * real entry sources (lib/entries) and matchers (lib/identity) against the entry test logs
 * (test/support/entries/, real entries from test/vectors): exactly the matching entries, each
 * once across runs; a forged entry (bytes not in the signed tree) gives exit 1 with evidence and
 * is never reported; when the log is honest again the scan resumes with nothing lost.
 *
 * The identities are given to the CLI the way its config will (`createEntrySource`,
 * `createEntryMatcher(identities)`), through main's ScanComponents argument.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '../../lib/bytes.ts';
import { createEntrySource } from '../../lib/entries/create-entry-source.ts';
import type { EntryFormat, ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { systemClock } from '../../lib/http/ports.ts';
import { createEntryMatcher } from '../../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../../lib/identity/identities-config.ts';
import { main } from '../../lib/local/cli.ts';
import { matchesFileFor } from '../../lib/local/file-match-sink.ts';
import type { ScanComponents } from '../../lib/local/scan-wiring.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import { startCtEntryLog } from '../support/entries/ct-entry-log.ts';
import { startRekorEntryLog } from '../support/entries/rekor-v1-entry-log.ts';
import { startTileEntryLog } from '../support/entries/tile-entry-log.ts';
import { AdHocCli } from '../support/test-log-cli.ts';

/** What these tests need of an entry test log. */
interface EntryLog {
  readonly type: 'rekor-v1' | 'ct' | 'tiles' | 'static-ct';
  readonly format: EntryFormat;
  readonly url: string;
  readonly keyText: string;
  readonly origin?: string;
  size(): number;
  append(n: number): void;
  /** The honest entry at `index` (Rekor: of the active shard, or of `shard`), as the source receives it. */
  entry(index: number, shard?: string): ReceivedEntry;
  /** Rekor: the active shard's tree ID, and a shard rotation. */
  shard?(): string;
  rotate?(): void;
  /** Serve other bytes at `index`; `tiles`: the level-0 hash tile agrees with them (tile logs). */
  forge(index: number, tiles?: boolean): void;
  reset(): void;
  close(): Promise<void>;
}

async function startEntryLog(type: EntryLog['type']): Promise<EntryLog> {
  if (type === 'rekor-v1') {
    const log = await startRekorEntryLog({ initialSize: 30 });
    return {
      type,
      format: 'rekor-v1',
      url: log.url,
      keyText: log.publicKeyPem,
      origin: log.keyName,
      size: () => log.size,
      append: (n) => log.append(n),
      entry: (i, shard) => ({ index: BigInt(i), leaf: log.body(i, shard) }),
      forge: (i) => log.forgeEntry(i),
      shard: () => log.treeId,
      rotate: () => log.rotateShard(),
      reset: () => log.reset(),
      close: () => log.close(),
    };
  }
  if (type === 'ct') {
    const log = await startCtEntryLog({ initialSize: 30, maxPageSize: 16 });
    return {
      type,
      format: 'ct',
      url: log.url,
      keyText: log.publicKeyPem,
      size: () => log.size,
      append: (n) => log.append(n),
      entry: (i) => ({ index: BigInt(i), leaf: log.entry(i).leafInput, unsigned: log.entry(i).extraData }),
      forge: (i) => log.forgeEntry(i),
      reset: () => log.reset(),
      close: () => log.close(),
    };
  }
  const log = await startTileEntryLog({ type, initialSize: 30 });
  return {
    type,
    format: type === 'tiles' ? 'rekor-v2' : 'static-ct',
    url: log.url,
    keyText: log.publicKey,
    ...(type === 'static-ct' ? { origin: log.origin } : {}),
    size: () => log.size,
    append: (n) => log.append(n),
    entry: (i) => ({ index: BigInt(i), leaf: log.leaf(i) }),
    forge: (i, tiles) => log.forgeEntry(i, { tiles: tiles === true }),
    reset: () => log.reset(),
    close: () => log.close(),
  };
}

/** One identity per log type that some, not all, of the test logs' real entries name. */
const IDENTITIES: Record<EntryLog['type'], IdentitiesConfig> = {
  'rekor-v1': { certIdentities: [{ certSubject: 'brian@dehamer\\.com' }] },
  tiles: { certIdentities: [{ certSubject: 'brian@dehamer\\.com' }] },
  // The CT test logs serve one real certificate (timestamps vary): every entry names it.
  ct: { subjects: ['www\\.gem-jewelers\\.com'] },
  'static-ct': { subjects: ['www\\.gem-jewelers\\.com'] },
};

class Cli {
  private constructor(
    readonly log: EntryLog,
    readonly adHoc: AdHocCli,
    readonly identities: IdentitiesConfig,
  ) {}

  static async create(log: EntryLog, identities: IdentitiesConfig): Promise<Cli> {
    const adHoc = await AdHocCli.create({
      type: log.type,
      url: log.url,
      keyText: log.keyText,
      ...(log.origin !== undefined ? { origin: log.origin } : {}),
    });
    return new Cli(log, adHoc, identities);
  }

  components: ScanComponents = (config, http) => ({
    source: createEntrySource(config, http, systemClock),
    matcher: createEntryMatcher(this.identities),
    options: this.identities.startIndex !== undefined ? { startIndex: this.identities.startIndex } : {},
  });

  async expect(status: CheckResult['status'], code: number): Promise<CheckResult> {
    const out: string[] = [];
    const err: string[] = [];
    const got = await main(
      this.adHoc.args(),
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      this.components,
    );
    assert.equal(out.length, 1, err.join('\n'));
    const r = JSON.parse(out[0] as string) as CheckResult;
    assert.equal(r.status, status, `${r.status}: ${r.message ?? ''}`);
    assert.equal(got, code);
    return r;
  }

  async delivered(): Promise<string[]> {
    const text = await readFile(matchesFileFor(this.adHoc.stateFile), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { index: string }).index);
  }

  /** The oracle: the indices in [from, to) whose honest entry the matcher matches. */
  matching(from: number, to: number, shard?: string): string[] {
    const matcher = createEntryMatcher(this.identities);
    const out: string[] = [];
    for (let i = from; i < to; i++) {
      const v = matcher.match(this.log.format, this.log.entry(i, shard));
      if ('matches' in v && v.matches.length > 0) out.push(String(i));
    }
    return out;
  }
}

const indices = (r: CheckResult) => [...new Set((r.matches ?? []).map((m) => m.index))];

for (const type of ['rekor-v1', 'tiles', 'ct', 'static-ct'] as const) {
  describe(`identity scan end to end, real sources and matchers (${type})`, () => {
    let log: EntryLog;
    before(async () => {
      log = await startEntryLog(type);
    });
    after(() => log.close());

    it('reports exactly the matching entries, each once across runs', async () => {
      log.reset();
      const cli = await Cli.create(log, { ...IDENTITIES[type], startIndex: 10n });
      const first = await cli.expect('initialized', 0);
      const at = log.size();
      const expectedFirst = cli.matching(10, at);
      assert.ok(expectedFirst.length > 0 && expectedFirst.length <= at - 10);
      assert.deepEqual(indices(first), expectedFirst);

      log.append(40);
      const grown = await cli.expect('verified', 0);
      assert.deepEqual(indices(grown), cli.matching(at, log.size()));
      assert.deepEqual(grown.skipped, []);

      const again = await cli.expect('unchanged', 0);
      assert.deepEqual(again.matches, []);
      assert.deepEqual(await cli.delivered(), cli.matching(10, log.size()), 'the matches file has each once');
    });

    if (type === 'rekor-v1') {
      it('shard rotation: the old shard is scanned to its final size, then the new one (global indices offset)', async () => {
        log.reset();
        const cli = await Cli.create(log, IDENTITIES[type]);
        await cli.expect('initialized', 0);
        const oldShard = log.shard?.() as string;
        const start = log.size();
        log.append(20);
        const oldEnd = log.size();
        log.rotate?.();
        log.append(30);
        const r = await cli.expect('verified', 0);
        assert.ok(r.shardRotation);
        const newShard = log.shard?.() as string;
        const expected = [
          ...cli.matching(start, oldEnd, oldShard).map((i) => `${oldShard}:${i}`),
          ...cli.matching(0, 30).map((i) => `${newShard}:${i}`),
        ];
        assert.ok(
          expected.some((m) => m.startsWith(newShard)) && expected.some((m) => m.startsWith(oldShard)),
        );
        assert.deepEqual(
          (r.matches ?? []).map((m) => `${m.shard}:${m.index}`),
          expected,
        );
      });
    }

    const forgeries = type === 'tiles' || type === 'static-ct' ? [false, true] : [false];
    for (const tiles of forgeries) {
      it(`a forged entry${tiles ? ' (the hash tile agrees with it: only the signed root gives it away)' : ''}: exit 1 with evidence, never a match; resumes with nothing lost when honest`, async () => {
        log.reset();
        const cli = await Cli.create(log, IDENTITIES[type]);
        await cli.expect('initialized', 0);
        const start = log.size();
        log.append(30);
        const expected = cli.matching(start, log.size());
        const forged = Number(expected[1] ?? start + 5);
        log.forge(forged, tiles);
        const lie = await cli.expect('inconsistent', 1);
        assert.ok(lie.evidence?.current, 'with the signed head');
        if (tiles) {
          // The forged hash tile contradicts the signed root already in the check's own proof.
          assert.equal(lie.errorCode, 'merkle/root-mismatch');
        } else {
          assert.equal(lie.errorCode, 'scan/not-in-tree');
          assert.equal(lie.evidence?.other?.entryIndex, String(forged));
          assert.notEqual(lie.evidence?.other?.entry, toBase64(log.entry(forged).leaf), 'the forged bytes');
        }
        assert.ok(!(await cli.delivered()).includes(String(forged)));
        assert.ok(!indices(lie).includes(String(forged)));

        log.reset();
        // After the check's own failure the head did not move; after the scan's, it had.
        await cli.expect(tiles ? 'verified' : 'unchanged', 0);
        const delivered = await cli.delivered();
        assert.deepEqual(delivered, expected, 'each match once, the forged index included once proven');
      });
    }
  });
}
