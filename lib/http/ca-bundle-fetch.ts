/**
 * A FetchPort for a log behind a private CA: HTTPS requests through node:https whose trust store
 * is the system roots plus the log's `tlsCaBundle` (PEM). Certificate checking stays on; only the
 * set of accepted roots grows. Plain http (loopback only, by the URL rule) goes through node:http.
 * A certificate failure surfaces as the TLS error code (UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED, ...), which the bounded client puts in its message.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import type { FetchPort } from './ports.ts';

export function caBundleFetch(tlsCaBundle: string): FetchPort {
  const ca = [...rootCertificates, tlsCaBundle];
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const options = { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined };
      const onResponse = (res: IncomingMessage) => {
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) h.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const status = res.statusCode ?? 502;
        // A Response cannot carry a body for 204/304 (Fetch standard, "null body status").
        const body =
          status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, headers: h }));
      };
      const req =
        target.protocol === 'https:'
          ? httpsRequest(target, { ...options, ca }, onResponse)
          : httpRequest(target, options, onResponse);
      req.on('error', reject);
      req.end();
    });
}
