import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  keepFirst,
  type Suppression,
  type SuppressionReason,
  type SuppressionStore,
  suppressionHash,
} from '../../core/consent/suppression';
import type { SuppressionsAmong } from '../../core/segments/facts';
import { batchGetKeys } from './batch-get';

/** One item per address, keyed by the hash of its identity: no clear email is stored. Keys live here only. */
export const suppressionKey = (email: string) => ({
  pk: `SUPPRESS#${suppressionHash(email)}`,
  sk: 'SUPPRESS',
});

export class DynamoSuppressionStore implements SuppressionStore, SuppressionsAmong {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async suppress(
    email: string,
    reason: SuppressionReason,
    source: string,
    at = new Date().toISOString(),
  ): Promise<Suppression> {
    const entry: Suppression = { reason, at, source };
    if (reason === 'erased') return this.erased(email, entry);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...suppressionKey(email), entity: 'suppression', ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return entry;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return keepFirst(await this.lookup(email), entry);
    }
  }

  /** One upsert: the first reason stays, `erasedAt` is always this erase's time. */
  private async erased(email: string, entry: Suppression): Promise<Suppression> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: suppressionKey(email),
        UpdateExpression:
          'SET entity = :entity, reason = if_not_exists(reason, :reason), #at = if_not_exists(#at, :at), ' +
          '#source = if_not_exists(#source, :source), erasedAt = :at',
        ExpressionAttributeNames: { '#at': 'at', '#source': 'source' },
        ExpressionAttributeValues: {
          ':entity': 'suppression',
          ':reason': entry.reason,
          ':at': entry.at,
          ':source': entry.source,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toSuppression(Attributes ?? {});
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await this.lookup(email)) !== undefined;
  }

  async lookup(email: string): Promise<Suppression | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: suppressionKey(email), ConsistentRead: true }),
    );
    return Item ? toSuppression(Item) : undefined;
  }

  /** A page of addresses in one BatchGetItem per 100 (keys only), not one GetItem each. */
  async suppressedAmong(emails: readonly string[]): Promise<ReadonlySet<string>> {
    // One key per identity (two spellings of one inbox share it): BatchGetItem refuses a key twice.
    const byPk = new Map<string, { key: { pk: string; sk: string }; emails: string[] }>();
    for (const email of emails) {
      const key = suppressionKey(email);
      const entry = byPk.get(key.pk) ?? { key, emails: [] };
      entry.emails.push(email);
      byPk.set(key.pk, entry);
    }
    const keys = [...byPk.values()].map((entry) => entry.key);
    const found = await batchGetKeys(this.db, this.tableName, keys, 'pk');
    return new Set(found.flatMap((item) => byPk.get(String(item.pk))?.emails ?? []));
  }
}

function toSuppression(item: Record<string, unknown>): Suppression {
  const { reason, at, source, erasedAt } = item as unknown as Suppression;
  return { reason, at, source, ...(erasedAt ? { erasedAt } : {}) };
}

/**
 * One Scan page of the suppression list, for the operator's export (`leadflow suppressions export`,
 * with the operator's credentials: no function may Scan). Each entry by its keyed hash, never an address.
 */
export async function scanSuppressions(
  db: DynamoDBDocumentClient,
  tableName: string,
  start?: Record<string, unknown>,
): Promise<{ entries: (Suppression & { hash: string })[]; next?: Record<string, unknown> }> {
  const page = await db.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'entity = :suppression',
      ExpressionAttributeValues: { ':suppression': 'suppression' },
      ExclusiveStartKey: start,
    }),
  );
  const entries = (page.Items ?? []).map((item) => ({
    hash: String(item.pk).slice('SUPPRESS#'.length),
    reason: item.reason as Suppression['reason'],
    at: String(item.at),
    source: String(item.source),
    ...(item.erasedAt ? { erasedAt: String(item.erasedAt) } : {}),
  }));
  return { entries, ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}
