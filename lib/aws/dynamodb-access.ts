/**
 * How the DynamoDB stores (state, scan) reach their one table: every call's failure becomes a
 * `state/io` TlogError naming the table and what was being done; a conditional write answers
 * whether it was applied; a prefix query reads one log's items of one kind, strongly consistent,
 * in key order, across pages.
 */
import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { TlogError } from '../errors.ts';

export type Item = Record<string, AttributeValue>;

/** The partition key of a log's items (docs/contracts.md, "DynamoDB state"). */
export const logKey = (log: string): string => `LOG#${log}`;

export class TableAccess {
  constructor(
    readonly db: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Runs one SDK call; any failure is state/io naming the table and `what`. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw ioError(this.tableName, what, e);
    }
  }

  /** Runs one conditional write: true if it was applied, false if its condition failed. */
  async conditional(what: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw ioError(this.tableName, what, e);
    }
  }

  /** The items of a log whose sort key starts with `prefix`, in key order (strongly consistent). */
  async query(log: string, prefix: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.call(`query ${prefix} items`, () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': { S: logKey(log) }, ':prefix': { S: prefix } },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

export function ioError(table: string, what: string, e: unknown): TlogError {
  if (e instanceof TlogError) return e;
  const name = e instanceof Error ? e.name : 'Error';
  const message = e instanceof Error ? e.message : String(e);
  return new TlogError(
    'state/io',
    `DynamoDB: cannot ${what} in table ${table}: ${name}: ${message}`,
    undefined,
    {
      cause: e,
    },
  );
}
