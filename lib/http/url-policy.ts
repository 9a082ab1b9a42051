/**
 * Which URLs the bounded client may fetch: http(s) only, and plain http only on loopback
 * (127.0.0.0/8, ::1, localhost) — a log answer read over plain http from elsewhere could be
 * altered in transit, and although everything that matters is signed, availability and
 * evidence should not depend on the network path.
 */
import { TlogError } from '../errors.ts';

/** True for hosts that never leave the machine: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === 'localhost.') return true;
  // WHATWG URL parsing brackets IPv6 literals and canonicalises them (::1 is always "[::1]").
  if (host === '[::1]') return true;
  // WHATWG URL parsing canonicalises IPv4 forms (127.1, 0x7f.0.0.1, ...) to dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The URL without userinfo, for messages and logs. Falls back to a fixed text if unparseable. */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return '<invalid URL>';
  }
  u.username = '';
  u.password = '';
  return u.toString();
}

/** A URL checked against the rules, split into what to request and how to authenticate. */
export interface CheckedUrl {
  /** The URL to request, userinfo removed. */
  readonly url: URL;
  /** `Basic` credentials from userinfo (RFC 7617), if the URL carried any. */
  readonly authorization?: string;
}

/** Parses and checks `raw`; throws TlogError 'http/insecure-url' before any request is made. */
export function checkUrl(raw: string | URL): CheckedUrl {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new TlogError('http/insecure-url', 'not a valid absolute URL', { url: '<invalid URL>' });
  }
  const shown = redactUrl(url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TlogError(
      'http/insecure-url',
      `unsupported URL scheme ${url.protocol} in ${shown}: expected https: (or http: on loopback)`,
      { url: shown },
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TlogError(
      'http/insecure-url',
      `refusing plain http to ${url.hostname} (${shown}): expected https:, http: is allowed only on loopback`,
      { url: shown },
    );
  }
  let authorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    const user = safeDecode(url.username);
    const pass = safeDecode(url.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
    url = new URL(shown);
  }
  url.hash = '';
  return authorization === undefined ? { url } : { url, authorization };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
