import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LeadState } from '../../core/leads/lead';
import { type LeadFacts, type SegmentFactsPages, segmentFactsOf } from '../../core/segments/segments';
import { SEGMENT_FACTS_INDEX } from '../../shared/table-definition';
import { batchGetKeys } from './batch-get';
import { fromLeadItem, LEAD_SHARDS, leadIndexPk } from './lead-item';
import { segmentFactsOfEntry } from './segment-facts-attribute';
import { forEachShardPage } from './sharded-query';

/**
 * Segment facts from the segment facts index (table-definition.ts: gsi3's shards and keys, the
 * lead item's `sfacts` string, `stage` and `handoff` copied in): each shard is read by Query pages of up to
 * 1 MB (~3,000 leads each), the 16 shards in parallel, one string decoded a lead. A count is then
 * as many Queries as MBs of facts. Eventually consistent, like every index read.
 *
 * An entry without facts of this shape (a lead stored before `sfacts` existed, or in an older
 * shape, until `leadflow leads reindex` rewrote it) is not guessed at: that lead item is read
 * (BatchGetItem) and its facts taken from it, so a count is right before the backfill, only slower.
 */
export class DynamoSegmentFacts implements SegmentFactsPages {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async forEachPage(
    onPage: (leads: LeadFacts[]) => Promise<void> | void,
    more: () => boolean,
  ): Promise<boolean> {
    const shards = Array.from({ length: LEAD_SHARDS }, (_, shard) => ({
      TableName: this.tableName,
      IndexName: SEGMENT_FACTS_INDEX,
      KeyConditionExpression: 'gsi3pk = :shard',
      ExpressionAttributeValues: { ':shard': leadIndexPk(shard) },
    }));
    return forEachShardPage(this.db, shards, async (entries) => onPage(await this.factsOf(entries)), more);
  }

  /** The facts of a page's entries (with the hand-off, if any); those without stored facts from their lead items. */
  private async factsOf(entries: Record<string, unknown>[]): Promise<LeadFacts[]> {
    const facts: LeadFacts[] = [];
    const missing: { pk: string; sk: string }[] = [];
    for (const entry of entries) {
      const stored = segmentFactsOfEntry(entry);
      if (!stored) missing.push({ pk: String(entry.pk), sk: String(entry.sk) });
      else if (entry.handoff) facts.push({ ...stored, handoff: entry.handoff as LeadState['handoff'] });
      else facts.push(stored);
    }
    if (missing.length > 0)
      for (const item of await batchGetKeys(this.db, this.tableName, missing)) {
        const lead = fromLeadItem(item);
        facts.push(lead.handoff ? { ...segmentFactsOf(lead), handoff: lead.handoff } : segmentFactsOf(lead));
      }
    return facts;
  }
}
