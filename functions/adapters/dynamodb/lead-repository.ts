import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError } from '../../core/errors';
import type { Activity, LeadInput, LeadRecord } from '../../core/lead';
import type { LeadRepository, RateLimit } from '../../core/ports';
import {
  fromActivityItem,
  fromLeadItem,
  isActivitySk,
  leadKey,
  mergeExpression,
  toActivityItem,
} from './lead-item';

const TIMELINE_PAGE_LIMIT = 10;

/**
 * Leads in DynamoDB with single-item writes only (dynalite has no transactions, and they
 * cost double on AWS). A new submission costs two requests here: the lead merge, which also
 * counts the per-email rate limit, then a conditional put of the activity.
 */
export class DynamoLeadRepository implements LeadRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordSubmission(
    input: LeadInput,
    activity: Activity,
    perEmail: RateLimit,
  ): Promise<{ duplicate: boolean }> {
    await this.mergeLead(input, activity, perEmail);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toActivityItem(activity),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { duplicate: false };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { duplicate: true };
      throw error;
    }
  }

  /**
   * The per-email limit lives on the lead item (rlWindow, rlCount). The common case, a new
   * window, is one request; a second submission in the same minute takes a second try that
   * counts up only while under the limit. Both fail: the lead is over its limit.
   */
  private async mergeLead(input: LeadInput, activity: Activity, perEmail: RateLimit): Promise<void> {
    const merge = mergeExpression(input, activity.at, activity.source);
    const values = { ...merge.ExpressionAttributeValues, ':w': perEmail.window, ':one': 1 };
    const attempts = [
      {
        set: 'rlWindow = :w, rlCount = :one',
        condition: 'attribute_not_exists(rlWindow) OR rlWindow <> :w',
        values,
      },
      {
        set: 'rlCount = rlCount + :one',
        condition: 'rlWindow = :w AND rlCount < :limit',
        values: { ...values, ':limit': perEmail.limit },
      },
    ];
    for (const attempt of attempts) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: leadKey(input.leadId),
            UpdateExpression: `${merge.UpdateExpression}, ${attempt.set}`,
            ConditionExpression: attempt.condition,
            ...(Object.keys(merge.ExpressionAttributeNames).length > 0
              ? { ExpressionAttributeNames: merge.ExpressionAttributeNames }
              : {}),
            ExpressionAttributeValues: attempt.values,
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new RateLimitedError(60);
  }

  async find(leadId: string): Promise<{ lead: LeadRecord; activities: Activity[] } | undefined> {
    let lead: LeadRecord | undefined;
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
}
