import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { LeadState } from '../../core/leads/lead';
import { LEADS_INDEX } from '../../shared/table-definition';
import { fromLeadItem, LEAD_SHARDS, leadIndexPk, leadKey } from './lead-item';

const BATCH_GET_MAX = 100;
const BATCH_RETRIES = 8;

/** Where a lead page starts: a shard of the leads index and, within it, the last lead id read. */
interface LeadCursor {
  shard: number;
  after?: string;
}

/**
 * Every lead, a page at a time, for background work (rescores, backtests, broadcasts and their
 * previews): the keys from the sparse leads index (gsi3: lead items only, keys only), shard after
 * shard, then the lead items themselves in one BatchGetItem. Timelines, deliveries, tokens and
 * suppressions are never read: a page costs one lead item and one index entry per lead, however
 * many activities each lead has, and one entry more (the next page's first, read to know this page
 * is not the last).
 *
 * The cursor is opaque to callers (see encodeCursor). A lead written before the index existed has
 * no entry until its next write or a backfill (reindexLeads in lead-reindex.ts): it is not in the
 * pages until then.
 */
export async function pageLeads(
  db: DynamoDBDocumentClient,
  tableName: string,
  cursor: string | null,
  limit: number,
): Promise<{ leads: LeadState[]; cursor: string | null }> {
  let at: LeadCursor | undefined = decodeCursor(cursor);
  // One entry more than the page: when it exists the page is not the last (the next page reads it
  // again), when it does not the cursor is null, so a job never ends on an empty page.
  const entries: { shard: number; leadId: string }[] = [];
  while (at && entries.length <= limit) {
    const shard: number = at.shard;
    const page: QueryCommandOutput = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: LEADS_INDEX,
        KeyConditionExpression: 'gsi3pk = :shard',
        ExpressionAttributeValues: { ':shard': leadIndexPk(shard) },
        ExclusiveStartKey: at.after === undefined ? undefined : indexKey(shard, at.after),
        Limit: limit + 1 - entries.length,
      }),
    );
    for (const entry of page.Items ?? []) entries.push({ shard, leadId: String(entry.gsi3sk) });
    const last = page.LastEvaluatedKey?.gsi3sk;
    if (typeof last === 'string') at = { shard, after: last };
    else at = shard + 1 < LEAD_SHARDS ? { shard: shard + 1 } : undefined;
  }
  const inPage = entries.slice(0, limit);
  const end = entries.length > limit ? inPage.at(-1) : undefined;
  return {
    leads: await leadItems(
      db,
      tableName,
      inPage.map((entry) => entry.leadId),
    ),
    cursor: end ? encodeCursor(end.shard, end.leadId) : null,
  };
}

/** An entry's whole key in the leads index: its own keys and the lead item's table keys. */
const indexKey = (shard: number, leadId: string) => ({
  gsi3pk: leadIndexPk(shard),
  gsi3sk: leadId,
  ...leadKey(leadId),
});

/**
 * The lead items of `leadIds`, in that order (BatchGetItem answers in any order), read eventually
 * consistent like the index itself; a lead erased since its index entry was read is left out.
 */
async function leadItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  leadIds: string[],
): Promise<LeadState[]> {
  const byId = new Map<string, LeadState>();
  for (let start = 0; start < leadIds.length; start += BATCH_GET_MAX) {
    let keys: Record<string, unknown>[] = leadIds.slice(start, start + BATCH_GET_MAX).map(leadKey);
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt >= BATCH_RETRIES) throw new Error('BatchGetItem kept leaving lead keys unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
      const result = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      for (const item of result.Responses?.[tableName] ?? []) {
        const lead = fromLeadItem(item);
        byId.set(lead.leadId, lead);
      }
      keys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return leadIds.flatMap((leadId) => byId.get(leadId) ?? []);
}

/**
 * The cursor is the index position as a key, `{pk, sk}`: the shard's partition (`LEADS#<n>`) and
 * the last lead id read in it, so a caller that checks a cursor's shape (a backtest body) sees the
 * key it expects.
 */
function encodeCursor(shard: number, after: string): string {
  return Buffer.from(JSON.stringify({ pk: leadIndexPk(shard), sk: after })).toString('base64url');
}

/**
 * null starts at the first shard. A cursor this pager did not write (a table key from the Scan
 * before the index, say, in a job queued across the deploy) starts over at the first shard too: the
 * jobs that page are idempotent per lead, so a lead paged twice is skipped or counted again, never
 * written or sent twice.
 */
function decodeCursor(cursor: string | null): LeadCursor {
  if (!cursor) return { shard: 0 };
  let key: { pk?: unknown; sk?: unknown } = {};
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) ?? {};
  } catch {
    // Not a cursor of this pager: start over (see above).
  }
  const shard = typeof key.pk === 'string' ? SHARD_PKS.indexOf(key.pk) : -1;
  if (shard < 0) return { shard: 0 };
  return typeof key.sk === 'string' && key.sk.length > 0 ? { shard, after: key.sk } : { shard };
}

const SHARD_PKS = Array.from({ length: LEAD_SHARDS }, (_, shard) => leadIndexPk(shard));
