/**
 * The metrics port and the metric values of one check (docs/contracts.md, "CloudWatch metrics"): `CheckSucceeded`,
 * `MisbehaviourDetected`, `CheckFailed` (0/1 per check), `TreeSize`, `NewEntries`,
 * `SecondsSinceGrowth` and `CheckDuration` (ms), all with the dimension `Log`; with identities
 * configured, `IdentityMatches` (matches delivered by the check) and `ScanBacklog` (entries between
 * the scan cursor and the verified size). An adapter sends
 * the values of one check at once (AWS: one embedded-metric-format log line, lib/aws/emf-metrics.ts).
 */
import { type CheckResult, isClean, MISBEHAVIOUR } from './check-result.ts';

export type MetricUnit = 'Count' | 'Seconds' | 'Milliseconds';

export interface MetricValue {
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
}

/** What the check result alone does not say. */
export interface MetricExtras {
  /**
   * Seconds since the monitor last saw the tree grow (the stored head's verifiedAt), when known.
   * 0 when this check saw it grow or stored the first head.
   */
  readonly secondsSinceGrowth?: number;
}

export interface MetricsSink {
  /** Publishes the metrics of one check, in one call. Throws if they cannot be published. */
  publish(result: CheckResult, extras: MetricExtras): Promise<void>;
}

/**
 * The values to publish for one check. Tree sizes are published only for clean results: a head
 * that contradicts the stored one is not a size anyone should graph. Sizes past 2^53 lose
 * precision as metric values (CloudWatch values are doubles); the CheckResult keeps them exact.
 */
export function metricValues(result: CheckResult, extras: MetricExtras): MetricValue[] {
  const clean = isClean(result.status);
  const misbehaved = MISBEHAVIOUR.has(result.status);
  const values: MetricValue[] = [
    { name: 'CheckSucceeded', value: clean ? 1 : 0, unit: 'Count' },
    { name: 'MisbehaviourDetected', value: misbehaved ? 1 : 0, unit: 'Count' },
    { name: 'CheckFailed', value: !clean && !misbehaved ? 1 : 0, unit: 'Count' },
  ];
  if (clean && result.current) {
    values.push({ name: 'TreeSize', value: Number(BigInt(result.current.size)), unit: 'Count' });
    values.push({ name: 'NewEntries', value: Number(newEntries(result)), unit: 'Count' });
  }
  // Written by clean checks only: its sample count is then the number of successful checks,
  // which the no-successful-check alarm counts (lib/aws/emf-metrics.ts).
  if (clean && extras.secondsSinceGrowth !== undefined && Number.isFinite(extras.secondsSinceGrowth)) {
    values.push({
      name: 'SecondsSinceGrowth',
      value: Math.max(0, extras.secondsSinceGrowth),
      unit: 'Seconds',
    });
  }
  values.push({ name: 'CheckDuration', value: result.durationMs, unit: 'Milliseconds' });
  if (result.matches !== undefined) {
    values.push({ name: 'IdentityMatches', value: result.matches.length, unit: 'Count' });
  }
  if (result.scan !== undefined) {
    const backlog = BigInt(result.scan.size) - BigInt(result.scan.next);
    values.push({ name: 'ScanBacklog', value: Number(backlog > 0n ? backlog : 0n), unit: 'Count' });
  }
  return values;
}

/** Entries added since the stored head; across a Rekor shard rotation, the old shard's tail plus the new shard. */
function newEntries(result: CheckResult): bigint {
  if (result.status !== 'verified' || !result.previous || !result.current) return 0n;
  const current = BigInt(result.current.size);
  if (result.shardRotation)
    return BigInt(result.shardRotation.finalSize) - BigInt(result.previous.size) + current;
  return current - BigInt(result.previous.size);
}
