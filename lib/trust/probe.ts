/**
 * Tells Rekor v1 from Rekor v2 by asking the log, once at config time, when neither an override
 * nor a signing config says: Rekor v2 serves a checkpoint at `<baseUrl>/api/v2/checkpoint`
 * (sigstore/rekor-tiles), Rekor v1 its log info at `<baseUrl>/api/v1/log` (sigstore/rekor openapi).
 * Nothing from the answer is trusted beyond its shape: the check verifies every head with the
 * pinned key. No answer, or both, decides nothing (the naming rule in expand.ts then applies).
 */
import { fromUtf8 } from '../bytes.ts';
import type { HttpClient } from '../http/ports.ts';
import type { TlogApi } from './expand.ts';

const PROBE_MAX_BYTES = 64 << 10;

export async function probeTlogApi(baseUrl: string, http: HttpClient): Promise<TlogApi | undefined> {
  const [v2, v1] = await Promise.all([
    answers(http, `${baseUrl}/api/v2/checkpoint`, (t) => /^[^\n]+\n\d+\n[A-Za-z0-9+/=]+\n/.test(t)),
    answers(http, `${baseUrl}/api/v1/log`, (t) => /"treeSize"\s*:/.test(t) && /"signedTreeHead"\s*:/.test(t)),
  ]);
  if (v2 === v1) return undefined;
  return v2 ? 'tiles' : 'rekor-v1';
}

async function answers(
  http: HttpClient,
  url: string,
  looksRight: (text: string) => boolean,
): Promise<boolean> {
  try {
    const res = await http.get(url, { maxBytes: PROBE_MAX_BYTES, acceptStatuses: [404] });
    return res.status === 200 && looksRight(fromUtf8(res.body));
  } catch {
    return false; // unreachable or oversized: this probe decides nothing
  }
}
