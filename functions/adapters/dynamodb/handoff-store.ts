import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HandoffStore, HeldClaim } from '../../core/handoff/ports';
import type { LeadState, SalesOutcome, Stage } from '../../core/leads/lead';
import { conditionally } from './conditional';
import { fromLeadItem, handoffIndexPk, leadKey } from './lead-item';

const INDEX = 'gsi1';
type Status = 'pending' | 'sent' | 'claimed';

/**
 * A lead's hand-off moves by targeted conditional updates of the lead item: each checks the
 * hand-off number and state it expects and bumps `version`, so a concurrent whole-item write
 * (a new activity) fails its version check and redoes its work on top. None applies to a lead
 * being erased, nor to one already gone (the conditions name attributes of the item). A claim
 * keeps its SQS receipt handle here (`handoff.claim.receipt`): the rep's token only names it.
 */
export class DynamoHandoffStore implements HandoffStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private command(leadId: string, update: string, condition: string, values: Record<string, unknown>) {
    return new UpdateCommand({
      TableName: this.tableName,
      Key: leadKey(leadId),
      UpdateExpression: update,
      ConditionExpression: `attribute_not_exists(erasing) AND handoff.#n = :n AND ${condition}`,
      ExpressionAttributeNames: { '#n': 'number', '#s': 'status' },
      ExpressionAttributeValues: { ':one': 1, ...values },
    });
  }

  private update(
    leadId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    return conditionally(this.db.send(this.command(leadId, update, condition, values)));
  }

  /** A write under a held claim: the receipt of that claim (read from the item as it was), or undefined. */
  private async underClaim(
    leadId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<{ receipt: string } | undefined> {
    const command = this.command(leadId, update, condition, values);
    command.input.ReturnValues = 'ALL_OLD';
    try {
      const { Attributes } = await this.db.send(command);
      const receipt = (Attributes?.handoff as { claim?: { receipt?: unknown } } | undefined)?.claim?.receipt;
      return { receipt: typeof receipt === 'string' ? receipt : '' };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async pending(before: string, limit: number): Promise<LeadState[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
        ExpressionAttributeValues: { ':pk': handoffIndexPk('pending'), ':before': before },
        Limit: limit,
      }),
    );
    return Items.map(fromLeadItem);
  }

  markSent(leadId: string, number: number, at: string): Promise<boolean> {
    return this.update(
      leadId,
      'SET handoff.#s = :sent, handoff.sentAt = :at, gsi1pk = :pk, version = version + :one',
      'handoff.#s = :pending',
      { ':n': number, ':sent': 'sent', ':pending': 'pending', ':at': at, ':pk': handoffIndexPk('sent') },
    );
  }

  claim(leadId: string, number: number, claim: HeldClaim, now: string): Promise<boolean> {
    return this.update(
      leadId,
      'SET handoff.#s = :claimed, handoff.claim = :claim, gsi1pk = :pk, version = version + :one',
      // Pending too: the message can be on the queue before the sender marked it sent.
      '(handoff.#s IN (:pending, :sent) OR (handoff.#s = :claimed AND handoff.claim.expiresAt <= :now))',
      {
        ':n': number,
        ':claimed': 'claimed',
        ':pending': 'pending',
        ':sent': 'sent',
        ':claim': claim,
        ':now': now,
        ':pk': handoffIndexPk('claimed'),
      },
    );
  }

  private held(number: number, nonce: string, rep: string, now: string) {
    return {
      condition:
        'handoff.#s = :claimed AND handoff.claim.nonce = :nonce AND handoff.claim.rep = :rep AND handoff.claim.expiresAt > :now',
      values: { ':n': number, ':claimed': 'claimed', ':nonce': nonce, ':rep': rep, ':now': now },
    };
  }

  extend(leadId: string, number: number, nonce: string, rep: string, expiresAt: string, now: string) {
    const held = this.held(number, nonce, rep, now);
    return this.underClaim(
      leadId,
      'SET handoff.claim.expiresAt = :exp, version = version + :one',
      held.condition,
      {
        ...held.values,
        ':exp': expiresAt,
      },
    );
  }

  release(leadId: string, number: number, nonce: string, rep: string, now: string) {
    const held = this.held(number, nonce, rep, now);
    return this.underClaim(
      leadId,
      'SET handoff.#s = :sent, gsi1pk = :pk, version = version + :one REMOVE handoff.claim',
      held.condition,
      { ...held.values, ':sent': 'sent', ':pk': handoffIndexPk('sent') },
    );
  }

  outcome(
    leadId: string,
    number: number,
    nonce: string,
    rep: string,
    change: { outcome: SalesOutcome; stage: Stage | undefined; close: boolean; at: string },
  ) {
    const held = this.held(number, nonce, rep, change.at);
    const sets = ['handoff.outcome = :outcome', 'version = version + :one'];
    const values: Record<string, unknown> = { ...held.values, ':outcome': change.outcome };
    if (change.stage) {
      sets.push('stage = :stage');
      values[':stage'] = change.stage;
    }
    let remove = '';
    if (change.close) {
      sets.push('handoff.#s = :closed', 'handoff.closedAt = :at');
      values[':closed'] = 'closed';
      values[':at'] = change.at;
      remove = ' REMOVE handoff.claim, gsi1pk, gsi1sk';
    }
    return this.underClaim(leadId, `SET ${sets.join(', ')}${remove}`, held.condition, values);
  }

  async counts(now: string) {
    const count = async (status: Status, filter?: 'live' | 'expired') => {
      let total = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: INDEX,
            KeyConditionExpression: 'gsi1pk = :pk',
            ...(filter
              ? { FilterExpression: `handoff.claim.expiresAt ${filter === 'live' ? '>' : '<='} :now` }
              : {}),
            ExpressionAttributeValues: { ':pk': handoffIndexPk(status), ...(filter ? { ':now': now } : {}) },
            Select: 'COUNT',
            ExclusiveStartKey,
          }),
        );
        total += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return total;
    };
    const oldest = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': handoffIndexPk('sent') },
        ProjectionExpression: 'gsi1sk',
        Limit: 1,
      }),
    );
    const [pending, sent, claimed, expired] = await Promise.all([
      count('pending'),
      count('sent'),
      count('claimed', 'live'),
      count('claimed', 'expired'),
    ]);
    const first = oldest.Items?.[0]?.gsi1sk as string | undefined;
    return {
      pending,
      waiting: sent + expired,
      claimed,
      oldestWaitingSince: first ? (first.split('#')[0] ?? null) : null,
    };
  }
}
