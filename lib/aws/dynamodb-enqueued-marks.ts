/**
 * How far a log's scan backlog has been enqueued for the fan-out (issue 11 §5), in the monitor's
 * table: item `pk = LOG#<name>`, `sk = FANOUT`, attribute `enqueuedTo` (decimal string) and the
 * Rekor shard. Its own item, because the scan store rewrites the SCAN item whole on each commit.
 * Moved only by a conditional write on the value read, so two checks never enqueue one range twice.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { TlogError } from '../errors.ts';
import type { EnqueuedMark, EnqueuedMarks } from '../scan-fanout/ports.ts';
import { ioError, logKey } from './dynamodb-access.ts';

export const FANOUT_KEY = 'FANOUT';

export interface DynamoEnqueuedMarksOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export class DynamoEnqueuedMarks implements EnqueuedMarks {
  readonly #options: DynamoEnqueuedMarksOptions;

  constructor(options: DynamoEnqueuedMarksOptions) {
    this.#options = options;
  }

  async load(log: string): Promise<EnqueuedMark | undefined> {
    let item: GetItemCommandOutput;
    try {
      item = await this.#options.client.send(
        new GetItemCommand({
          TableName: this.#options.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: FANOUT_KEY } },
          ConsistentRead: true,
        }),
      );
    } catch (e) {
      throw ioError(this.#options.tableName, 'read the FANOUT item', e);
    }
    if (!item.Item) return undefined;
    const to = item.Item.enqueuedTo?.S;
    if (to === undefined || !/^(0|[1-9][0-9]{0,19})$/.test(to)) {
      throw new TlogError(
        'state/corrupt',
        `DynamoDB item ${logKey(log)} / ${FANOUT_KEY}: enqueuedTo must be a decimal string, got ${JSON.stringify(to)}`,
      );
    }
    const shard = item.Item.shard?.S;
    return { to: BigInt(to), ...(shard !== undefined ? { shard } : {}) };
  }

  async move(log: string, expected: bigint | undefined, next: EnqueuedMark): Promise<boolean> {
    try {
      await this.#options.client.send(
        new PutItemCommand({
          TableName: this.#options.tableName,
          Item: {
            pk: { S: logKey(log) },
            sk: { S: FANOUT_KEY },
            enqueuedTo: { S: next.to.toString() },
            ...(next.shard !== undefined ? { shard: { S: next.shard } } : {}),
          },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'enqueuedTo = :expected',
                ExpressionAttributeValues: { ':expected': { S: expected.toString() } },
              }),
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw ioError(this.#options.tableName, 'move the FANOUT item', e);
    }
  }
}
