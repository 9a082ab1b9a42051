/**
 * A test certificate authority and an HTTPS front for a loopback test log: openssl (on the
 * machine) mints a CA and a leaf for 127.0.0.1 signed by it; an https server on 127.0.0.1
 * passes every request through to the plain-http test log behind it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** The CA certificate, PEM: what a tlsCaBundle holds. */
  readonly caPem: string;
  readonly leafCertPem: string;
  readonly leafKeyPem: string;
}

export function mintTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-ca-'));
  const f = (n: string) => join(dir, n);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=tlog-monitor test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    f('leaf.key'),
    '-out',
    f('leaf.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(
    f('leaf.ext'),
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    f('leaf.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('leaf.pem'),
    '-days',
    '1',
    '-extfile',
    f('leaf.ext'),
  );
  return {
    caPem: readFileSync(f('ca.pem'), 'utf8'),
    leafCertPem: readFileSync(f('leaf.pem'), 'utf8'),
    leafKeyPem: readFileSync(f('leaf.key'), 'utf8'),
  };
}

/** https://127.0.0.1:<port> in front of `backend` (an http://127.0.0.1 URL with no path). */
export async function startHttpsFront(
  ca: TestCa,
  backend: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(backend);
  const server: Server = createServer({ cert: ca.leafCertPem, key: ca.leafKeyPem }, (req, res) => {
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
