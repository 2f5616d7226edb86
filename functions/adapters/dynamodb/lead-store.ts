import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeadEraser } from '../../core/leads/erase-lead';
import type { Activity, LeadState } from '../../core/leads/lead';
import type { LeadStore } from '../../core/leads/ports';
import type { LeadPages } from '../../core/scoring/rescore-job';
import { deleteKeys } from './batch-delete';
import { conditionally } from './conditional';
import {
  activityKey,
  fromActivityItem,
  fromLeadItem,
  isActivitySk,
  leadKey,
  toActivityItem,
  toLeadItem,
} from './lead-item';
import { pageLeads } from './lead-pages';

const TIMELINE_PAGE_LIMIT = 10;
const BATCH_RETRIES = 8;

/**
 * Leads in DynamoDB with single-item conditional writes only (dynalite has no transactions,
 * and they cost double on AWS). The lead item carries a version for optimistic writes.
 */
export class DynamoLeadStore implements LeadStore, LeadPages, LeadEraser {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(leadId: string): Promise<LeadState | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: leadKey(leadId), ConsistentRead: true }),
    );
    return Item ? fromLeadItem(Item) : undefined;
  }

  /**
   * The lead and whether an activity of it is already on the timeline, in one BatchGetItem
   * (strongly consistent): the activity item is the lasting proof that an activity id was
   * applied, however many activities came after it.
   */
  async loadForActivity(
    leadId: string,
    activityId: string,
  ): Promise<{ lead: LeadState | undefined; activityStored: boolean }> {
    const wanted = [leadKey(leadId), activityKey(leadId, activityId)];
    let keys: Record<string, unknown>[] = wanted;
    const found: Record<string, unknown>[] = [];
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt >= BATCH_RETRIES) throw new Error('BatchGetItem kept leaving keys unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
      const result = await this.db.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
        }),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    const leadItem = found.find((item) => item.sk === 'LEAD');
    return {
      lead: leadItem ? fromLeadItem(leadItem) : undefined,
      activityStored: found.some((item) => item.sk === wanted[1]?.sk),
    };
  }

  async create(lead: LeadState): Promise<{ created: true } | { created: false; existing?: LeadState }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toLeadItem(lead),
          ConditionExpression: 'attribute_not_exists(pk)',
          // AWS returns the existing item with the refusal, saving a read; dynalite does not.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item
        ? fromLeadItem(unmarshall(error.Item as Record<string, AttributeValue>))
        : undefined;
      return { created: false, existing };
    }
  }

  async replace(lead: LeadState, expectedVersion: number): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toLeadItem(lead),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
  }

  async putActivity(activity: Activity): Promise<{ duplicate: boolean }> {
    const stored = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toActivityItem(activity),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return { duplicate: !stored };
  }

  async hasActivity(leadId: string, activityId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: activityKey(leadId, activityId),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async find(leadId: string): Promise<{ lead: LeadState; activities: Activity[] } | undefined> {
    let lead: LeadState | undefined;
    const activities: Activity[] = [];
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': leadKey(leadId).pk },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === 'LEAD') lead = fromLeadItem(item);
        else if (isActivitySk(String(item.sk))) activities.push(fromActivityItem(item));
      }
      startKey = page.LastEvaluatedKey;
      pages += 1;
    } while (startKey && pages < TIMELINE_PAGE_LIMIT);
    return lead ? { lead, activities } : undefined;
  }

  /**
   * Deletes the whole partition of a lead (the lead item, its timeline, anything else keyed
   * under it) with BatchWriteItem deletes, 25 at a time, retrying unprocessed items with backoff.
   * The lead item goes last, so an erase cut short is found and finished by a retry.
   */
  async erase(leadId: string): Promise<number> {
    const keys: { pk: string; sk: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': leadKey(leadId).pk },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) keys.push({ pk: String(item.pk), sk: String(item.sk) });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    keys.sort((a, b) => Number(a.sk === 'LEAD') - Number(b.sk === 'LEAD'));
    await deleteKeys(this.db, this.tableName, keys);
    return keys.length;
  }

  /** Every lead, a page at a time, for background work: the leads index, never a Scan (lead-pages.ts). */
  page(cursor: string | null, limit: number): Promise<{ leads: LeadState[]; cursor: string | null }> {
    return pageLeads(this.db, this.tableName, cursor, limit);
  }
}
