/**
 * The identity scan's whole CPU pipeline per entry, in process and without the network, for Rekor
 * v1 and CT: the source's real transport decoding (rekor-v1 `entries/retrieve` answers, CT
 * `get-entries` pages, exactly the bytes the entry test logs serve) → leaf hash with the native
 * LeafHasher → fold into the compact range (native node hash, as lib/local/scan-wiring.ts injects) and comparison with the signed root → the real
 * matchers (createEntryMatcher) with realistic configs. It is lib/scan's scanRange with the real
 * EntrySource; only its HttpClient is replaced by a replay of answers recorded once from the test
 * logs over loopback, so the timed runs spend CPU on nothing but the pipeline.
 *
 * The figure is CPU time (process.cpuUsage, this process only) per entry: on a shared machine wall
 * time mostly measures the other processes. Wall time and the load average are printed beside it.
 */
import { loadavg } from 'node:os';
import { fromUtf8 } from '../lib/bytes.ts';
import { ctEntrySource } from '../lib/entries/ct/ct-source.ts';
import type { EntrySource } from '../lib/entries/entry-source.ts';
import { rekorV1EntrySource } from '../lib/entries/rekor-v1/rekor-v1-source.ts';
import { createHttpClient } from '../lib/http/bounded-client.ts';
import type { HttpClient, HttpPoster, HttpResponse } from '../lib/http/ports.ts';
import { systemClock } from '../lib/http/ports.ts';
import { createEntryMatcher } from '../lib/identity/entry-matcher.ts';
import type { IdentitiesConfig } from '../lib/identity/identities-config.ts';
import { parsePemPublicKey } from '../lib/keys/public-key.ts';
import { nativeLeafHasher, nativeNodeHasher } from '../lib/local/native-leaf-hasher.ts';
import { ctClient } from '../lib/logs/ct.ts';
import type { LogClient, VerifiedHead } from '../lib/logs/log-client.ts';
import { rekorV1Client } from '../lib/logs/rekor-v1.ts';
import { CompactRange } from '../lib/merkle/index.ts';
import { scanRange } from '../lib/scan/scan-range.ts';
import { productionFulcioPem } from '../test/identity/fixtures.ts';
import { startCtEntryLog } from '../test/support/entries/ct-entry-log.ts';
import { chainCertificates, realCtEntry } from '../test/support/entries/real-entries.ts';
import { startRekorEntryLog } from '../test/support/entries/rekor-v1-entry-log.ts';
import { formatNumber } from './harness.ts';
import type { Section } from './section.ts';

const GITHUB_ACTIONS = 'https://token\\.actions\\.githubusercontent\\.com';
const BEACON = 'https://github\\.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.*';

/** Rekor v1: what a project watching its own signing identities configures; no entry of the test log matches (the common case). */
const REKOR_CONFIG: IdentitiesConfig = {
  certIdentities: [
    { certSubject: 'https://github\\.com/acme/.*', issuers: [GITHUB_ACTIONS] },
    { certSubject: 'alice@example\\.com', issuers: ['https://accounts\\.google\\.com'] },
  ],
  fingerprints: ['5f'.repeat(32)],
  oidMatchers: [
    { objectIdentifier: '1.3.6.1.4.1.57264.1.12', extensionValues: ['https://github.com/acme/widget'] },
  ],
};

/** CT: a domain owner's watch list (no entry of the test log is for these names: the common case). */
const CT_CONFIG: IdentitiesConfig = {
  subjects: ['(.*\\.)?example\\.com', '(.*\\.)?acme\\.example'],
  fingerprints: ['5f'.repeat(32)],
};

/** CT, every entry matching (the test log repeats one real certificate): the worst case, chain checked each time. */
function ctEveryEntryConfig(caRootPem: string): IdentitiesConfig {
  return { subjects: ['(.*\\.)?gem-jewelers\\.com'], caRoots: caRootPem };
}

type Answers = Map<string, HttpResponse>;
type Replay = HttpClient & HttpPoster;

/** Records every answer of a real loopback client, keyed by method, URL and request body. */
function recording(answers: Answers): Replay {
  const http = createHttpClient({
    fetch: globalThis.fetch,
    clock: systemClock,
    timeoutMs: 120_000,
    maxBytes: 64 << 20,
  });
  return {
    async get(url, options) {
      const res = await http.get(url, options);
      answers.set(`GET ${url}`, res);
      return res;
    },
    async post(url, body, options) {
      const res = await (http as HttpClient & HttpPoster).post(url, body, options);
      answers.set(`POST ${url} ${fromUtf8(body)}`, res);
      return res;
    },
  };
}

/** Serves the recorded answers from memory: no socket, no HTTP parsing, the same bytes. */
function replaying(answers: Answers): Replay {
  const find = (key: string): HttpResponse => {
    const res = answers.get(key);
    if (res === undefined) throw new Error(`replay: no recorded answer for ${key}`);
    return res;
  };
  return {
    get: async (url) => find(`GET ${url}`),
    post: async (url, body) => find(`POST ${url} ${fromUtf8(body)}`),
  };
}

interface Recorded {
  readonly label: string;
  readonly answers: Answers;
  readonly head: VerifiedHead;
  readonly client: LogClient;
  readonly source: (http: Replay) => EntrySource;
  readonly avgLeafBytes: number;
  readonly avgAnswerBytesPerEntry: number;
}

async function recordRekor(size: number): Promise<Recorded> {
  const log = await startRekorEntryLog({ initialSize: size });
  try {
    const answers: Answers = new Map();
    const http = recording(answers);
    const client = rekorV1Client({
      url: log.url,
      key: parsePemPublicKey(log.publicKeyPem),
      http,
      signerName: log.keyName,
    });
    const head = (await client.fetchView()).head;
    const source = (h: Replay) => rekorV1EntrySource({ url: log.url, http: h, clock: systemClock });
    await scanOnce(client, source(http), head, createEntryMatcher({}));
    let leafBytes = 0;
    for (let i = 0; i < size; i++) leafBytes += log.body(i).length;
    return {
      label: 'Rekor v1',
      answers,
      head,
      client,
      source,
      avgLeafBytes: leafBytes / size,
      avgAnswerBytesPerEntry: answerBytes(answers, 'POST') / size,
    };
  } finally {
    await log.close();
  }
}

async function recordCt(size: number): Promise<Recorded> {
  const log = await startCtEntryLog({ initialSize: size });
  try {
    const answers: Answers = new Map();
    const http = recording(answers);
    const client = ctClient({ url: log.url, key: parsePemPublicKey(log.publicKeyPem), http });
    const head = (await client.fetchView()).head;
    const source = (h: Replay) =>
      ctEntrySource({ url: log.url, http: h, clock: systemClock, pageSize: 1000 });
    await scanOnce(client, source(http), head, createEntryMatcher({}));
    return {
      label: 'CT',
      answers,
      head,
      client,
      source,
      avgLeafBytes: log.entry(0).leafInput.length,
      avgAnswerBytesPerEntry: answerBytes(answers, 'GET') / size,
    };
  } finally {
    await log.close();
  }
}

function answerBytes(answers: Answers, method: string): number {
  let n = 0;
  for (const [k, v] of answers) if (k.startsWith(method) && !k.includes('get-sth')) n += v.body.length;
  return n;
}

async function scanOnce(
  client: LogClient,
  source: EntrySource,
  head: VerifiedHead,
  matcher: ReturnType<typeof createEntryMatcher>,
): Promise<number> {
  const scanned = await scanRange(
    { client, source, matcher, hashLeaf: nativeLeafHasher, hashNode: nativeNodeHasher },
    { head, indexOffset: 0n },
    0n,
    head.size,
    CompactRange.empty(0n),
  );
  if (scanned.result.skipped.length > 0) throw new Error(`skipped: ${scanned.result.skipped[0]?.reason}`);
  return scanned.result.matches.length;
}

interface PipelineRun {
  readonly name: string;
  readonly config: string;
  readonly entries: number;
  readonly matches: number;
  readonly cpuMicrosPerEntry: number;
  readonly wallMicrosPerEntry: number;
  readonly load: number;
}

/** Median over `runs` full scans of the recorded log: CPU and wall µs per entry. */
async function measure(
  rec: Recorded,
  config: string,
  identities: IdentitiesConfig,
  runs: number,
): Promise<PipelineRun> {
  const matcher = createEntryMatcher(identities);
  const http = replaying(rec.answers);
  let matches = await scanOnce(rec.client, rec.source(http), rec.head, matcher); // warm-up
  const cpu: number[] = [];
  const wall: number[] = [];
  const n = Number(rec.head.size);
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    matches = await scanOnce(rec.client, rec.source(http), rec.head, matcher);
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
    cpu.push((c.user + c.system) / n);
  }
  return {
    name: rec.label,
    config,
    entries: n,
    matches,
    cpuMicrosPerEntry: median(cpu),
    wallMicrosPerEntry: median(wall),
    load: loadavg()[0] ?? 0,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

export async function identityPipelineBenchmarks(quick: boolean): Promise<Section> {
  const runs = quick ? 2 : 5;
  const rekor = await recordRekor(quick ? 1000 : 5000);
  const ct = await recordCt(quick ? 2000 : 10_000);
  const icarusRoot = ctRootPem();
  const rows: PipelineRun[] = [
    await measure(rekor, 'certIdentities with issuers, fingerprints, oidMatchers', REKOR_CONFIG, runs),
    await measure(
      rekor,
      'the same + a workflow rule matching the conformance-beacon entries + caRoots (production Fulcio; chain checked per match)',
      {
        ...REKOR_CONFIG,
        certIdentities: [
          ...(REKOR_CONFIG.certIdentities ?? []),
          { certSubject: BEACON, issuers: [GITHUB_ACTIONS] },
        ],
        caRoots: productionFulcioPem(),
      },
      runs,
    ),
    await measure(ct, 'subjects (DNS), fingerprints; no entry matches', CT_CONFIG, runs),
    await measure(
      ct,
      'subjects matching every entry + caRoots (chain checked per match)',
      ctEveryEntryConfig(icarusRoot),
      runs,
    ),
  ];
  const table = [
    '| pipeline (decode → native leaf hash → fold → root → match) | identities | entries | matches | CPU µs/entry | **entries per CPU-second** | wall µs/entry | load (1 min) |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.config} | ${r.entries.toLocaleString('en-US')} | ${r.matches.toLocaleString('en-US')} | ${formatNumber(r.cpuMicrosPerEntry)} | **${formatNumber(1e6 / r.cpuMicrosPerEntry)}** | ${formatNumber(r.wallMicrosPerEntry)} | ${r.load.toFixed(2)} |`,
    ),
  ].join('\n');
  return {
    title: 'Identity monitoring: the CPU pipeline per entry (decode, leaf hash, fold, match)',
    lines: [
      `scanRange with the real EntrySource over answers recorded from the entry test logs (Rekor v1: ${rekor.head.size} real bodies cycled, avg leaf ${Math.round(rekor.avgLeafBytes)} B, ${Math.round(rekor.avgAnswerBytesPerEntry)} B of retrieve answer per entry, 10 per request; CT: ${ct.head.size} Icarus x509 entries, leaf ${Math.round(ct.avgLeafBytes)} B, ${Math.round(ct.avgAnswerBytesPerEntry)} B of get-entries page per entry, 1,000 per page), replayed from memory; median of ${runs} full scans after one warm-up. Target: 20,000 entries per CPU-second per core.`,
    ],
    results: [],
    extraTables: [table],
  };
}

/** The root of the Icarus entry's chain (the last certificate of its extra_data), as PEM. */
function ctRootPem(): string {
  const chain = chainCertificates(realCtEntry().extraData);
  const root = chain[chain.length - 1] as Uint8Array;
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(root).toString('base64')}\n-----END CERTIFICATE-----\n`;
}
