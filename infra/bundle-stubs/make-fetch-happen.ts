/**
 * Stands in for make-fetch-happen in the Lambda bundle. tuf-js loads it for its DefaultFetcher,
 * which the monitor never builds: lib/trust/tuf.ts gives the Updater its own fetcher over the
 * bounded HTTP client. The real package and its dependencies would add about 1 MB to the bundle
 * (iconv-lite, cacache, socks, glob) and to every cold start.
 */
export default function makeFetchHappen(): never {
  throw new Error(
    'make-fetch-happen is not in the tlog-monitor bundle: TUF fetches go through the bounded client',
  );
}
