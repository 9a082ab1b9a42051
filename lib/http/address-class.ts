/**
 * What kind of address a URL's host names, judged from the host text alone (no DNS lookup):
 * the redirect rule in url-policy.ts uses it to keep a remote log from sending the monitor to
 * this machine, its link-local neighbours (the cloud metadata service at 169.254.169.254) or
 * the private network it runs in.
 *
 * `hostname` must be a WHATWG URL's `hostname`: the URL parser has already turned every IPv4
 * spelling (`0`, `2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`) into dotted decimal, and every
 * IPv6 literal into its bracketed, lower-case, compressed form (`[::ffff:7f00:1]`).
 *
 * Ranges: RFC 6890 (special-purpose registries), RFC 1918 (private IPv4), RFC 6598 (shared
 * address space, carrier-grade NAT), RFC 3927 (IPv4 link-local), RFC 4291 §2.5 (IPv6 unspecified,
 * loopback, IPv4-compatible and IPv4-mapped), RFC 4193 (unique local), RFC 6052 (NAT64
 * 64:ff9b::/96), RFC 6761 §6.3 (`localhost` names).
 */

export type AddressKind =
  /** A DNS name other than localhost: its address is not known here. */
  | 'name'
  /** An IP literal outside every range below. */
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'link-local'
  | 'private'
  /** Multicast, broadcast and other ranges no log is served from. */
  | 'reserved';

export interface AddressClass {
  readonly kind: AddressKind;
  /** The range, in words, for messages: "169.254.0.0/16 (link-local, cloud metadata)". */
  readonly range: string;
}

const NAME: AddressClass = { kind: 'name', range: 'a DNS name' };

export function classifyHost(hostname: string): AddressClass {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return { kind: 'loopback', range: 'localhost (RFC 6761)' };
  }
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups ? classifyIpv6(groups) : { kind: 'reserved', range: 'an unparseable IPv6 literal' };
  }
  const v4 = parseDottedIpv4(host);
  return v4 === undefined ? NAME : classifyIpv4(v4);
}

/** `a.b.c.d` as a 32-bit number, or undefined for anything else. */
function parseDottedIpv4(host: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

/** [first address, prefix length, kind, words] */
type Range4 = readonly [string, number, AddressKind, string];

const IPV4_RANGES: readonly Range4[] = [
  ['0.0.0.0', 8, 'unspecified', '0.0.0.0/8 (this host, unspecified)'],
  ['127.0.0.0', 8, 'loopback', '127.0.0.0/8 (loopback)'],
  ['169.254.0.0', 16, 'link-local', '169.254.0.0/16 (link-local, cloud metadata)'],
  ['10.0.0.0', 8, 'private', '10.0.0.0/8 (private, RFC 1918)'],
  ['172.16.0.0', 12, 'private', '172.16.0.0/12 (private, RFC 1918)'],
  ['192.168.0.0', 16, 'private', '192.168.0.0/16 (private, RFC 1918)'],
  ['100.64.0.0', 10, 'private', '100.64.0.0/10 (shared address space, carrier-grade NAT)'],
  ['192.0.0.0', 24, 'reserved', '192.0.0.0/24 (IETF protocol assignments)'],
  ['198.18.0.0', 15, 'reserved', '198.18.0.0/15 (benchmarking)'],
  ['224.0.0.0', 4, 'reserved', '224.0.0.0/4 (multicast)'],
  ['240.0.0.0', 4, 'reserved', '240.0.0.0/4 (reserved, broadcast)'],
];

function classifyIpv4(address: number): AddressClass {
  for (const [first, bits, kind, range] of IPV4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = parseDottedIpv4(first) as number;
    if (address >= start && address < start + size) return { kind, range };
  }
  return { kind: 'public', range: 'a public IPv4 address' };
}

/** The eight 16-bit groups of an IPv6 address (no brackets), or undefined if malformed. */
function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (const [i, p] of pieces.entries()) {
      // A trailing dotted quad (::ffff:127.0.0.1), although the URL parser never leaves one.
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseDottedIpv4(p);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-f]{1,4}$/.test(p)) {
        out.push(Number.parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = part(halves[0] as string);
  const tail = halves.length === 2 ? part(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

function classifyIpv6(g: readonly number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = g6 * 65536 + g7;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const via = (how: string): AddressClass => {
    const inner = classifyIpv4(embedded);
    return inner.kind === 'public' ? inner : { kind: inner.kind, range: `${inner.range}, ${how}` };
  };
  if (zeros(8)) return { kind: 'unspecified', range: ':: (unspecified)' };
  if (zeros(7) && g7 === 1) return { kind: 'loopback', range: '::1 (loopback)' };
  if (zeros(5) && g5 === 0xffff) return via('IPv4-mapped ::ffff:0:0/96');
  if (zeros(6)) return via('IPv4-compatible ::/96');
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return via('NAT64 64:ff9b::/96');
  }
  if ((g0 & 0xffc0) === 0xfe80) return { kind: 'link-local', range: 'fe80::/10 (link-local)' };
  if ((g0 & 0xfe00) === 0xfc00) {
    return { kind: 'private', range: 'fc00::/7 (unique local, incl. the cloud metadata fd00:ec2::254)' };
  }
  if ((g0 & 0xffc0) === 0xfec0) return { kind: 'private', range: 'fec0::/10 (site-local)' };
  if ((g0 & 0xff00) === 0xff00) return { kind: 'reserved', range: 'ff00::/8 (multicast)' };
  return { kind: 'public', range: 'a public IPv6 address' };
}
