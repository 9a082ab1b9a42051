/**
 * A Sigstore `SigningConfig` (sigstore/protobuf-specs `dev.sigstore.trustedroot.v1.SigningConfig`,
 * media type `application/vnd.dev.sigstore.signingconfig.v0.2+json`): only `rekorTlogUrls[]`
 * `{ url, majorApiVersion }` is read, to tell Rekor v1 logs from Rekor v2 logs by base URL.
 */
import { ConfigIssues, describe, isPlainObject } from '../config/issues.ts';
import { parseJsonText } from '../config/json-text.ts';
import { parseLogUrl } from '../config/log-url.ts';

/** Rekor API major version (1 or 2) by normalised base URL. */
export function parseSigningConfigApis(text: string, source: string): Map<string, number> {
  const raw = parseJsonText(text, source);
  const issues = new ConfigIssues();
  const out = new Map<string, number>();
  const list = isPlainObject(raw) ? raw.rekorTlogUrls : undefined;
  if (!Array.isArray(list)) {
    issues.add(`${source}: rekorTlogUrls`, `must be an array (a SigningConfig v0.2), got ${describe(list)}`);
    issues.throwIfAny();
  }
  (list as unknown[]).forEach((s, i) => {
    const at = `${source}: rekorTlogUrls[${i}]`;
    const url = isPlainObject(s)
      ? parseLogUrl(s.url)
      : { error: 'must be an object { url, majorApiVersion }' };
    const major = isPlainObject(s) ? s.majorApiVersion : undefined;
    if ('error' in url) issues.add(`${at}.url`, url.error);
    else if (major !== 1 && major !== 2)
      issues.add(`${at}.majorApiVersion`, `must be 1 or 2, got ${describe(major)}`);
    else if (out.has(url.url) && out.get(url.url) !== major) {
      issues.add(at, `${url.url} is listed as both Rekor v1 and v2`);
    } else out.set(url.url, major);
  });
  issues.throwIfAny();
  return out;
}
