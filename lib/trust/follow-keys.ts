/**
 * A log whose keys are followed through TUF (LogConfig.tufKeys): before a check, its keys are taken
 * afresh from the TUF-verified trusted root, so a key the root gains (a new Rekor v1 shard) is
 * used from then on and a validity that ends freezes the log. Everything else (name, URL, type,
 * origin, interval, ...) stays as deployed. A repository that cannot deliver a verified root, or a
 * root that no longer lists the log, is TlogError `trust/unavailable`: the check does not run.
 */
import { type LogConfig, logConfigToJson, parseLogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import { expandTrustedRoot } from './expand.ts';
import { publicSigstoreRoot } from './public-root.ts';
import { parseTrustedRoot } from './trusted-root.ts';
import { fetchTrustedRootViaTuf } from './tuf.ts';

export interface FollowKeysDeps {
  readonly http: HttpClient;
  /** This repository's metadata cache (the Lambda: under /tmp). */
  readonly cacheDir: string;
  readonly nowMs: number;
}

export async function followKeysThroughTuf(log: LogConfig, deps: FollowKeysDeps): Promise<LogConfig> {
  const tuf = log.tufKeys;
  if (tuf === undefined) return log;
  const text = await fetchTrustedRootViaTuf({
    url: tuf.url,
    initialRoot: tuf.root === undefined ? publicSigstoreRoot() : new TextEncoder().encode(tuf.root),
    cacheDir: deps.cacheDir,
    http: deps.http,
  });
  const from = `trusted_root.json from TUF ${tuf.url}`;
  const root = parseTrustedRoot(text, from);
  const listed = (log.type === 'ct' ? root.ctlogs : root.tlogs).some((k) => k.baseUrl === tuf.baseUrl);
  if (!listed) {
    throw new TlogError(
      'trust/unavailable',
      `log "${log.name}": the verified ${from} no longer lists ${tuf.baseUrl}; its keys cannot be checked (redeploy without it if it was retired)`,
      { baseUrl: tuf.baseUrl },
    );
  }
  const [fresh] = expandTrustedRoot(root, {
    nowMs: deps.nowMs,
    where: from,
    include: [tuf.baseUrl],
    // The deployed type and origin decide v1/v2 and the v2 origin, as they did at synth.
    ...(log.type === 'ct'
      ? {}
      : {
          overrides: {
            [tuf.baseUrl]: { type: log.type, ...(log.type === 'tiles' ? { origin: log.origin } : {}) },
          },
        }),
  });
  const { publicKey, publicKeys, frozen } = fresh?.entry ?? {};
  const { publicKeys: _old, frozen: _wasFrozen, ...deployed } = logConfigToJson(log);
  return parseLogConfig(
    {
      ...deployed,
      publicKey,
      ...(publicKeys === undefined ? {} : { publicKeys }),
      ...(frozen === undefined ? {} : { frozen }),
    },
    `${log.name} with keys from ${from}`,
  );
}
