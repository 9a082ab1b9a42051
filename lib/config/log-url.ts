/**
 * A log's base URL: absolute http(s), https unless the host is loopback, no userinfo, no query or
 * fragment. Normalised by the WHATWG URL parser, with trailing slashes removed so that clients can
 * append `/api/v1/log`, `/ct/v1/get-sth` or `/checkpoint` to it.
 */

const HTTPS_RULE = 'must be an https:// URL (http is allowed only for loopback hosts)';

/** Loopback hosts: `localhost`, 127.0.0.0/8 (RFC 1122 §3.2.1.3) and `[::1]` (RFC 4291 §2.5.3). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

export function parseLogUrl(value: unknown): { url: string } | { error: string } {
  if (typeof value !== 'string') return { error: HTTPS_RULE };
  // The URL parser silently strips surrounding whitespace and tabs/newlines inside; refuse them instead.
  if (/[\s\p{Cc}]/u.test(value)) return { error: 'must not contain whitespace or control characters' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: `${HTTPS_RULE}; this is not an absolute URL` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return { error: HTTPS_RULE };
  }
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/]*)/.exec(value)?.[1] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    return { error: 'must not contain credentials (user:password@)' };
  }
  if (value.includes('?') || value.includes('#')) {
    return { error: 'must not have a query (?...) or fragment (#...); give the log base URL' };
  }
  return { url: url.href.replace(/\/+$/, '') };
}
