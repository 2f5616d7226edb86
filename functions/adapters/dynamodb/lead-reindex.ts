import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './conditional';
import { fromLeadItem, leadIndexKey } from './lead-item';
import { LIST_ROW_VERSION, listAttributes, SEARCH_KEY_ATTRIBUTES } from './lead-list-keys';
import { segmentFactsAttribute } from './segment-facts-attribute';
import { suppressionIndexKey } from './suppression-store';

/**
 * The one-off backfill of the lead indexes for lead items written before they existed: the leads
 * index (gsi3), the lead list's (`lrow`, gsi4-gsi9) and the segment facts (`sfacts`, gsi12); and
 * of suppression list entries written before their index (gsi13). Every lead write sets them (toLeadItem),
 * so only leads untouched since the deploy lack them, and lead pages (broadcasts, backtests,
 * rescores) and the lead list do not see those until this has run.
 *
 * One call is one Scan page of the table, for an operator's tool run with the operator's own
 * credentials (no function is granted Scan; `leadflow leads reindex`): it writes the index
 * attributes of each lead item of the page that lacks them (or has the list row of another
 * version), computed from the item itself, in an update conditional on the lead still being at
 * the version read, so a lead erased or written meanwhile is left as it is (its own write set
 * them). Call again with the cursor until it is null; running it twice changes nothing.
 */
export async function reindexLeads(
  db: DynamoDBDocumentClient,
  tableName: string,
  cursor: string | null,
  limit = 500,
): Promise<{ scanned: number; indexed: number; suppressions: number; cursor: string | null }> {
  const page = await db.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression:
        '(entity = :lead AND (attribute_not_exists(gsi3pk) OR attribute_not_exists(lrowv) OR lrowv <> :v)) OR ' +
        '(entity = :suppression AND attribute_not_exists(gsi13pk))',
      ExpressionAttributeValues: { ':lead': 'lead', ':v': LIST_ROW_VERSION, ':suppression': 'suppression' },
      ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
      Limit: limit,
    }),
  );
  let indexed = 0;
  let suppressions = 0;
  for (const item of page.Items ?? []) {
    if (item.entity === 'suppression') {
      if (await indexSuppression(db, tableName, item)) suppressions += 1;
      continue;
    }
    const lead = fromLeadItem(item);
    const attributes: Record<string, unknown> = {
      ...leadIndexKey(lead.leadId),
      ...listAttributes(lead),
      ...segmentFactsAttribute(lead),
    };
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':version': lead.version };
    const set = Object.entries(attributes).map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      return `#a${i} = :a${i}`;
    });
    // A search field the lead no longer has: its entry goes.
    const stale = Object.values(SEARCH_KEY_ATTRIBUTES)
      .flatMap((keys) => [keys.pk, keys.sk])
      .filter((name) => !(name in attributes) && name in item);
    const written = await conditionally(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${set.join(', ')}${stale.length ? ` REMOVE ${stale.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND #version = :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (written) indexed += 1;
  }
  const next = page.LastEvaluatedKey
    ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url')
    : null;
  return { scanned: page.ScannedCount ?? 0, indexed, suppressions, cursor: next };
}

/** A suppression entry from before its index gets its key (from its own table key: no address). */
function indexSuppression(db: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>) {
  const { gsi13pk, gsi13sk } = suppressionIndexKey(String(item.pk));
  return conditionally(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET gsi13pk = :pk, gsi13sk = :sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':pk': gsi13pk, ':sk': gsi13sk },
      }),
    ),
  );
}
