import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './conditional';
import { fromActivityItem, unreportedIndexKey } from './lead-item';

/**
 * The one-off backfill of the reports for timeline entries written before they existed: an entry
 * with neither the uncounted key (gsi10) nor `counted` (set when the aggregator takes the key off)
 * was never counted; this gives it the key, so the next ticks count it, exactly once like any other.
 *
 * One call is one Scan page of the table, for an operator's tool run with the operator's own
 * credentials (no function is granted Scan; `leadflow reports backfill`). Each write is conditional
 * on the entry still being there, uncounted and unkeyed, so an entry erased or counted meanwhile is
 * left as it is. Call again with the cursor until it is null; running it twice changes nothing.
 */
export async function backfillUncounted(
  db: DynamoDBDocumentClient,
  tableName: string,
  cursor: string | null,
  limit = 500,
): Promise<{ scanned: number; keyed: number; cursor: string | null }> {
  const page = await db.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression:
        'entity = :activity AND attribute_not_exists(gsi10pk) AND attribute_not_exists(counted)',
      ExpressionAttributeValues: { ':activity': 'activity' },
      ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
      Limit: limit,
    }),
  );
  let keyed = 0;
  for (const item of page.Items ?? []) {
    const keys = unreportedIndexKey(fromActivityItem(item));
    const written = await conditionally(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET gsi10pk = :pk, gsi10sk = :sk',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(gsi10pk) AND attribute_not_exists(counted)',
          ExpressionAttributeValues: { ':pk': keys.gsi10pk, ':sk': keys.gsi10sk },
        }),
      ),
    );
    if (written) keyed += 1;
  }
  const last = page.LastEvaluatedKey;
  return {
    scanned: page.ScannedCount ?? 0,
    keyed,
    cursor: last ? Buffer.from(JSON.stringify(last)).toString('base64url') : null,
  };
}
