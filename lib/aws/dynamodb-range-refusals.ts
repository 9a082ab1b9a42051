/**
 * Refused fan-out ranges (lib/scan-fanout/ports.ts RangeRefusals) in the monitor's table: item
 * `pk = LOG#<name>`, `sk = REFUSED#<start, 20 digits>`, with the range's end, the verdict and its
 * evidence (JSON) and where the evidence item is. Written by the scan worker that found the range
 * not in the tree, marked `cleared` by the worker that later proves it (a write, not a delete: the
 * shared worker is granted no DeleteItem); read by the monitor function.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { TlogError } from '../errors.ts';
import type { Evidence } from '../monitor/check-result.ts';
import type { RangeRefusals, RefusedRange } from '../scan-fanout/ports.ts';
import { ioError, logKey } from './dynamodb-access.ts';

export const refusedKey = (start: bigint): string => `REFUSED#${start.toString().padStart(20, '0')}`;

export interface DynamoRangeRefusalsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export class DynamoRangeRefusals implements RangeRefusals {
  readonly #options: DynamoRangeRefusalsOptions;

  constructor(options: DynamoRangeRefusalsOptions) {
    this.#options = options;
  }

  async load(log: string, start: bigint): Promise<RefusedRange | undefined> {
    let out: GetItemCommandOutput;
    try {
      out = await this.#options.client.send(
        new GetItemCommand({
          TableName: this.#options.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: refusedKey(start) } },
          ConsistentRead: true,
        }),
      );
    } catch (e) {
      throw ioError(this.#options.tableName, 'read a REFUSED item', e);
    }
    const item = out.Item;
    if (!item || item.cleared?.BOOL === true) return undefined;
    const bad = (why: string): never => {
      throw new TlogError('state/corrupt', `DynamoDB item ${logKey(log)} / ${refusedKey(start)}: ${why}`);
    };
    const end = item.end?.S;
    if (end === undefined || !/^(0|[1-9][0-9]{0,19})$/.test(end)) return bad('end must be a decimal string');
    let evidence: Evidence;
    try {
      evidence = JSON.parse(item.evidence?.S ?? '') as Evidence;
    } catch {
      return bad('evidence must be JSON');
    }
    const ref = item.evidenceRef?.S;
    return {
      start,
      end: BigInt(end),
      message: item.message?.S ?? bad('no message'),
      evidence,
      ...(ref !== undefined ? { evidenceRef: ref } : {}),
    };
  }

  async put(log: string, refused: RefusedRange): Promise<void> {
    try {
      await this.#options.client.send(
        new PutItemCommand({
          TableName: this.#options.tableName,
          Item: {
            pk: { S: logKey(log) },
            sk: { S: refusedKey(refused.start) },
            end: { S: refused.end.toString() },
            message: { S: refused.message },
            evidence: { S: JSON.stringify(refused.evidence) },
            ...(refused.evidenceRef !== undefined ? { evidenceRef: { S: refused.evidenceRef } } : {}),
          },
        }),
      );
    } catch (e) {
      throw ioError(this.#options.tableName, 'store a REFUSED item', e);
    }
  }

  async clear(log: string, start: bigint): Promise<void> {
    try {
      await this.#options.client.send(
        new UpdateItemCommand({
          TableName: this.#options.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: refusedKey(start) } },
          UpdateExpression: 'SET cleared = :true',
          // Nothing to clear when the range was never refused.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': { BOOL: true } },
        }),
      );
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return;
      throw ioError(this.#options.tableName, 'clear a REFUSED item', e);
    }
  }
}
