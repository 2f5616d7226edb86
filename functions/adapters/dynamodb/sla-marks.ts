import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SlaBreach, SlaMarks } from '../../core/handoff/sla-watch';
import type { LeadState } from '../../core/leads/lead';
import { conditionally } from './conditional';
import { leadKey } from './lead-item';

/**
 * The SLA mark on the lead item's hand-off map (`handoff.slaBreach`): one conditional update on
 * the version the watcher read, which it moves on, so a lead write racing it retries with the mark
 * and a second tick finds it. A new hand-off is a new map: its SLA starts unmarked.
 */
export class DynamoSlaMarks implements SlaMarks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  mark(lead: LeadState, breach: SlaBreach): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leadKey(lead.leadId),
          UpdateExpression: 'SET handoff.slaBreach = :breach, version = :next',
          ConditionExpression:
            'version = :version AND handoff.#number = :handoff AND attribute_not_exists(handoff.slaBreach) AND attribute_not_exists(erasing)',
          ExpressionAttributeNames: { '#number': 'number' },
          ExpressionAttributeValues: {
            ':breach': breach,
            ':version': lead.version,
            ':next': lead.version + 1,
            ':handoff': lead.handoff?.number ?? -1,
          },
        }),
      ),
    );
  }

  async published(leadId: string, handoff: number): Promise<void> {
    // No version bump: a flag only this watcher reads; a racing lead write that drops it is re-published with the same id.
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leadKey(leadId),
          UpdateExpression: 'SET handoff.slaBreach.published = :yes',
          ConditionExpression: 'handoff.#number = :handoff AND attribute_exists(handoff.slaBreach)',
          ExpressionAttributeNames: { '#number': 'number' },
          ExpressionAttributeValues: { ':yes': true, ':handoff': handoff },
        }),
      ),
    );
  }
}
