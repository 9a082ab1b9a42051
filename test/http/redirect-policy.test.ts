/**
 * The redirect rule (lib/http/url-policy.ts, lib/http/address-class.ts): a log on the network
 * never sends the monitor to this machine, its link-local neighbours (cloud metadata) or private
 * networks, however the address is spelled. No test here opens a connection: the FetchPort is
 * a fake that answers with a redirect or "ok" and records what it was asked for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTlogError } from '../../lib/errors.ts';
import { type AddressKind, classifyHost } from '../../lib/http/address-class.ts';
import { createHttpClient } from '../../lib/http/bounded-client.ts';
import type { Clock, FetchPort } from '../../lib/http/ports.ts';

const clock: Clock = { now: () => 0, sleep: async () => {} };

/** Every spelling the review used, and more, with the kind it must be classified as. */
const SPECIAL: ReadonlyArray<[string, AddressKind]> = [
  ['http://0.0.0.0:8080/', 'unspecified'],
  ['http://0/', 'unspecified'],
  ['http://[::]/', 'unspecified'],
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0x7f.1/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://0177.0.0.1/', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[::ffff:7f00:1]/', 'loopback'],
  ['http://[0:0:0:0:0:ffff:127.0.0.2]/', 'loopback'],
  ['http://[::127.0.0.1]/', 'loopback'],
  ['http://[64:ff9b::127.0.0.1]/', 'loopback'],
  ['http://localhost/', 'loopback'],
  ['http://admin.localhost./', 'loopback'],
  ['http://169.254.169.254/latest/meta-data/', 'link-local'],
  ['http://[::ffff:169.254.169.254]/', 'link-local'],
  ['http://2852039166/', 'link-local'],
  ['http://[fe80::1]/', 'link-local'],
  ['http://10.0.0.1/', 'private'],
  ['http://172.16.5.4/', 'private'],
  ['http://172.31.255.255/', 'private'],
  ['http://192.168.1.1/', 'private'],
  ['http://100.64.0.1/', 'private'],
  ['http://100.100.100.200/', 'private'],
  ['http://[::ffff:10.1.2.3]/', 'private'],
  ['http://[fc00::1]/', 'private'],
  ['http://[fd00:ec2::254]/', 'private'],
  ['http://255.255.255.255/', 'reserved'],
  ['http://224.0.0.1/', 'reserved'],
  ['http://[ff02::1]/', 'reserved'],
];

const ORDINARY: ReadonlyArray<[string, AddressKind]> = [
  ['https://93.184.216.34/', 'public'],
  ['https://172.32.0.1/', 'public'],
  ['https://100.128.0.1/', 'public'],
  ['https://[2001:db8::1]/', 'public'],
  ['https://[::ffff:93.184.216.34]/', 'public'],
  ['https://rekor.sigstore.dev/', 'name'],
  ['https://127.example.com/', 'name'],
  ['https://localhost.example/', 'name'],
];

describe('classifyHost', () => {
  for (const [url, kind] of [...SPECIAL, ...ORDINARY]) {
    it(`${url} is ${kind}`, () => {
      assert.equal(classifyHost(new URL(url).hostname).kind, kind);
    });
  }
});

/** A fetch that redirects the first request to `location` and answers "ok" to any other. */
function redirectingFetch(location: string): FetchPort & { calls: string[] } {
  const calls: string[] = [];
  const f: FetchPort = async (url) => {
    calls.push(url);
    return calls.length === 1
      ? new Response(null, { status: 302, headers: { location } })
      : new Response('ok');
  };
  return Object.assign(f, { calls });
}

async function follow(from: string, location: string) {
  const fetch = redirectingFetch(location);
  const http = createHttpClient({ fetch, clock, retries: 0 });
  try {
    await http.get(from);
    return { fetch, error: undefined };
  } catch (e) {
    return { fetch, error: e };
  }
}

describe('redirects from a remote log', () => {
  for (const [target, kind] of SPECIAL) {
    for (const scheme of ['https:', 'http:']) {
      const location = target.replace(/^http:/, scheme);
      it(`refuses ${location} (${kind}), without requesting it`, async () => {
        const { fetch, error } = await follow('https://log.example/api/v1/log', location);
        assert.ok(
          isTlogError(error, 'http/insecure-url'),
          `expected http/insecure-url, got ${String(error)}`,
        );
        assert.match(error.message, new RegExp(kind === 'unspecified' ? 'unspecified' : kind));
        assert.deepEqual(fetch.calls, ['https://log.example/api/v1/log']);
      });
    }
  }

  it('follows a redirect to another host on the network (a name or a public address)', async () => {
    for (const location of [
      'https://mirror.example/x',
      'https://93.184.216.34/x',
      'https://[2001:db8::1]/x',
    ]) {
      const { fetch, error } = await follow('https://log.example/api/v1/log', location);
      assert.equal(error, undefined, String(error));
      assert.equal(fetch.calls[1], location);
    }
  });

  it('a log on a private network may redirect within its own kind of network, not elsewhere inside', async () => {
    const within = await follow('https://10.0.0.5/log', 'https://192.168.7.7/log');
    assert.equal(within.error, undefined, String(within.error));
    for (const location of ['https://169.254.169.254/x', 'https://127.0.0.1/x', 'https://[::]/x']) {
      const { fetch, error } = await follow('https://10.0.0.5/log', location);
      assert.ok(isTlogError(error, 'http/insecure-url'), location);
      assert.equal(fetch.calls.length, 1);
    }
  });

  it('a log on loopback (the test logs) may redirect on loopback, but not to link-local', async () => {
    const local = await follow('http://127.0.0.1:9/a', 'http://[::ffff:127.0.0.1]:9/b');
    assert.equal(local.error, undefined, String(local.error));
    const metadata = await follow('http://127.0.0.1:9/a', 'http://169.254.169.254/latest/meta-data/');
    assert.ok(isTlogError(metadata.error, 'http/insecure-url'));
  });
});
