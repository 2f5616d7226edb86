import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Suppression } from '../../core/consent/suppression';
import type { LeadState } from '../../core/leads/lead';
import type { SendReadAheadPort } from '../../core/nurture/send-ports';
import { batchGetKeys } from './batch-get';
import { fromLeadItem, leadKey } from './lead-item';
import { suppressionKey } from './suppression-store';

/**
 * send-email's batch reads: the leads of a batch of email jobs in one BatchGetItem, and the
 * suppression entries of their addresses in another — strongly consistent, as `load` and `lookup`
 * are, so a job may use them in place of its own two reads.
 */
export class DynamoSendReadAhead implements SendReadAheadPort {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async leads(leadIds: readonly string[]): Promise<LeadState[]> {
    const items = await batchGetKeys(this.db, this.tableName, [...new Set(leadIds)].map(leadKey));
    return items.map(fromLeadItem);
  }

  async suppressions(emails: readonly string[]): Promise<ReadonlyMap<string, Suppression>> {
    // One key per identity (two spellings of one inbox share it): BatchGetItem refuses a key twice.
    const byPk = new Map<string, { key: { pk: string; sk: string }; emails: string[] }>();
    for (const email of emails) {
      const key = suppressionKey(email);
      const entry = byPk.get(key.pk) ?? { key, emails: [] };
      entry.emails.push(email);
      byPk.set(key.pk, entry);
    }
    const found = await batchGetKeys(
      this.db,
      this.tableName,
      [...byPk.values()].map((entry) => entry.key),
    );
    const entries = new Map<string, Suppression>();
    for (const item of found) {
      const { reason, at, source, erasedAt } = item as unknown as Suppression;
      const entry: Suppression = { reason, at, source, ...(erasedAt ? { erasedAt } : {}) };
      for (const email of byPk.get(String(item.pk))?.emails ?? []) entries.set(email, entry);
    }
    return entries;
  }
}
