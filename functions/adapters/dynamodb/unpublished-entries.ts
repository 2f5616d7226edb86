import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EntryRef, UnpublishedEntries } from '../../core/integrations/ports';
import type { Activity } from '../../core/leads/lead';
import { PUBLISH_INDEX } from '../../shared/table-definition';
import { unpublishedIndexPk } from './lead-item';
import { markDone, nextPending, type PendingIndex } from './pending-entries';

const UNPUBLISHED: PendingIndex = { indexName: PUBLISH_INDEX, pkAttribute: 'gsi11pk' };

/** Timeline entries whose events are not published yet: the sparse gsi11 index (keys only). */
export class DynamoUnpublishedEntries implements UnpublishedEntries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  next(shard: number, limit: number): Promise<Activity[]> {
    return nextPending(this.db, this.tableName, UNPUBLISHED, unpublishedIndexPk(shard), limit);
  }

  markPublished(entries: EntryRef[]): Promise<void> {
    return markDone(this.db, this.tableName, UNPUBLISHED, entries);
  }
}
