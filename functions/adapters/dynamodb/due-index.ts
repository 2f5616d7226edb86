import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DueIndex, DueLead } from '../../core/nurture/queue-due';
import { conditionally } from './conditional';
import { DUE_SHARDS, dueIndexPk, dueIndexSk, leadKey } from './lead-item';

const INDEX = 'gsi2';

/**
 * Nurture's sparse, sharded due index (gsi2, keys only): a Query per shard for entries due by
 * now, oldest first, paged — never a Scan. A lease moves a queued lead's entry to the lease's
 * end, conditional on the entry tick saw, so a lead is queued once per lease.
 */
export class DynamoDueIndex implements DueIndex {
  readonly shards = DUE_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async due(
    shard: number,
    now: string,
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ leads: DueLead[]; cursor?: Record<string, unknown> }> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        // '~' sorts after '#' and every id character: everything due at or before `now`.
        ExpressionAttributeValues: { ':pk': dueIndexPk(shard), ':now': `${now}~` },
        Limit: limit,
        ExclusiveStartKey: cursor,
      }),
    );
    const leads = (page.Items ?? []).map((item) => ({
      leadId: String(item.pk).slice('LEAD#'.length),
      indexKey: String(item.gsi2sk),
    }));
    return { leads, cursor: page.LastEvaluatedKey };
  }

  lease(lead: DueLead, until: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leadKey(lead.leadId),
          UpdateExpression: 'SET nurture.leasedUntil = :until, gsi2sk = :leased',
          ConditionExpression: 'gsi2sk = :seen',
          ExpressionAttributeValues: {
            ':until': until,
            ':leased': dueIndexSk(until, lead.leadId),
            ':seen': lead.indexKey,
          },
        }),
      ),
    );
  }
}
