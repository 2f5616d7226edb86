import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Activity, LeadRecord } from '../../core/leads/lead';
import type { BatchLeads, EntryRef, UnreportedEntries } from '../../core/reports/ports';
import type { LeadContext } from '../../core/reports/report';
import { leadContextOf } from '../../core/reports/touch';
import { REPORTS_INDEX } from '../../shared/table-definition';
import { batchGetKeys } from './batch-get';
import { activityKey, fromActivityItem, leadKey, unreportedIndexPk } from './lead-item';
import { markDone, nextPending, type PendingIndex } from './pending-entries';

const UNREPORTED: PendingIndex = { indexName: REPORTS_INDEX, pkAttribute: 'gsi10pk' };
const KEYS_AT_ONCE = 10;

/** A lead's archive key: its own item in the lead's partition, so the lead's erase deletes it. */
export const archiveKeyKey = (leadId: string) => ({ pk: leadKey(leadId).pk, sk: 'ARCHIVEKEY' });

/**
 * Timeline entries the reports have not counted yet: the sparse gsi10 index (keys only), then the
 * entries themselves, read strongly consistent, keeping only those that still carry the index key
 * (an index read may lag behind the removal of a counted entry's key; the table never does).
 */
export class DynamoUnreportedEntries implements UnreportedEntries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** In index order (time, then id): oldest first. */
  next(shard: number, limit: number): Promise<Activity[]> {
    return nextPending(this.db, this.tableName, UNREPORTED, unreportedIndexPk(shard), limit);
  }

  async read(refs: EntryRef[]): Promise<Activity[]> {
    const items = await this.batchGet(refs.map((ref) => activityKey(ref.leadId, ref.activityId)));
    return items.map(fromActivityItem);
  }

  async leads(leadIds: string[]): Promise<Map<string, LeadContext>> {
    // Consistent: a new lead's item was written just before its first entry.
    const items = await this.batchGet(leadIds.map(leadKey), LEAD_PROJECTION);
    return contextsOf(items);
  }

  async batchLeads(leadIds: string[]): Promise<BatchLeads> {
    // The lead items and their archive keys in one BatchGet.
    const items = await this.batchGet(
      leadIds.flatMap((id) => [leadKey(id), archiveKeyKey(id)]),
      `pk, sk, ${LEAD_PROJECTION}, erasing, archiveKey`,
    );
    const leads = items.filter((item) => item.sk === 'LEAD');
    const archiveKeys = new Map<string, string>();
    for (const item of items)
      if (item.sk === 'ARCHIVEKEY' && typeof item.archiveKey === 'string')
        archiveKeys.set(String(item.pk).slice('LEAD#'.length), item.archiveKey);
    const keyless = leads.filter((lead) => !lead.erasing && !archiveKeys.has(String(lead.leadId)));
    for (let start = 0; start < keyless.length; start += KEYS_AT_ONCE) {
      const created = await Promise.all(
        keyless.slice(start, start + KEYS_AT_ONCE).map((lead) => this.createKey(String(lead.leadId))),
      );
      for (const [leadId, key] of created) if (key) archiveKeys.set(leadId, key);
    }
    return { contexts: contextsOf(leads), archiveKeys };
  }

  /**
   * A lead's archive key, created when missing (32 random bytes; an existing one is kept: another
   * run may have made it first), with an Update (tick deletes nothing). A lead erased meanwhile
   * (its erase may have listed the partition before the key came): the key is removed again and
   * none is used, and the empty item expires by TTL.
   */
  private async createKey(leadId: string): Promise<[string, string | undefined]> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: archiveKeyKey(leadId),
        UpdateExpression: 'SET archiveKey = if_not_exists(archiveKey, :key), entity = :entity',
        ExpressionAttributeValues: {
          ':key': randomBytes(32).toString('base64url'),
          ':entity': 'archive-key',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { Item: lead } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: leadKey(leadId),
        ProjectionExpression: 'pk, erasing',
        ConsistentRead: true,
      }),
    );
    if (lead && !lead.erasing) return [leadId, String(Attributes?.archiveKey)];
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: archiveKeyKey(leadId),
        UpdateExpression: 'REMOVE archiveKey SET expiresAt = :now',
        ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      }),
    );
    return [leadId, undefined];
  }

  markCounted(entries: EntryRef[]): Promise<void> {
    // `counted` stays: the backfill of older entries (report-backfill.ts) tells them apart.
    return markDone(this.db, this.tableName, UNREPORTED, entries, {
      expression: 'counted = :yes',
      values: { ':yes': true },
    });
  }

  private batchGet(keys: { pk: string; sk: string }[], projection?: string) {
    return batchGetKeys(this.db, this.tableName, keys, projection);
  }
}

const LEAD_PROJECTION = 'leadId, createdAt, firstTouch';

function contextsOf(items: Record<string, unknown>[]): Map<string, LeadContext> {
  return new Map(
    items.map((item) => {
      const context = leadContextOf(item as unknown as LeadRecord);
      return [context.leadId, context];
    }),
  );
}
