/**
 * `tlog-monitor status`: every configured log's state, from the state files or (`--aws --table
 * T`) the Lambda deployment's DynamoDB table. Human blocks, or with --json one object per log.
 * Exit 0 when every log's state could be read and verified, else 2.
 */
import { systemClock } from '../../http/ports.ts';
import { statusOf } from '../../status/status-report.ts';
import type { StatusSource } from '../../status/status-source.ts';
import type { Values } from '../cli-args.ts';
import type { Targets } from '../targets.ts';
import { FileStatusSource } from './file-status-source.ts';
import { formatStatus } from './format-status.ts';

export interface StatusIo {
  readonly out: (line: string) => void;
}

export async function runStatus(targets: Targets, values: Values, io: StatusIo): Promise<number> {
  const source: StatusSource =
    values.aws && values.table !== undefined
      ? await dynamoSource(values.table)
      : new FileStatusSource(targets.store, `state directory ${targets.stateLocation}`);
  const statuses = await statusOf(targets.logs, source, systemClock);
  if (values.json) for (const s of statuses) io.out(JSON.stringify(s));
  else {
    io.out(
      `${statuses.length} log${statuses.length === 1 ? '' : 's'} from ${source.description}, at ${new Date(systemClock.now()).toISOString()}`,
    );
    for (const s of statuses) io.out(formatStatus(s));
  }
  return statuses.some((s) => s.problems.length > 0) ? 2 : 0;
}

/**
 * The DynamoDB reader, loaded only when asked for (the AWS SDK is not loaded by other commands).
 * Region, credentials and endpoint come from the SDK's usual settings (AWS_REGION, AWS_PROFILE,
 * AWS_ENDPOINT_URL, ...).
 */
async function dynamoSource(table: string): Promise<StatusSource> {
  const [{ DynamoDBClient }, { DynamoStatusSource }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('../../aws/dynamodb-status-source.ts'),
  ]);
  return new DynamoStatusSource(new DynamoDBClient({}), table);
}
