/** Builds the LogClient for a configured log. Keys come from the configuration only. */

import type { LogConfig } from '../config/log-config.ts';
import { TlogError } from '../errors.ts';
import type { HttpClient } from '../http/ports.ts';
import { parsePemPublicKey } from '../keys/public-key.ts';
import { ctClient } from './ct.ts';
import type { LogClient } from './log-client.ts';
import { rekorV1Client } from './rekor-v1.ts';
import { tileLogClient, tileLogVerifier } from './tiles.ts';

export function createLogClient(config: LogConfig, http: HttpClient): LogClient {
  switch (config.type) {
    case 'rekor-v1':
      return rekorV1Client({
        url: config.url,
        key: parsePemPublicKey(config.publicKey),
        ...(config.publicKeys !== undefined
          ? {
              shardKeys: config.publicKeys
                .filter((k) => k.key !== config.publicKey)
                .map((k) => parsePemPublicKey(k.key)),
            }
          : {}),
        http,
        ...(config.origin !== undefined ? { signerName: config.origin } : {}),
      });
    case 'ct':
      return ctClient({ url: config.url, key: parsePemPublicKey(config.publicKey), http });
    case 'tiles':
    case 'static-ct': {
      if (config.origin === undefined) {
        throw new TlogError('config/invalid', `log "${config.name}": a ${config.type} log needs an origin`);
      }
      return tileLogClient({
        type: config.type,
        url: config.url,
        origin: config.origin,
        verifiers: [tileLogVerifier(config.type, config.publicKey, config.origin)],
        http,
        ...(config.witnesses !== undefined ? { witnesses: config.witnesses } : {}),
        ...(config.minWitnesses !== undefined ? { minWitnesses: config.minWitnesses } : {}),
      });
    }
    default:
      throw new TlogError(
        'config/invalid',
        `log "${config.name}": type "${config.type}" is not supported yet`,
      );
  }
}
