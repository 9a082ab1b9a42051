/**
 * The DynamoDB scan store (docs/contracts.md, "DynamoDB state" and "Identity monitoring"), in the monitor's one
 * table beside the HEAD items, partition `LOG#<name>`:
 *
 *   SCAN                        the scan cursor: next index, its compact range, shard, version
 *   MATCH#<index, 20 digits>    the matches of one proven entry, written once, with `delivered`;
 *                               `MATCH#<index>#<shard>` for sharded (Rekor v1) logs
 *   RANGE#<start, 20 digits>    fan-out: a range scanned ahead of the cursor, until committed
 *
 * commitScan writes the MATCH# items first (each only if absent: a match is proven, so a second
 * writer would write the same item), then moves SCAN by a conditional write on the version read.
 * A lost race therefore never loses a match and never stores one twice; the cursor never passes an
 * entry whose matches are not stored. Delivery marks a MATCH# item `delivered` after the alert
 * went out, so an interrupted delivery is retried and a delivered match is never sent again.
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { TlogError } from '../errors.ts';
import type { IdentityMatch } from '../identity/identity-match.ts';
import type { RangeResult, ScanCursor, ScanStore, StoredScan } from '../scan/scan-store.ts';
import { type Item, logKey, TableAccess } from './dynamodb-access.ts';

const pad = (n: bigint | string): string => String(n).padStart(20, '0');
export const matchKey = (index: string, shard?: string): string =>
  `MATCH#${pad(index)}${shard !== undefined ? `#${shard}` : ''}`;
export const rangeKey = (start: bigint): string => `RANGE#${pad(start)}`;

export interface DynamoScanStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export class DynamoScanStore implements ScanStore {
  readonly #db: DynamoDBClient;
  readonly #table: TableAccess;
  readonly tableName: string;

  constructor(options: DynamoScanStoreOptions) {
    this.#db = options.client;
    this.tableName = options.tableName;
    this.#table = new TableAccess(options.client, options.tableName);
  }

  async loadScan(log: string): Promise<StoredScan | undefined> {
    const item = await this.#get(log, 'SCAN', 'read the SCAN item');
    if (!item) return undefined;
    const bad = corrupt(log, 'SCAN');
    const version = Number(item.version?.N ?? Number.NaN);
    if (!Number.isSafeInteger(version) || version < 1) bad(`version must be a positive integer`);
    const shard = item.shard?.S;
    return {
      version,
      cursor: {
        next: decimal(item.next?.S, bad, 'next'),
        range: nodes(item.range, bad),
        ...(shard !== undefined ? { shard } : {}),
      },
    };
  }

  async commitScan(
    log: string,
    expectedVersion: number,
    cursor: ScanCursor,
    matches: readonly IdentityMatch[],
  ): Promise<boolean> {
    for (const [key, group] of byEntry(matches)) {
      const first = group[0] as IdentityMatch;
      await this.#table.conditional('store a MATCH item', () =>
        this.#db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              pk: { S: logKey(log) },
              sk: { S: key },
              index: { S: first.index },
              ...(first.shard !== undefined ? { shard: { S: first.shard } } : {}),
              matches: { S: JSON.stringify(group) },
              delivered: { BOOL: false },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    }
    return this.#table.conditional('move the SCAN item', () =>
      this.#db.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: logKey(log) },
            sk: { S: 'SCAN' },
            next: { S: cursor.next.toString() },
            range: { L: cursor.range.map((b) => ({ B: b })) },
            version: { N: String(expectedVersion + 1) },
            ...(cursor.shard !== undefined ? { shard: { S: cursor.shard } } : {}),
          },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
              }),
        }),
      ),
    );
  }

  async pendingMatches(log: string): Promise<readonly IdentityMatch[]> {
    const items = await this.#table.query(log, 'MATCH#');
    return items.filter((item) => item.delivered?.BOOL === false).flatMap((item) => parseMatches(item, log));
  }

  async markDelivered(log: string, matches: readonly IdentityMatch[]): Promise<void> {
    for (const key of byEntry(matches).keys()) {
      await this.#table.call('mark a MATCH item delivered', () =>
        this.#db.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { pk: { S: logKey(log) }, sk: { S: key } },
            UpdateExpression: 'SET delivered = :true',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':true': { BOOL: true } },
          }),
        ),
      );
    }
  }

  async putRangeResult(log: string, result: RangeResult): Promise<void> {
    await this.#table.call('store a RANGE item', () =>
      this.#db.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: logKey(log) },
            sk: { S: rangeKey(result.start) },
            start: { S: result.start.toString() },
            end: { S: result.end.toString() },
            nodes: { L: result.nodes.map((b) => ({ B: b })) },
            matches: { S: JSON.stringify(result.matches) },
            skipped: { S: JSON.stringify(result.skipped) },
            ...(result.shard !== undefined ? { shard: { S: result.shard } } : {}),
          },
        }),
      ),
    );
  }

  async loadRangeResult(log: string, start: bigint): Promise<RangeResult | undefined> {
    const key = rangeKey(start);
    const item = await this.#get(log, key, 'read a RANGE item');
    if (!item) return undefined;
    const bad = corrupt(log, key);
    const shard = item.shard?.S;
    const result: RangeResult = {
      start: decimal(item.start?.S, bad, 'start'),
      end: decimal(item.end?.S, bad, 'end'),
      nodes: nodes(item.nodes, bad),
      matches: jsonArray(item.matches?.S, bad, 'matches') as IdentityMatch[],
      skipped: jsonArray(item.skipped?.S, bad, 'skipped') as RangeResult['skipped'],
      ...(shard !== undefined ? { shard } : {}),
    };
    if (result.start !== start) bad(`start ${result.start} under the key of ${start}`);
    if (result.end <= result.start) bad(`end ${result.end} is not after start ${result.start}`);
    return result;
  }

  async deleteRangeResult(log: string, start: bigint): Promise<void> {
    await this.#table.call('delete a RANGE item', () =>
      this.#db.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: rangeKey(start) } },
        }),
      ),
    );
  }

  /** Every MATCH# item's matches, delivered or not, in index order (for `status` and tests). */
  async allMatches(log: string): Promise<IdentityMatch[]> {
    return (await this.#table.query(log, 'MATCH#')).flatMap((item) => parseMatches(item, log));
  }

  async #get(log: string, sk: string, what: string): Promise<Item | undefined> {
    const out = await this.#table.call(what, () =>
      this.#db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: sk } },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item;
  }
}

/** Matches grouped by their MATCH# key (one item per entry), in the order given. */
function byEntry(matches: readonly IdentityMatch[]): Map<string, IdentityMatch[]> {
  const groups = new Map<string, IdentityMatch[]>();
  for (const m of matches) {
    const key = matchKey(m.index, m.shard);
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return groups;
}

function corrupt(log: string, sk: string): (why: string) => never {
  return (why) => {
    throw new TlogError('state/corrupt', `DynamoDB item ${logKey(log)} / ${sk}: ${why}`);
  };
}

function decimal(text: string | undefined, bad: (why: string) => never, field: string): bigint {
  if (text === undefined || !/^(0|[1-9][0-9]{0,19})$/.test(text))
    return bad(`${field} must be a decimal string, got ${JSON.stringify(text)}`);
  return BigInt(text);
}

function nodes(attr: AttributeValue | undefined, bad: (why: string) => never): Uint8Array[] {
  const list = attr?.L ?? bad('the compact range must be a list');
  return list.map((v, i) => {
    const b = v.B;
    if (b === undefined || b.length !== 32) return bad(`compact range node ${i} is not a 32-byte hash`);
    return b;
  });
}

function jsonArray(text: string | undefined, bad: (why: string) => never, field: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text ?? 'null');
    if (Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  return bad(`${field} must be a JSON array`);
}

function parseMatches(item: Item, log: string): IdentityMatch[] {
  const bad = corrupt(log, item.sk?.S ?? '?');
  return jsonArray(item.matches?.S, bad, 'matches') as IdentityMatch[];
}
