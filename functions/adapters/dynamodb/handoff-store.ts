import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { HandoffStore, HeldClaim, KnownRep, OutcomeChange, Owner } from '../../core/handoff/ports';
import type { LeadState } from '../../core/leads/lead';
import { conditionally } from './conditional';
import { queryEvery } from './items';
import { fromLeadItem, handoffIndexPk, leadKey, ownerIndexPk, ownerIndexSk } from './lead-item';
import { listAttributes } from './lead-list-keys';
import { segmentFactsAttribute } from './segment-facts-attribute';
import type { ShardQuery } from './sharded-query';

const INDEX = 'gsi1';
type Status = 'pending' | 'sent' | 'claimed';
/** The reps the API has seen: one small item each under one partition (tens of reps, not leads). */
const REPS_PK = 'REPS';

/**
 * A lead's hand-off moves by targeted conditional updates of the lead item: each checks the
 * hand-off number and state it expects and bumps `version`, so a concurrent whole-item write
 * (a new activity) fails its version check and redoes its work on top. None applies to a lead
 * being erased, nor to one already gone (the conditions name attributes of the item). A claim
 * keeps its SQS receipt handle here (`handoff.claim.receipt`): the rep's token only names it.
 */
/** How long a noted rep is not written again by the same container. */
const NOTED_FOR_MS = 10 * 60_000;

export class DynamoHandoffStore implements HandoffStore {
  /** Reps this container wrote to the reps partition, until when it need not again. */
  private readonly noted = new Map<string, number>();

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
  private underClaim(
    leadId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<{ receipt: string } | undefined> {
    return this.send(this.command(leadId, update, condition, values));
  }

  private async send(command: UpdateCommand): Promise<{ receipt: string } | undefined> {
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

  async claim(leadId: string, number: number, claim: HeldClaim, now: string): Promise<LeadState | undefined> {
    const command = this.command(
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
    // The lead as it was: the claim's card and timeline entry need no read of their own.
    command.input.ReturnValues = 'ALL_OLD';
    try {
      const { Attributes } = await this.db.send(command);
      return Attributes ? fromLeadItem(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
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

  async outcome(leadId: string, number: number, nonce: string, rep: string, change: OutcomeChange) {
    const held = this.held(number, nonce, rep, change.at);
    const sets = ['handoff.outcome = :outcome', 'version = version + :one'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ...held.values, ':outcome': change.outcome };
    if (change.stage) {
      sets.push('stage = :stage');
      values[':stage'] = change.stage;
    }
    if (change.stageSince) {
      sets.push('stageSince = :stageSince');
      values[':stageSince'] = change.stageSince;
    }
    if (change.owner) {
      sets.push('#owner = :owner');
      values[':owner'] = change.owner;
    } else removes.push('#owner');
    if (change.close) {
      sets.push('handoff.#s = :closed', 'handoff.closedAt = :at');
      values[':closed'] = 'closed';
      values[':at'] = change.at;
      removes.push('handoff.claim');
      // The closed hand-off leaves the HANDOFF# entries; an owned lead moves to its owner's.
      if (change.owner) {
        sets.push('gsi1pk = :opk', 'gsi1sk = :osk');
        values[':opk'] = ownerIndexPk(change.owner.rep);
        values[':osk'] = ownerIndexSk(change.at, leadId);
      } else removes.push('gsi1pk', 'gsi1sk');
    }
    const command = this.command(
      leadId,
      `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      held.condition,
      values,
    );
    command.input.ExpressionAttributeNames = { ...command.input.ExpressionAttributeNames, '#owner': 'owner' };
    const done = await this.send(command);
    if (done) await this.refreshListRow(leadId);
    return done;
  }

  /**
   * The lead list's row (`lrow`, written by toLeadItem) follows what a targeted update changed
   * (stage, owner): the item is read again and its row written unless someone wrote since (a
   * whole-item write in between wrote its own row). Index bookkeeping: the version stays.
   */
  private async refreshListRow(leadId: string): Promise<void> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: leadKey(leadId), ConsistentRead: true }),
    );
    if (!Item || Item.erasing) return;
    const lead = fromLeadItem(Item);
    const { lrow, lrowv } = listAttributes(lead);
    // With the row's version goes the segment facts' string (reindexLeads skips a row of this version).
    const { sfacts } = segmentFactsAttribute(lead);
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leadKey(leadId),
          UpdateExpression: 'SET lrow = :row, lrowv = :rv, sfacts = :facts',
          ConditionExpression: 'version = :v AND attribute_not_exists(erasing)',
          ExpressionAttributeValues: { ':row': lrow, ':rv': lrowv, ':facts': sfacts, ':v': Item.version },
        }),
      ),
    );
  }

  async ownedOutcome(leadId: string, rep: string, change: OutcomeChange): Promise<boolean> {
    const sets = ['version = version + :one'];
    const values: Record<string, unknown> = {
      ':one': 1,
      ':rep': rep,
      ':claimed': 'claimed',
      ':now': change.at,
    };
    if (change.stage) {
      sets.push('stage = :stage');
      values[':stage'] = change.stage;
    }
    if (change.stageSince) {
      sets.push('stageSince = :stageSince');
      values[':stageSince'] = change.stageSince;
    }
    let remove = ' REMOVE #owner, gsi1pk, gsi1sk';
    if (change.owner) {
      sets.push('#owner = :owner', 'gsi1pk = :opk', 'gsi1sk = :osk');
      values[':owner'] = change.owner;
      values[':opk'] = ownerIndexPk(change.owner.rep);
      values[':osk'] = ownerIndexSk(change.at, leadId);
      remove = '';
    }
    const recorded = await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leadKey(leadId),
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression:
            'attribute_not_exists(erasing) AND #owner.rep = :rep AND NOT (handoff.#s = :claimed AND handoff.claim.expiresAt > :now)',
          ExpressionAttributeNames: { '#owner': 'owner', '#s': 'status' },
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (recorded) await this.refreshListRow(leadId);
    return recorded;
  }

  endClaim(leadId: string, number: number, change: { close: boolean; at: string; ownerRep?: string }) {
    const condition = 'handoff.#s = :claimed AND handoff.claim.expiresAt > :now';
    const values: Record<string, unknown> = { ':n': number, ':claimed': 'claimed', ':now': change.at };
    if (!change.close) {
      values[':sent'] = 'sent';
      values[':pk'] = handoffIndexPk('sent');
      return this.underClaim(
        leadId,
        'SET handoff.#s = :sent, gsi1pk = :pk, version = version + :one REMOVE handoff.claim',
        condition,
        values,
      );
    }
    values[':closed'] = 'closed';
    const index = change.ownerRep ? ', gsi1pk = :opk, gsi1sk = :osk' : '';
    if (change.ownerRep) {
      values[':opk'] = ownerIndexPk(change.ownerRep);
      values[':osk'] = ownerIndexSk(change.at, leadId);
    }
    return this.underClaim(
      leadId,
      `SET handoff.#s = :closed, handoff.closedAt = :now${index}, version = version + :one REMOVE handoff.claim${change.ownerRep ? '' : ', gsi1pk, gsi1sk'}`,
      condition,
      values,
    );
  }

  async reassign(
    lead: LeadState,
    change: { claim?: HeldClaim; owner?: Owner; at: string },
  ): Promise<boolean> {
    const sets = ['version = version + :one'];
    const values: Record<string, unknown> = { ':one': 1, ':v': lead.version };
    const names: Record<string, string> = {};
    if (change.claim) {
      sets.push('handoff.claim = :claim');
      values[':claim'] = change.claim;
    }
    if (change.owner) {
      sets.push('#owner = :owner');
      names['#owner'] = 'owner';
      values[':owner'] = change.owner;
      // Only an owned lead with no open hand-off is listed under its owner.
      if (!lead.handoff || lead.handoff.status === 'closed') {
        sets.push('gsi1pk = :opk', 'gsi1sk = :osk');
        values[':opk'] = ownerIndexPk(change.owner.rep);
        values[':osk'] = ownerIndexSk(change.at, lead.leadId);
      }
    }
    const moved = await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leadKey(lead.leadId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(erasing) AND version = :v',
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (moved && change.owner) await this.refreshListRow(lead.leadId);
    return moved;
  }

  /** Every page of a gsi1 query (one partition: a single shard), as leads. */
  private async all(input: Omit<ShardQuery, 'TableName' | 'IndexName'>): Promise<LeadState[]> {
    const items = await queryEvery(this.db, { TableName: this.tableName, IndexName: INDEX, ...input });
    return items.map(fromLeadItem);
  }

  async heldBy(rep: string, now: string, ownedLimit: number) {
    // Open claims are few (a claim window each): the claimed partition is read whole, filtered to the rep.
    const [claimedOrOwned, owned] = await Promise.all([
      this.all({
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression:
          '(handoff.claim.rep = :rep AND handoff.claim.expiresAt > :now) OR #owner.rep = :rep',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':pk': handoffIndexPk('claimed'), ':rep': rep, ':now': now },
      }),
      this.ownedBy(rep, ownedLimit),
    ]);
    const claimed = claimedOrOwned.filter(
      (lead) => lead.handoff?.claim?.rep === rep && lead.handoff.claim.expiresAt > now,
    );
    const ownedUnderClaim = claimedOrOwned.filter((lead) => lead.owner?.rep === rep);
    return {
      claimed,
      owned: [...ownedUnderClaim, ...owned.leads],
      ownedTotal: ownedUnderClaim.length + owned.total,
    };
  }

  async open() {
    const statuses: Status[] = ['pending', 'sent', 'claimed'];
    const lists = await Promise.all(
      statuses.map((status) =>
        this.all({
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': handoffIndexPk(status) },
        }),
      ),
    );
    return lists.flat();
  }

  async ownedBy(rep: string, limit: number) {
    const key = {
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': ownerIndexPk(rep) },
    };
    const [page, total] = await Promise.all([
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX,
          ...key,
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
      this.count(key),
    ]);
    return { leads: (page.Items ?? []).map(fromLeadItem), total };
  }

  private async count(
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ) {
    let total = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX,
          ...input,
          Select: 'COUNT',
          ExclusiveStartKey,
        }),
      );
      total += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return total;
  }

  async noteRep(rep: KnownRep, at: string): Promise<void> {
    // Once per rep and name per container and NOTED_FOR_MS: the partition lists who claimed, and
    // rewriting the same item on every claim only cost a write on the claim's path.
    const key = `${rep.rep}\n${rep.repName}`;
    if ((this.noted.get(key) ?? 0) > Date.now()) return;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: REPS_PK,
          sk: `REP#${rep.rep}`,
          entity: 'rep',
          rep: rep.rep,
          repName: rep.repName,
          seenAt: at,
        },
      }),
    );
    if (this.noted.size > 1000) this.noted.clear();
    this.noted.set(key, Date.now() + NOTED_FOR_MS);
  }

  async reps(): Promise<KnownRep[]> {
    const reps: KnownRep[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': REPS_PK },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? [])
        reps.push({ rep: String(item.rep), repName: String(item.repName) });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return reps;
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
