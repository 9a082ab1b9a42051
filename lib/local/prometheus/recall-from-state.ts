/**
 * At `watch` start, tells the Prometheus metrics what the state files remember, so a restart
 * does not reset "seconds since the last clean check" or "since growth": the last clean check
 * from `<state file>.status.json`, and the time the stored head was stored (a head moves only
 * when the tree grew). These are the monitor's own timestamps; nothing about the log is shown
 * from them, and a file that cannot be read is skipped (the first check reports the problem).
 */
import type { LogConfig } from '../../config/log-config.ts';
import type { FileStateStore } from '../file-state-store.ts';
import type { PrometheusMetrics } from './prometheus-metrics.ts';

export async function recallFromState(
  metrics: PrometheusMetrics,
  logs: readonly LogConfig[],
  store: FileStateStore,
): Promise<void> {
  await Promise.all(
    logs.map(async (log) => {
      const [record, state] = await Promise.all([
        store.loadCheckRecord(log.name).catch(() => undefined),
        store.load(log.name).catch(() => undefined),
      ]);
      metrics.recall(log.name, {
        ...(record?.lastCleanAt !== undefined ? { lastCleanAt: record.lastCleanAt } : {}),
        ...(state ? { lastGrowthAt: state.head.verifiedAt } : {}),
      });
    }),
  );
}
