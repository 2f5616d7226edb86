import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './conditional';
import { leadIndexKey } from './lead-item';

/**
 * The one-off backfill of the leads index (gsi3) for lead items written before it existed: every
 * lead write sets its entry (toLeadItem), so only leads untouched since the deploy lack one, and
 * lead pages (broadcasts, backtests, rescores) do not see them until this has run.
 *
 * One call is one Scan page of the table, for an operator's tool run with the operator's own
 * credentials (no function is granted Scan): it adds the entry to each lead item of the page that
 * has none, in an update conditional on the lead still existing without one, so a lead erased or
 * written meanwhile is left as it is. Call again with the cursor until it is null; running it twice
 * changes nothing.
 */
export async function reindexLeads(
  db: DynamoDBDocumentClient,
  tableName: string,
  cursor: string | null,
  limit = 500,
): Promise<{ scanned: number; indexed: number; cursor: string | null }> {
  const page = await db.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'entity = :lead AND attribute_not_exists(gsi3pk)',
      ExpressionAttributeValues: { ':lead': 'lead' },
      ProjectionExpression: 'pk, sk, leadId',
      ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
      Limit: limit,
    }),
  );
  let indexed = 0;
  for (const item of page.Items ?? []) {
    const { gsi3pk, gsi3sk } = leadIndexKey(String(item.leadId));
    const written = await conditionally(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi3pk)',
          ExpressionAttributeValues: { ':pk': gsi3pk, ':sk': gsi3sk },
        }),
      ),
    );
    if (written) indexed += 1;
  }
  const next = page.LastEvaluatedKey
    ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url')
    : null;
  return { scanned: page.ScannedCount ?? 0, indexed, cursor: next };
}
