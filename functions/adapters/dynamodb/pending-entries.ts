import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../../core/leads/lead';
import { batchGetKeys } from './batch-get';
import { conditionally } from './conditional';
import { activityKey, fromActivityItem } from './lead-item';

/**
 * Timeline entries waiting for a piece of work (the reports' count, the integrations' publish),
 * found through a sparse keys-only index that holds only the waiting ones: gsi10 or gsi11.
 */
export interface PendingIndex {
  indexName: string;
  /** The index's partition attribute, e.g. `gsi10pk` (its sort attribute is the same with `sk`). */
  pkAttribute: string;
}

const REMOVALS_AT_ONCE = 10;

/**
 * Up to `limit` entries of one shard, oldest first: the index's keys, then the entries themselves
 * read strongly consistent, keeping only those still carrying the index key (an index read may lag
 * behind a removal; the table never does).
 */
export async function nextPending(
  db: DynamoDBDocumentClient,
  tableName: string,
  index: PendingIndex,
  shardPk: string,
  limit: number,
): Promise<Activity[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.indexName,
      KeyConditionExpression: `${index.pkAttribute} = :shard`,
      ExpressionAttributeValues: { ':shard': shardPk },
      Limit: limit,
    }),
  );
  const keys = (Items ?? []).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  const items = await batchGetKeys(db, tableName, keys);
  const byKey = new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item]));
  return keys.flatMap((key) => {
    const item = byKey.get(`${key.pk}\u0000${key.sk}`);
    return item && typeof item[index.pkAttribute] === 'string' ? [fromActivityItem(item)] : [];
  });
}

/**
 * Takes entries out of the index (REMOVE its key attributes, plus `set` if given), ten at a time.
 * Only an entry still there: an erased one stays erased (no stub item).
 */
export async function markDone(
  db: DynamoDBDocumentClient,
  tableName: string,
  index: PendingIndex,
  entries: { leadId: string; activityId: string }[],
  set?: { expression: string; values: Record<string, unknown> },
): Promise<void> {
  const sk = index.pkAttribute.replace(/pk$/, 'sk');
  for (let start = 0; start < entries.length; start += REMOVALS_AT_ONCE) {
    await Promise.all(
      entries.slice(start, start + REMOVALS_AT_ONCE).map((entry) =>
        conditionally(
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: activityKey(entry.leadId, entry.activityId),
              UpdateExpression: `REMOVE ${index.pkAttribute}, ${sk}${set ? ` SET ${set.expression}` : ''}`,
              ConditionExpression: 'attribute_exists(pk)',
              ...(set ? { ExpressionAttributeValues: set.values } : {}),
            }),
          ),
        ),
      ),
    );
  }
}
