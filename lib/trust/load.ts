/**
 * Loads every trust source of a config (files read through a port, TUF through lib/trust/tuf.ts,
 * optional Rekor v1/v2 probes) and returns the config with their logs added. A TUF repository
 * that cannot deliver a verified trusted root is returned as a failure for the caller to report
 * as `monitor-error` (never as "no logs, nothing to check"); a bad trusted root or config throws.
 */
import type { MonitorConfig } from '../config/config-file.ts';
import type { LogConfig } from '../config/log-config.ts';
import type { TrustSource } from '../config/trust-source.ts';
import { isTlogError, type TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import { nameFromUrl, type TlogApi } from './expand.ts';
import { probeTlogApi } from './probe.ts';
import { publicSigstoreRoot } from './public-root.ts';
import { expandTrustSource, withTrustedLogs } from './resolve.ts';
import { parseTrustedRoot } from './trusted-root.ts';
import { fetchTrustedRootViaTuf } from './tuf.ts';

export interface TrustLoadDeps {
  /** Reads a file named in the config (the adapter resolves it against the config's directory). */
  readonly readText: (path: string) => Promise<string>;
  readonly nowMs: number;
  /** The bounded HTTP client, trusting `tlsCaBundle` too when given. */
  readonly http: (tlsCaBundle?: string) => HttpClient;
  /** The directory caching one TUF repository's metadata. */
  readonly tufCacheDir: (url: string) => string;
  /** Ask undecided Rekor logs which API they serve (probe.ts). */
  readonly probe: boolean;
}

export interface TrustFailure {
  /** A name for the failed source in results: `tuf-<host>`. */
  readonly name: string;
  readonly where: string;
  readonly error: TlogError;
}

export async function loadTrustSources(
  config: MonitorConfig,
  deps: TrustLoadDeps,
): Promise<{ config: MonitorConfig; failures: TrustFailure[] }> {
  const failures: TrustFailure[] = [];
  const logs: LogConfig[] = [];
  for (const source of config.trust ?? []) {
    let rootText: { text: string; from: string };
    try {
      rootText = await trustedRootText(source, deps);
    } catch (e) {
      if (!isTlogError(e, 'trust/')) throw e;
      failures.push({ name: `tuf-${nameFromUrl(source.tuf?.url ?? '')}`, where: source.where, error: e });
      continue;
    }
    const signingConfig =
      source.signingConfig === undefined
        ? undefined
        : { text: await deps.readText(source.signingConfig), from: source.signingConfig };
    const probed = deps.probe
      ? await probeUndecided(source, rootText, signingConfig === undefined, deps)
      : undefined;
    // Keys from TUF are refreshed before each check (LogConfig.tufKeys), so a long `watch`
    // follows a rotation instead of calling the new shard's heads bad signatures.
    const followTuf =
      source.tuf === undefined
        ? undefined
        : {
            url: source.tuf.url,
            ...(source.tuf.root === undefined ? {} : { root: await deps.readText(source.tuf.root) }),
          };
    logs.push(
      ...expandTrustSource(
        {
          source,
          trustedRoot: rootText,
          ...(signingConfig === undefined ? {} : { signingConfig }),
          ...(probed === undefined ? {} : { probed }),
          ...(followTuf === undefined ? {} : { followTuf }),
        },
        deps.nowMs,
      ),
    );
  }
  return { config: withTrustedLogs(config, logs), failures };
}

async function trustedRootText(
  source: TrustSource,
  deps: TrustLoadDeps,
): Promise<{ text: string; from: string }> {
  if (source.tuf === undefined && source.trustedRoot !== undefined) {
    return { text: await deps.readText(source.trustedRoot), from: source.trustedRoot };
  }
  const tuf = source.tuf as NonNullable<TrustSource['tuf']>;
  const initialRoot =
    tuf.root === undefined ? publicSigstoreRoot() : new TextEncoder().encode(await deps.readText(tuf.root));
  const text = await fetchTrustedRootViaTuf({
    url: tuf.url,
    initialRoot,
    cacheDir: deps.tufCacheDir(tuf.url),
    http: deps.http(source.defaults.tlsCaBundle as string | undefined),
  });
  return { text, from: `tuf ${tuf.url}` };
}

/** Probes, once, each tlog that no override or signing config places as Rekor v1 or v2. */
async function probeUndecided(
  source: TrustSource,
  root: { text: string; from: string },
  noSigningConfig: boolean,
  deps: TrustLoadDeps,
): Promise<Map<string, TlogApi>> {
  const out = new Map<string, TlogApi>();
  if (!noSigningConfig) return out;
  const parsed = parseTrustedRoot(root.text, root.from);
  const urls = [...new Set(parsed.tlogs.map((t) => t.baseUrl))].filter(
    (u) => (source.overrides[nameFromUrl(u)] ?? source.overrides[u])?.type === undefined,
  );
  const http = deps.http(source.defaults.tlsCaBundle as string | undefined);
  await Promise.all(
    urls.map(async (u) => {
      const api = await probeTlogApi(u, http);
      if (api !== undefined) out.set(u, api);
    }),
  );
  return out;
}
