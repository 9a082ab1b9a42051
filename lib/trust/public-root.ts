/**
 * The public Sigstore TUF repository's initial root.json, as @sigstore/tuf ships it (seeds.json,
 * the same file the Sigstore clients start from). Imported as JSON so a bundle carries it.
 */
import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' };
import { PUBLIC_SIGSTORE_TUF_URL } from '../config/trust-source.ts';
import { TlogError } from '../errors.ts';

export function publicSigstoreRoot(): Uint8Array {
  const seed = (seeds as Record<string, { 'root.json'?: string }>)[PUBLIC_SIGSTORE_TUF_URL];
  if (seed?.['root.json'] === undefined) {
    throw new TlogError(
      'trust/unavailable',
      `@sigstore/tuf has no initial root for ${PUBLIC_SIGSTORE_TUF_URL}`,
    );
  }
  return new Uint8Array(Buffer.from(seed['root.json'], 'base64'));
}
