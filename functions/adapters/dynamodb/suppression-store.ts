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
import { SUPPRESSION_INDEX } from '../../shared/table-definition';
import { batchGetKeys } from './batch-get';
import { forEachShardPage } from './sharded-query';

const ENTRY_PREFIX = 'SUPPRESS#';
/** One item per address, keyed by the hash of its identity: no clear email is stored. Keys live here only. */
export const suppressionKey = (email: string) => ({
  pk: `${ENTRY_PREFIX}${suppressionHash(email)}`,
  sk: 'SUPPRESS',
});
/** The keyed hash an entry is stored under, from its table key. */
const entryHash = (pk: unknown) => String(pk).slice(ENTRY_PREFIX.length);

const SUPPRESSION_SHARDS = 4;
/** A shard's partition in the suppression index (gsi13): an entry is written to it, the whole list read from it. */
const suppressionIndexPk = (shard: number) => `SUPPRESSED#${shard}`;
/** An entry's key in the suppression index (gsi13), from its table key (`SUPPRESS#<hash>`). */
export function suppressionIndexKey(pk: string) {
  const hash = entryHash(pk);
  return { gsi13pk: suppressionIndexPk(hash.charCodeAt(0) % SUPPRESSION_SHARDS), gsi13sk: hash };
}

/**
 * Written once every suppression entry has its index key: by the local stack on a new table, and
 * by `leadflow leads reindex` after it indexed the older entries. Until then a count asks the list
 * a page at a time.
 */
export const SUPPRESSIONS_INDEXED_KEY = { pk: 'SUPPRESSIONS', sk: 'INDEXED' };
export async function markSuppressionsIndexed(db: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...SUPPRESSIONS_INDEXED_KEY, entity: 'marker', at: new Date().toISOString() },
    }),
  );
}

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
    const key = suppressionKey(email);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...suppressionIndexKey(key.pk), entity: 'suppression', ...entry },
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
    const key = suppressionKey(email);
    const index = suppressionIndexKey(key.pk);
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression:
          'SET entity = :entity, reason = if_not_exists(reason, :reason), #at = if_not_exists(#at, :at), ' +
          '#source = if_not_exists(#source, :source), erasedAt = :at, gsi13pk = :ipk, gsi13sk = :isk',
        ExpressionAttributeNames: { '#at': 'at', '#source': 'source' },
        ExpressionAttributeValues: {
          ':ipk': index.gsi13pk,
          ':isk': index.gsi13sk,
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

  /**
   * The whole list from its index (a few 1 MB Queries of hashes, the shards in parallel), once the
   * marker says every entry is in it; each address is then hashed and looked up in memory.
   */
  async wholeList(): Promise<((email: string) => boolean) | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: SUPPRESSIONS_INDEXED_KEY, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const hashes = new Set<string>();
    const shards = Array.from({ length: SUPPRESSION_SHARDS }, (_, shard) => ({
      TableName: this.tableName,
      IndexName: SUPPRESSION_INDEX,
      KeyConditionExpression: 'gsi13pk = :shard',
      ExpressionAttributeValues: { ':shard': suppressionIndexPk(shard) },
      ProjectionExpression: 'gsi13sk',
    }));
    await forEachShardPage(this.db, shards, (entries) => {
      for (const entry of entries) hashes.add(String(entry.gsi13sk));
    });
    return (email) => hashes.has(suppressionHash(email));
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
    hash: entryHash(item.pk),
    reason: item.reason as Suppression['reason'],
    at: String(item.at),
    source: String(item.source),
    ...(item.erasedAt ? { erasedAt: String(item.erasedAt) } : {}),
  }));
  return { entries, ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}
