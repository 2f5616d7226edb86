import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EntryRef, UnpublishedEntries } from '../../core/integrations/ports';
import type { Activity } from '../../core/leads/lead';
import { PUBLISH_INDEX } from '../../shared/table-definition';
import { batchGetKeys } from './batch-get';
import { conditionally } from './conditional';
import { activityKey, fromActivityItem, unpublishedIndexPk } from './lead-item';

const REMOVALS_AT_ONCE = 10;

/**
 * Timeline entries whose events are not published yet: the sparse gsi11 index (keys only), then
 * the entries, read strongly consistent, keeping only those still carrying the key (the index may
 * lag behind a removal; the table never does).
 */
export class DynamoUnpublishedEntries implements UnpublishedEntries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async next(shard: number, limit: number): Promise<Activity[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PUBLISH_INDEX,
        KeyConditionExpression: 'gsi11pk = :shard',
        ExpressionAttributeValues: { ':shard': unpublishedIndexPk(shard) },
        Limit: limit,
      }),
    );
    const keys = (Items ?? []).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    const items = await batchGetKeys(this.db, this.tableName, keys);
    const byKey = new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item]));
    return keys.flatMap((key) => {
      const item = byKey.get(`${key.pk}\u0000${key.sk}`);
      return item && typeof item.gsi11pk === 'string' ? [fromActivityItem(item)] : [];
    });
  }

  async markPublished(entries: EntryRef[]): Promise<void> {
    for (let start = 0; start < entries.length; start += REMOVALS_AT_ONCE) {
      await Promise.all(
        entries.slice(start, start + REMOVALS_AT_ONCE).map((entry) =>
          // Only an entry still there: an erased one stays erased (no stub item).
          conditionally(
            this.db.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: activityKey(entry.leadId, entry.activityId),
                UpdateExpression: 'REMOVE gsi11pk, gsi11sk',
                ConditionExpression: 'attribute_exists(pk)',
              }),
            ),
          ),
        ),
      );
    }
  }
}
