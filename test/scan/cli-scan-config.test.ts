/**
 * Issue 11, "Must show": `tlog-monitor check --config cfg.json --json` with identities configured
 * on each of the four log types (entry test logs serving real entries from test/vectors):
 * exactly the matching entries, each once across runs, and nothing for the decoys (an unanchored
 * near miss, the wrong issuer, an OID value that only shares a prefix, a certificate not under
 * caRoots); a forged entry gives exit 1 with evidence and is never reported; once the log is
 * honest again the scan resumes with nothing lost.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EntryFormat, ReceivedEntry } from '../../lib/entries/received-entry.ts';
import { createEntryMatcher } from '../../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../../lib/identity/identities-config.ts';
import type { IdentityMatch } from '../../lib/identity/identity-match.ts';
import { main } from '../../lib/local/cli.ts';
import type { CheckResult } from '../../lib/monitor/check-result.ts';
import { mintCertificate } from '../identity/mint.ts';
import { type CtEntryLog, startCtEntryLog } from '../support/entries/ct-entry-log.ts';
import { type RekorEntryLog, startRekorEntryLog } from '../support/entries/rekor-v1-entry-log.ts';
import { startTileEntryLog, type TileEntryLog } from '../support/entries/tile-entry-log.ts';

const FULCIO_MATCH = 'brian@dehamer\\.com';
const FULCIO_IDENTITIES = {
  certIdentities: [
    { certSubject: FULCIO_MATCH, issuers: ['https://github\\.com/login/oauth'] },
    { certSubject: 'brian@dehamer\\.co' }, // a near miss: matches only unanchored
    { certSubject: FULCIO_MATCH, issuers: ['https://accounts\\.google\\.com'] }, // the wrong issuer
  ],
  // An OID value that only shares a prefix with the real issuer extension's.
  oidMatchers: [
    { objectIdentifier: '1.3.6.1.4.1.57264.1.1', extensionValues: ['https://github.com/login/oaut'] },
  ],
};
const GOOD_FULCIO_RULE = `${FULCIO_MATCH} (issuers: https://github\\.com/login/oauth)`;
const CT_MATCH = 'www\\.gem-jewelers\\.com';
const CT_IDENTITIES = { subjects: [CT_MATCH, 'gem-jewelers\\.co'] };

/** A CA that issued nothing the CT test logs serve (minted as in test/identity). */
const unrelatedCaPem = (): string => mintCertificate({ commonName: 'Unrelated Root', ca: true }).pem;

interface Logs {
  rekor: RekorEntryLog;
  tiles: TileEntryLog;
  ct: CtEntryLog;
  staticCt: TileEntryLog;
}

/** Oracles: which indices of a log's honest entries a rule set matches (the matcher itself is tested in test/identity). */
function matching(
  identities: object,
  format: EntryFormat,
  entry: (i: number) => ReceivedEntry,
  from: number,
  to: number,
): string[] {
  const matcher = createEntryMatcher(identities as IdentitiesConfig);
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const v = matcher.match(format, entry(i));
    if ('matches' in v && v.matches.length > 0) out.push(String(i));
  }
  return out;
}

describe('tlog-monitor check --config with identities on all four log types', () => {
  let logs: Logs;
  let dir: string;
  let config: string;
  const stateDir = () => join(dir, 'state');

  before(async () => {
    logs = {
      rekor: await startRekorEntryLog({ initialSize: 30 }),
      tiles: await startTileEntryLog({ type: 'tiles', initialSize: 30 }),
      ct: await startCtEntryLog({ initialSize: 30, maxPageSize: 16 }),
      staticCt: await startTileEntryLog({ type: 'static-ct', initialSize: 30 }),
    };
    dir = await mkdtemp(join(tmpdir(), 'tlog-scan-config-'));
    config = join(dir, 'cfg.json');
    const cfg = {
      stateDir: stateDir(),
      logs: [
        {
          name: 'rekor',
          type: 'rekor-v1',
          url: logs.rekor.url,
          publicKey: logs.rekor.publicKeyPem,
          origin: logs.rekor.keyName,
          identities: { ...FULCIO_IDENTITIES, startIndex: '5' },
        },
        {
          name: 'rekor2',
          type: 'tiles',
          url: logs.tiles.url,
          publicKey: logs.tiles.publicKey,
          identities: { ...FULCIO_IDENTITIES, startIndex: '5' },
        },
        {
          name: 'ct',
          type: 'ct',
          url: logs.ct.url,
          publicKey: logs.ct.publicKeyPem,
          identities: { ...CT_IDENTITIES, startIndex: '5' },
        },
        {
          name: 'ct-not-under-roots',
          type: 'ct',
          url: logs.ct.url,
          publicKey: logs.ct.publicKeyPem,
          identities: { ...CT_IDENTITIES, startIndex: '5', caRoots: unrelatedCaPem() },
        },
        {
          name: 'static-ct',
          type: 'static-ct',
          url: logs.staticCt.url,
          publicKey: logs.staticCt.publicKey,
          origin: logs.staticCt.origin,
          identities: { ...CT_IDENTITIES, startIndex: '5' },
        },
      ],
    };
    await writeFile(config, JSON.stringify(cfg, null, 2));
  });
  after(async () => {
    await Promise.all(Object.values(logs).map((l) => l.close()));
  });

  const check = async (): Promise<{ code: number; results: Map<string, CheckResult> }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['check', '--config', config, '--json', '--timeout', '5'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    const results = new Map(out.map((l) => JSON.parse(l) as CheckResult).map((r) => [r.log, r]));
    assert.equal(results.size, 5, err.join('\n'));
    return { code, results };
  };
  const delivered = async (log: string): Promise<(IdentityMatch & { log: string })[]> => {
    const text = await readFile(join(stateDir(), `${log}.json.matches.jsonl`), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };
  const indices = (ms: readonly { index: string }[]) => ms.map((m) => m.index);

  const oracles = () => ({
    rekor: (from: number, to: number) =>
      matching(
        { certIdentities: [FULCIO_IDENTITIES.certIdentities[0]] },
        'rekor-v1',
        (i) => ({ index: BigInt(i), leaf: logs.rekor.body(i) }),
        from,
        to,
      ),
    rekor2: (from: number, to: number) =>
      matching(
        { certIdentities: [FULCIO_IDENTITIES.certIdentities[0]] },
        'rekor-v2',
        (i) => ({ index: BigInt(i), leaf: logs.tiles.leaf(i) }),
        from,
        to,
      ),
    ct: (from: number, to: number) =>
      matching(
        { subjects: [CT_MATCH] },
        'ct',
        (i) => ({ index: BigInt(i), leaf: logs.ct.entry(i).leafInput, unsigned: logs.ct.entry(i).extraData }),
        from,
        to,
      ),
    'static-ct': (from: number, to: number) =>
      matching(
        { subjects: [CT_MATCH] },
        'static-ct',
        (i) => ({ index: BigInt(i), leaf: logs.staticCt.leaf(i) }),
        from,
        to,
      ),
  });

  it('reports exactly the matching entries, each once across runs, nothing for the decoys; a forged entry is exit 1 and never reported; the scan resumes', async () => {
    const o = oracles();
    const first = await check();
    assert.equal(first.code, 0);
    for (const [name, oracle] of Object.entries(o)) {
      const r = first.results.get(name);
      assert.equal(r?.status, 'initialized', `${name}: ${r?.message}`);
      const expected = oracle(5, 30);
      assert.ok(expected.length > 0, `${name} has matching entries`);
      assert.deepEqual([...new Set(indices(r?.matches ?? []))], expected, name);
    }
    for (const name of ['rekor', 'rekor2']) {
      const rules = new Set((first.results.get(name)?.matches ?? []).map((m) => m.rule));
      assert.deepEqual([...rules], [GOOD_FULCIO_RULE], `${name}: no decoy rule matched`);
    }
    for (const name of ['ct', 'static-ct']) {
      const rules = new Set((first.results.get(name)?.matches ?? []).map((m) => m.rule));
      assert.deepEqual([...rules], [CT_MATCH], `${name}: the near miss did not match`);
    }
    assert.deepEqual(first.results.get('ct-not-under-roots')?.matches, [], 'a certificate not under caRoots');

    // The logs grow; one entry of each log is forged (bytes not in the signed tree).
    for (const l of Object.values(logs)) l.append(20);
    const forged = {
      rekor: Number(o.rekor(30, 50)[0]),
      rekor2: Number(o.rekor2(30, 50)[0]),
      ct: 41,
      'static-ct': 43,
    };
    logs.rekor.forgeEntry(forged.rekor);
    logs.tiles.forgeEntry(forged.rekor2);
    logs.ct.forgeEntry(forged.ct);
    logs.staticCt.forgeEntry(forged['static-ct']);
    const lie = await check();
    assert.equal(lie.code, 1);
    for (const [name, index] of Object.entries(forged)) {
      const r = lie.results.get(name);
      assert.equal(r?.status, 'inconsistent', `${name}: ${r?.message}`);
      assert.equal(r?.errorCode, 'scan/not-in-tree');
      assert.equal(r?.evidence?.other?.entryIndex, String(index));
      assert.ok(r?.evidence?.other?.entry && r.evidence.current);
      assert.ok(
        !indices(r?.matches ?? []).includes(String(index)),
        `${name}: the forged entry is not reported`,
      );
      assert.ok(!indices(await delivered(name)).includes(String(index)));
    }

    for (const l of Object.values(logs)) l.reset();
    const honest = await check();
    assert.equal(honest.code, 0);
    const again = await check();
    assert.equal(again.code, 0);
    for (const [name, oracle] of Object.entries(o)) {
      assert.deepEqual(again.results.get(name)?.matches, [], `${name}: a re-run repeats no match`);
      const all = [...new Set(indices(await delivered(name)))];
      assert.deepEqual(all, oracle(5, 50), `${name}: every match, each once, nothing lost`);
      assert.equal(indices(await delivered(name)).length, (await delivered(name)).length);
    }
  });
});
