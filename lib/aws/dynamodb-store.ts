/**
 * The DynamoDB state store (docs/contracts.md, "DynamoDB state"): one table, partition key `pk` (S) = `LOG#<name>`,
 * sort key `sk` (S):
 *
 *   HEAD                      last verified head: signed, size, root, origin, shard?, verifiedAt, version,
 *                             retiredShards? (Rekor v1 shard memory: JSON text of RememberedShard[])
 *   CP#<size, 20 digits>      every verified head (audit trail); `CP#<size>#<shard>` for sharded
 *                             (Rekor v1) logs, so a new shard's small sizes never overwrite an old one's
 *   EVIDENCE#<iso time>#<id>  misbehaviour evidence (the CheckResult JSON), never expires (no TTL
 *                             attribute; the table has no TTL), never overwritten; evidence over
 *                             300 kB is gzipped into `<sk>#part-NNNN` items named by the main item
 *   ALERT#<condition>         alert state, for de-duplication and resolution notices; a notice is
 *                             claimed (pendingUntil, claimToken) before it is published
 *
 * HEAD moves only by a conditional write on the version read (attribute_not_exists for the first
 * head), in one TransactWriteItems with its CP# item, so the audit trail has exactly the heads
 * that were ever stored. Every read is strongly consistent. The semantics mirror
 * lib/local/file-state-store.ts: a lost race returns false and writes nothing.
 *
 * The `#<shard>`, `#<id>` and `#part-NNNN` key suffixes go beyond docs/contracts.md's table; README.md
 * ("Differences from docs/contracts.md") lists them.
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { TlogError } from '../errors.ts';
import { type AlertState, type AlertStateStore, NEVER_SENT } from '../monitor/alerts.ts';
import type { CheckResult, CheckStatus } from '../monitor/check-result.ts';
import {
  parseRememberedShards,
  type RememberedShard,
  type StateStore,
  type StoredHead,
  type StoredState,
} from '../monitor/state-store.ts';
import { type Item, ioError, logKey, TableAccess } from './dynamodb-access.ts';

/** DynamoDB items are at most 400 KB; evidence bigger than this (after gzip) is split into parts. */
const EVIDENCE_PART_BYTES = 300_000;

export const checkpointKey = (size: string, shard?: string): string =>
  `CP#${size.padStart(20, '0')}${shard !== undefined ? `#${shard}` : ''}`;

export interface DynamoStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export class DynamoStore implements StateStore, AlertStateStore {
  readonly #db: DynamoDBClient;
  readonly #table: TableAccess;
  readonly tableName: string;

  constructor(options: DynamoStoreOptions) {
    this.#db = options.client;
    this.tableName = options.tableName;
    this.#table = new TableAccess(options.client, options.tableName);
  }

  async load(log: string): Promise<StoredState | undefined> {
    const out = await this.#table.call('read the HEAD item', () =>
      this.#db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: 'HEAD' } },
          ConsistentRead: true,
        }),
      ),
    );
    if (!out.Item) return undefined;
    return parseHead(out.Item, log);
  }

  async compareAndSet(log: string, expectedVersion: number, head: StoredHead): Promise<boolean> {
    const version = expectedVersion + 1;
    const fields: Item = {
      signed: { S: head.signed },
      size: { S: head.size },
      root: { S: head.root },
      origin: { S: head.origin },
      verifiedAt: { S: head.verifiedAt },
      version: { N: String(version) },
      ...(head.shard !== undefined ? { shard: { S: head.shard } } : {}),
    };
    // Shard memory goes with HEAD only; the CP# audit trail keeps the heads themselves.
    const memory: Item =
      head.retiredShards !== undefined ? { retiredShards: { S: JSON.stringify(head.retiredShards) } } : {};
    const pk = { S: logKey(log) };
    try {
      await this.#db.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: { S: 'HEAD' }, ...fields, ...memory },
                ...(expectedVersion === 0
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: 'version = :expected',
                      ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
                    }),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: { S: checkpointKey(head.size, head.shard) }, ...fields },
              },
            },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (lostRace(e)) return false;
      throw ioError(this.tableName, 'move the HEAD item (TransactWriteItems)', e);
    }
  }

  async recordEvidence(log: string, result: CheckResult): Promise<void> {
    await this.putEvidence(log, result);
  }

  /**
   * Stores the evidence of one finding under a new `EVIDENCE#<iso time>#<id>` key and returns
   * that sort key. The CheckResult JSON is kept as text, or gzipped when large, in as many part
   * items as needed (`<sk>#part-0001`, ...).
   */
  async putEvidence(log: string, result: CheckResult, now = new Date()): Promise<string> {
    const sk = `EVIDENCE#${now.toISOString()}#${randomBytes(4).toString('hex')}`;
    const json = JSON.stringify(result);
    const meta: Item = {
      pk: { S: logKey(log) },
      sk: { S: sk },
      status: { S: result.status },
      recordedAt: { S: now.toISOString() },
    };
    const put = (item: Item) =>
      this.#table.call('store an EVIDENCE item', () =>
        this.#db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)', // never overwrite evidence
          }),
        ),
      );
    if (Buffer.byteLength(json) <= EVIDENCE_PART_BYTES) {
      await put({ ...meta, result: { S: json } });
      return sk;
    }
    const gz = gzipSync(json);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < gz.length; i += EVIDENCE_PART_BYTES)
      parts.push(gz.subarray(i, i + EVIDENCE_PART_BYTES));
    // Parts first, then the item that names them: a reader never finds a head without its parts.
    for (const [i, part] of parts.entries()) {
      await put({
        pk: meta.pk as AttributeValue,
        sk: { S: `${sk}#part-${String(i + 1).padStart(4, '0')}` },
        resultGzipPart: { B: part },
      });
    }
    await put({ ...meta, resultGzipParts: { N: String(parts.length) } });
    return sk;
  }

  /** Reads back one evidence item (for tests and operators). */
  async readEvidence(log: string, sk: string): Promise<CheckResult> {
    const get = async (key: string) => {
      const out = await this.#table.call('read an EVIDENCE item', () =>
        this.#db.send(
          new GetItemCommand({
            TableName: this.tableName,
            Key: { pk: { S: logKey(log) }, sk: { S: key } },
            ConsistentRead: true,
          }),
        ),
      );
      if (!out.Item) throw new TlogError('state/corrupt', `evidence item ${key} of "${log}" not found`);
      return out.Item;
    };
    const item = await get(sk);
    if (item.result?.S !== undefined) return JSON.parse(item.result.S) as CheckResult;
    const n = Number(item.resultGzipParts?.N ?? Number.NaN);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new TlogError('state/corrupt', `evidence item ${sk} has no result`);
    const parts: Uint8Array[] = [];
    for (let i = 1; i <= n; i++) {
      const part = (await get(`${sk}#part-${String(i).padStart(4, '0')}`)).resultGzipPart?.B;
      if (!part) throw new TlogError('state/corrupt', `evidence part ${i} of ${sk} is missing`);
      parts.push(part);
    }
    return JSON.parse(gunzipSync(Buffer.concat(parts)).toString('utf8')) as CheckResult;
  }

  async loadAlerts(log: string): Promise<AlertState[]> {
    const items = await this.#table.query(log, 'ALERT#');
    return items.map((item) => parseAlert(item, log));
  }

  async claimAlert(
    log: string,
    read: AlertState | undefined,
    next: AlertState,
    claim: { readonly token: string; readonly leaseUntil: string; readonly now: string },
  ): Promise<boolean> {
    const key = { pk: { S: logKey(log) }, sk: { S: `ALERT#${next.condition}` } };
    return this.#table.conditional('claim an ALERT item', async () => {
      if (read === undefined) {
        // No state yet: a placeholder that has sent nothing, holding the claim.
        const placeholder: AlertState = { ...next, active: false, lastSentAt: NEVER_SENT, sentCount: 0 };
        await this.#db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...alertItem(log, placeholder),
              pendingUntil: { S: claim.leaseUntil },
              claimToken: { S: claim.token },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } else {
        await this.#db.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET pendingUntil = :until, claimToken = :token',
            // ISO 8601 UTC timestamps of one format compare correctly as strings.
            ConditionExpression:
              'lastSentAt = :last AND sentCount = :count AND (attribute_not_exists(pendingUntil) OR pendingUntil <= :now)',
            ExpressionAttributeValues: {
              ':until': { S: claim.leaseUntil },
              ':token': { S: claim.token },
              ':last': { S: read.lastSentAt },
              ':count': { N: String(read.sentCount) },
              ':now': { S: claim.now },
            },
          }),
        );
      }
    });
  }

  async saveAlert(log: string, state: AlertState, token: string): Promise<boolean> {
    return this.#table.conditional('store an ALERT item', () =>
      this.#db.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: alertItem(log, state),
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      ),
    );
  }

  /** A claim held by another token (or none) is left alone. */
  async releaseAlert(log: string, condition: string, token: string): Promise<void> {
    await this.#table.conditional('release an ALERT claim', () =>
      this.#db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: logKey(log) }, sk: { S: `ALERT#${condition}` } },
          UpdateExpression: 'REMOVE pendingUntil, claimToken',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      ),
    );
  }

  /** The CP# history of a log, oldest size first (for tests and operators). */
  async checkpoints(log: string): Promise<StoredHead[]> {
    return (await this.#table.query(log, 'CP#')).map((item) => parseHead(item, log).head);
  }
}

function alertItem(log: string, state: AlertState): Item {
  return {
    pk: { S: logKey(log) },
    sk: { S: `ALERT#${state.condition}` },
    condition: { S: state.condition },
    status: { S: state.status },
    active: { BOOL: state.active },
    since: { S: state.since },
    lastSentAt: { S: state.lastSentAt },
    sentCount: { N: String(state.sentCount) },
    ...(state.resolvedAt !== undefined ? { resolvedAt: { S: state.resolvedAt } } : {}),
    ...(state.failures !== undefined ? { failures: { N: String(state.failures) } } : {}),
  };
}

/**
 * A cancelled HEAD transaction is a lost race when the HEAD condition failed (another writer
 * moved it), or when another transaction was writing the same items at that moment
 * (`TransactionConflict`): either way the caller re-reads HEAD and proves against it (check.ts).
 * Anything else (throttling, validation, ...) is an I/O failure.
 */
function lostRace(e: unknown): boolean {
  if (!(e instanceof Error) || e.name !== 'TransactionCanceledException') return false;
  const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    reasons[0]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict')
  );
}

function parseHead(item: Item, log: string): StoredState {
  const bad = (why: string): never => {
    throw new TlogError('state/corrupt', `DynamoDB item ${logKey(log)} / ${item.sk?.S ?? '?'}: ${why}`);
  };
  const str = (f: string): string => item[f]?.S ?? bad(`${f} must be a string attribute`);
  const version = Number(item.version?.N ?? Number.NaN);
  if (!Number.isSafeInteger(version) || version < 1)
    bad(`version must be a positive integer, got ${item.version?.N}`);
  const shard = item.shard?.S;
  const memoryText = item.retiredShards?.S;
  let retiredShards: RememberedShard[] | undefined;
  if (memoryText !== undefined) {
    try {
      retiredShards = parseRememberedShards(JSON.parse(memoryText));
    } catch (e) {
      bad(`retiredShards: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    version,
    head: {
      signed: str('signed'),
      size: str('size'),
      root: str('root'),
      origin: str('origin'),
      verifiedAt: str('verifiedAt'),
      ...(shard !== undefined ? { shard } : {}),
      ...(retiredShards !== undefined ? { retiredShards } : {}),
    },
  };
}

function parseAlert(item: Item, log: string): AlertState {
  const bad = (why: string): never => {
    throw new TlogError('state/corrupt', `DynamoDB item ${logKey(log)} / ${item.sk?.S ?? '?'}: ${why}`);
  };
  const str = (f: string): string => item[f]?.S ?? bad(`${f} must be a string attribute`);
  const sentCount = Number(item.sentCount?.N ?? Number.NaN);
  if (!Number.isSafeInteger(sentCount) || sentCount < 0) bad('sentCount must be a whole number');
  const active = item.active?.BOOL ?? bad('active must be a boolean attribute');
  const resolvedAt = item.resolvedAt?.S;
  const pendingUntil = item.pendingUntil?.S;
  const failures = item.failures?.N === undefined ? undefined : Number(item.failures.N);
  if (failures !== undefined && (!Number.isSafeInteger(failures) || failures < 0))
    bad('failures must be a whole number');
  return {
    condition: str('condition'),
    status: str('status') as CheckStatus,
    active,
    since: str('since'),
    lastSentAt: str('lastSentAt'),
    sentCount,
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    ...(pendingUntil !== undefined ? { pendingUntil } : {}),
    ...(failures !== undefined ? { failures } : {}),
  };
}
