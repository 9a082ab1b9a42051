/**
 * `tlog-monitor status --aws --table T [--json]` against the Lambda's table on moto: the HEAD
 * the handler stored (re-verified with the pinned key), the active ALERT items, the SCAN
 * cursor hook, and a configured log that has no state yet. Run as a real CLI process with the
 * AWS SDK's usual settings pointing at moto.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DynamoScanStore } from '../../lib/aws/dynamodb-scan-store.ts';
import type { LogStatus } from '../../lib/status/status-report.ts';
import { CREDENTIALS, REGION } from '../support/moto.ts';
import { LOG_NAME, SCHEDULED_EVENT, useHarness } from './harness.ts';

const execFileP = promisify(execFile);
const CLI = ['--import', 'tsx', new URL('../support/cli-process.ts', import.meta.url).pathname];

describe('tlog-monitor status --aws', () => {
  const h = useHarness({ type: 'ct', initialSize: 6 });

  async function status(extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'tlog-status-aws-'));
    const cfg = join(dir, 'c.json');
    const logConfig = JSON.parse(h.env.LOG_CONFIG ?? '{}');
    await writeFile(cfg, JSON.stringify({ logs: [logConfig, { ...logConfig, name: 'not-deployed-yet' }] }));
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL: h.moto.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    };
    const args = [...CLI, 'status', '--aws', '--table', h.stack.tableName, '--config', cfg, ...extra];
    try {
      const { stdout, stderr } = await execFileP(process.execPath, args, { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const f = e as { code: number; stdout: string; stderr: string };
      return { code: f.code, stdout: f.stdout, stderr: f.stderr };
    }
  }

  it('prints every configured log: head, open alerts, scan cursor', { timeout: 120_000 }, async () => {
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'initialized');
    h.log.fork();
    assert.equal((await h.handler(SCHEDULED_EVENT)).status, 'fork');
    // The SCAN item as the identity scan writes it (lib/aws/dynamodb-scan-store.ts).
    const scans = new DynamoScanStore({ client: h.clients.dynamo, tableName: h.stack.tableName });
    assert.ok(await scans.commitScan(LOG_NAME, 0, { next: 4n, range: [new Uint8Array(32)] }, []));

    const json = await status(['--json']);
    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    const [deployed, notYet] = lines.map((l) => JSON.parse(l) as LogStatus);
    assert.equal(deployed?.log, LOG_NAME);
    assert.equal(deployed?.head?.size, '6');
    assert.equal(deployed?.headStoredAt, deployed?.lastVerifiedAt);
    assert.ok((deployed?.lastVerifiedAgeSeconds ?? -1) >= 0);
    assert.equal(deployed?.lastStatus, undefined, 'the Lambda keeps no last status');
    assert.deepEqual(
      deployed?.openAlerts.map((a) => [a.condition, a.status]),
      [['fork', 'fork']],
    );
    assert.deepEqual(deployed?.scan, { nextIndex: '4' });
    assert.deepEqual(deployed?.problems, []);
    assert.equal(notYet?.log, 'not-deployed-yet');
    assert.equal(notYet?.head, undefined);
    assert.deepEqual(notYet?.openAlerts, []);

    const human = await status([]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^2 logs from DynamoDB table ${h.stack.tableName}, at `));
    assert.match(
      human.stdout,
      new RegExp(`\\n${LOG_NAME} \\(ct, every 5m\\) .*\\n {2}head {6}size 6, root `),
    );
    assert.match(human.stdout, /\n {2}alert {5}fork since \S+ \(1×\)/);
    assert.match(human.stdout, /\n {2}scan {6}next index 4/);
    assert.match(human.stdout, /\nnot-deployed-yet \(ct, every 5m\) .*\n {2}head {6}none stored yet/);
    h.log.reset();
  });
});
