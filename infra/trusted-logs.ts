/**
 * Trust sources at synth time: each `{ "trustedRoot": "<file>" }` of the config (the file relative
 * to the config file, an optional `signingConfig` likewise) becomes one function per log it lists,
 * with the keys pinned into LOG_CONFIG. Synth makes no network request, so Rekor v1/v2 is decided
 * by override, signing config or Sigstore's v2 shard naming (lib/trust/expand.ts), never by probe.
 * A `tuf` source also names a `trustedRoot` file, a snapshot that decides which functions exist;
 * each function then follows its log's keys through TUF at run time (LogConfig.tufKeys, with the
 * initial root.json inline in LOG_CONFIG).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { MonitorConfig } from '../lib/config/config-file.ts';
import type { LogConfig } from '../lib/config/log-config.ts';
import { TlogError } from '../lib/errors.ts';
import { expandTrustSource, withTrustedLogs } from '../lib/trust/resolve.ts';

export function expandTrustForSynth(config: MonitorConfig, configPath: string, nowMs: number): MonitorConfig {
  if (config.trust === undefined) return config;
  const read = (file: string, what: string) => {
    const path = resolve(dirname(configPath), file);
    try {
      return { text: readFileSync(path, 'utf8'), from: file };
    } catch (e) {
      throw new TlogError(
        'config/invalid',
        `${what}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  };
  const logs: LogConfig[] = [];
  for (const source of config.trust) {
    if (source.trustedRoot === undefined) {
      throw new TlogError(
        'config/invalid',
        `${source.where}: a "tuf" source needs "trustedRoot" too at synth (no network): a copy of its ` +
          'trusted_root.json that decides which functions exist (tlog-monitor check fetches and verifies it ' +
          'through TUF and keeps it in <state dir>/tuf/<repository>/targets/); the functions then follow the keys through TUF',
      );
    }
    const followTuf =
      source.tuf === undefined
        ? undefined
        : {
            url: source.tuf.url,
            ...(source.tuf.root === undefined
              ? {}
              : { root: read(source.tuf.root, `${source.where}.tuf.root`).text }),
          };
    const signingConfig =
      source.signingConfig === undefined
        ? undefined
        : read(source.signingConfig, `${source.where}.signingConfig`);
    logs.push(
      ...expandTrustSource(
        {
          source,
          trustedRoot: read(source.trustedRoot, `${source.where}.trustedRoot`),
          ...(signingConfig === undefined ? {} : { signingConfig }),
          ...(followTuf === undefined ? {} : { followTuf }),
        },
        nowMs,
      ),
    );
  }
  return withTrustedLogs(config, logs);
}
