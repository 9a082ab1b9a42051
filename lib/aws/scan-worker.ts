/**
 * The shared scan worker (issue 11 §5): consumes range work items from the fan-out's SQS queue
 * (one per invocation: batch size 1), reads the range from the log, proves it against the signed
 * head the item carries (re-verified with the log's pinned key) and stores its RangeResult as a
 * RANGE# item; the log's monitor function commits it in index order at its next check, proving
 * it again against the verified head before any match is committed.
 *
 * A range whose entries are not in the signed tree is misbehaviour: its evidence is stored, the
 * `inconsistent` alert goes out through the monitor's alert path (de-duplicated ALERT# state),
 * nothing of the range is stored but the refusal (REFUSED#, so that every check of the monitor
 * function reports `inconsistent` while its cursor waits there, and no false "resolved" goes out),
 * and the item fails, so SQS retries it and finally moves it to the dead-letter queue (the "stuck
 * range" alarm); the cursor never passes it. A later attempt that proves the range clears the
 * refusal. Any other failure
 * (log unreachable, table unavailable) fails the item too, for SQS to retry.
 */

import { toBase64 } from '../bytes.ts';
import { parseLogConfig } from '../config/log-config.ts';
import { createEntrySource } from '../entries/create-entry-source.ts';
import { isTlogError, TlogError } from '../errors.ts';
import { createHttpClient } from '../http/bounded-client.ts';
import type { Clock, FetchPort } from '../http/ports.ts';
import { createEntryMatcher } from '../identity/entry-matcher.ts';
import { createLogClient } from '../logs/create-client.ts';
import type { LogClient, VerifiedHead } from '../logs/log-client.ts';
import type { NodeHasher } from '../merkle/hash.ts';
import type { AlertSink } from '../monitor/alerts.ts';
import type { CheckResult, Evidence } from '../monitor/check-result.ts';
import type { MetricsSink } from '../monitor/metrics.ts';
import { scanRangeAhead } from '../scan/fan-out.ts';
import type { LeafHasher } from '../scan/leaf-hasher.ts';
import type { ScanStore } from '../scan/scan-store.ts';
import type { RangeRefusals } from '../scan-fanout/ports.ts';
import { decodeRangeWork } from '../scan-fanout/range-work.ts';
import { type EvidenceStore, invoke, throwIfFailed } from './invocation.ts';

/** The fields of an SQS event the worker reads. */
export interface SqsEvent {
  readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

/** SQS partial batch response: the items to retry (ReportBatchItemFailures). */
export interface BatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

export interface ScanWorkerDeps {
  readonly fetch: FetchPort;
  readonly clock: Clock;
  readonly scanStore: ScanStore;
  readonly refusals: RangeRefusals;
  readonly hashLeaf: LeafHasher;
  /** The fold's node hash (native in the function); default lib/merkle's portable one. */
  readonly hashNode?: NodeHasher;
  /** The monitor's alert path, for a range that is not in the tree. */
  readonly evidenceStore: EvidenceStore;
  readonly alerts: AlertSink;
  readonly metrics: MetricsSink;
  readonly reminderMs: number;
  readonly evidenceRef: (log: string, key: string) => string;
  /** One line per item: what was done, or why it failed. */
  readonly report: (line: string) => void;
}

export async function handleScanBatch(event: SqsEvent, deps: ScanWorkerDeps): Promise<BatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const done = await scanWorkItem(record.body, deps);
      deps.report(JSON.stringify({ messageId: record.messageId, ...done }));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      const code = e instanceof TlogError ? e.code : 'internal';
      deps.report(JSON.stringify({ messageId: record.messageId, failed: code, message: why }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

async function scanWorkItem(
  body: string,
  deps: ScanWorkerDeps,
): Promise<{ log: string; range: string; result: string }> {
  const work = decodeRangeWork(body);
  const log = parseLogConfig(work.log, 'scan work item');
  if (log.identities === undefined)
    throw new TlogError('config/invalid', `scan work item of "${log.name}": the log has no identities`);
  const range = `[${work.start}, ${work.end})`;
  const http = createHttpClient({
    fetch: deps.fetch,
    clock: deps.clock,
    ...(log.timeoutMs !== undefined ? { timeoutMs: log.timeoutMs } : {}),
  });
  const client = createLogClient(log, http);
  const head = client.verifyStoredHead(work.head);
  if (work.end > head.size) {
    throw new TlogError(
      'state/corrupt',
      `scan work item of "${log.name}": range ${range} ends past the head's size ${head.size}`,
    );
  }
  // Delivered again after its range was committed: nothing to do.
  const stored = await deps.scanStore.loadScan(log.name);
  if (stored && (stored.cursor.shard ?? '') === (head.shard ?? '') && stored.cursor.next >= work.end) {
    return { log: log.name, range, result: 'already committed' };
  }
  try {
    const result = await scanRangeAhead(
      log.name,
      {
        client,
        source: createEntrySource(log, http, deps.clock),
        matcher: createEntryMatcher(log.identities),
        hashLeaf: deps.hashLeaf,
        ...(deps.hashNode !== undefined ? { hashNode: deps.hashNode } : {}),
        store: deps.scanStore,
      },
      { head, ...(work.indexOffset !== undefined ? { indexOffset: work.indexOffset } : {}) },
      { start: work.start, end: work.end },
    );
    // Proven: a refusal of this range by an earlier attempt (the log lied then) no longer holds.
    await deps.refusals.clear(log.name, work.start);
    return { log: log.name, range, result: `stored (${result.matches.length} matches)` };
  } catch (e) {
    if (isTlogError(e, 'scan/not-in-tree')) {
      const evidenceRef = await alertNotInTree(log.name, client, head, e, deps);
      await deps.refusals.put(log.name, {
        start: work.start,
        end: work.end,
        message: e.message,
        evidence: e.details?.evidence as Evidence,
        evidenceRef,
      });
    }
    throw e;
  }
}

/** The misbehaviour verdict through the monitor's own path: evidence, de-duplicated alert, metrics. */
async function alertNotInTree(
  log: string,
  client: LogClient,
  head: VerifiedHead,
  e: TlogError,
  deps: ScanWorkerDeps,
): Promise<string> {
  const result: CheckResult = {
    log,
    status: 'inconsistent',
    current: {
      size: head.size.toString(),
      root: toBase64(head.rootHash),
      ...(head.shard !== undefined ? { shard: head.shard } : {}),
    },
    durationMs: 0,
    checkedAt: new Date(deps.clock.now()).toISOString(),
    errorCode: e.code,
    message: e.message,
    evidence: e.details?.evidence as Evidence,
    matches: [],
    skipped: [],
  };
  // Stored first (a failure fails the item, and the retry stores it), so the alert can say where.
  const evidenceRef = deps.evidenceRef(log, await deps.evidenceStore.putEvidence(log, result));
  const withRef: CheckResult = { ...result, evidenceRef };
  const report = await invoke(
    { kind: 'scheduled' },
    {
      logName: log,
      client,
      store: deps.evidenceStore,
      metrics: deps.metrics,
      alerts: deps.alerts,
      clock: deps.clock,
      reminderMs: deps.reminderMs,
      evidenceRef: (key) => deps.evidenceRef(log, key),
      check: async () => withRef,
    },
  );
  throwIfFailed(report, log);
  return evidenceRef;
}
