/**
 * `tlog-monitor status --aws --table T`: the Lambda deployment's state, read from its DynamoDB
 * table (docs/contracts.md, "DynamoDB state"): the `HEAD` item, the active `ALERT#<condition>` items and, once
 * identity monitoring writes it, the `SCAN` item. The Lambda keeps no "last status" item, so the
 * last status is not shown from here; the alerts say what is wrong.
 */
import { type DynamoDBClient, GetItemCommand, type GetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { TlogError } from '../errors.ts';
import type { StoredState } from '../monitor/state-store.ts';
import type { CheckRecord } from '../status/check-record.ts';
import type { OpenAlert, ScanCursor, StatusSource } from '../status/status-source.ts';
import { logKey } from './dynamodb-access.ts';
import { DynamoStore } from './dynamodb-store.ts';

export class DynamoStatusSource implements StatusSource {
  readonly description: string;
  readonly #db: DynamoDBClient;
  readonly #store: DynamoStore;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#db = client;
    this.#store = new DynamoStore({ client, tableName });
    this.description = `DynamoDB table ${tableName}`;
  }

  loadHead(log: string): Promise<StoredState | undefined> {
    return this.#store.load(log);
  }

  /** Not kept by the Lambda. */
  async checkRecord(_log: string): Promise<CheckRecord | undefined> {
    return undefined;
  }

  async openAlerts(log: string): Promise<readonly OpenAlert[]> {
    return (await this.#store.loadAlerts(log))
      .filter((a) => a.active)
      .map((a) => ({
        status: a.status,
        condition: a.condition,
        since: a.since,
        lastSeen: a.lastSentAt,
        count: a.sentCount,
      }));
  }

  /**
   * The identity scan's cursor: the `SCAN` item's `next` (a decimal string), as the DynamoDB scan
   * store writes it (lib/aws/dynamodb-scan-store.ts).
   */
  async scanCursor(log: string): Promise<ScanCursor | undefined> {
    let item: GetItemCommandOutput;
    try {
      item = await this.#db.send(
        new GetItemCommand({
          TableName: this.#store.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: 'SCAN' } },
          ConsistentRead: true,
        }),
      );
    } catch (e) {
      throw new TlogError(
        'state/io',
        `cannot read the SCAN item of ${log}: ${(e as Error).message}`,
        undefined,
        {
          cause: e,
        },
      );
    }
    const next = item.Item?.next;
    const index = next?.S ?? next?.N;
    if (index === undefined) return undefined;
    if (!/^[0-9]{1,20}$/.test(index)) {
      throw new TlogError(
        'state/corrupt',
        `the SCAN item of ${log} has next ${JSON.stringify(index)}, expected a decimal`,
      );
    }
    const updatedAt = item.Item?.updatedAt?.S;
    return { nextIndex: index, ...(updatedAt !== undefined ? { updatedAt } : {}) };
  }
}
