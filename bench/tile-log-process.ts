/**
 * The in-repo tile log server (test/support/tile-log-server.ts) in a child process, for
 * bench/tile-client-memory.ts: the log's own tree then does not count in the heap measured
 * there. Speaks over the IPC channel: it sends `{ url, origin, publicKey }` once listening, and
 * answers `{ append: n }` with `{ size }` after appending and publishing n entries.
 */
import { startTileLog } from '../test/support/tile-log-server.ts';

const initialSize = Number(process.argv[2] ?? '1000');
const log = await startTileLog({ type: 'tiles', initialSize });
process.send?.({ url: log.url, origin: log.origin, publicKey: log.publicKey });
process.on('message', (m: { append?: number; stop?: true }) => {
  if (m.stop) {
    void log.close().then(() => process.exit(0));
    return;
  }
  log.append(m.append ?? 0);
  process.send?.({ size: log.size });
});
