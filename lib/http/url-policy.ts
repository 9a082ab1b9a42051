/**
 * Which URLs the bounded client may fetch, and which redirects it may follow.
 *
 * - http(s) only, and plain http only on loopback (127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104,
 *   localhost): a log answer read over plain http from elsewhere could be altered in transit,
 *   and although everything that matters is signed, availability and evidence should not depend
 *   on the network path.
 * - Redirects (checked on every hop, before it is requested): a target host that is an address
 *   of a special kind (address-class.ts: unspecified 0.0.0.0/8 and ::, loopback in every
 *   spelling, link-local 169.254.0.0/16 with the cloud metadata service and fe80::/10, private
 *   RFC 1918, 100.64.0.0/10 and fc00::/7, multicast and reserved; IPv4-mapped, IPv4-compatible
 *   and NAT64 forms count as the IPv4 address they embed) is followed only from a host of the
 *   same kind: a log on loopback may redirect on loopback, a log on a private network within
 *   private networks; a log on the internet to neither. Unspecified, multicast and reserved
 *   targets are never followed. Redirects to DNS names and public addresses are followed.
 *   Limit: a DNS name is not resolved here, so a name that resolves to a private address is
 *   not caught; the rule is about the address a log can write in a Location header.
 */
import { TlogError } from '../errors.ts';
import { classifyHost } from './address-class.ts';

/** True for hosts that never leave the machine: localhost, 127.0.0.0/8 and ::1 in any spelling. */
export function isLoopbackHost(hostname: string): boolean {
  return classifyHost(hostname).kind === 'loopback';
}

/**
 * Throws 'http/insecure-url' if a redirect from `from` to `to` breaks the redirect rule (file
 * header). `shownFrom` is `from` without userinfo.
 */
export function checkRedirectTarget(from: URL, to: URL, shownFrom: string): void {
  const target = classifyHost(to.hostname);
  if (target.kind === 'name' || target.kind === 'public') return;
  const source = classifyHost(from.hostname);
  const never = target.kind === 'unspecified' || target.kind === 'reserved';
  if (!never && source.kind === target.kind) return;
  throw new TlogError(
    'http/insecure-url',
    `refusing a redirect from ${shownFrom} to ${redactUrl(to)}: ${to.hostname} is a ${target.kind} address ` +
      `(${target.range}); expected a DNS name or a public address` +
      (never ? '' : ` (or a ${target.kind} address, from a log on one)`),
    { url: shownFrom, target: redactUrl(to), targetKind: target.kind },
  );
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
