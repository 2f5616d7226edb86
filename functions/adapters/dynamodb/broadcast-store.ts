import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../core/kernel/errors';
import type {
  Broadcast,
  BroadcastListQuery,
  BroadcastPageCount,
  BroadcastStore,
  ChangedBy,
  ExcludedCounts,
  StoredBroadcastStatus,
} from '../../core/nurture/broadcast-ports';
import {
  BROADCASTS_PK,
  broadcastItemKey,
  broadcastListKeys,
  EXCLUDED,
  fromBroadcastItem,
  statusFilter,
  toBroadcastItem,
} from './broadcast-item';
import { conditionally } from './conditional';
import { getItem } from './items';

export { broadcastItemKey } from './broadcast-item';

const LIST_INDEX = 'gsi1';
const LIST_KEY = /^\d{4}-\d\d-\d\dT[\d:.]+Z#bc_[0-9A-HJKMNP-TV-Z]{26}$/;

export class DynamoBroadcastStore implements BroadcastStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(broadcast: Broadcast): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toBroadcastItem(broadcast),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(broadcastId: string): Promise<Broadcast | undefined> {
    const item = await getItem(this.db, this.tableName, broadcastItemKey(broadcastId));
    return item ? fromBroadcastItem(item) : undefined;
  }

  async completePage(
    broadcastId: string,
    from: string | null,
    page: BroadcastPageCount,
    at: string,
    options: { phase?: Broadcast['phase']; last: 'done' | 'waiting' } = { last: 'done' },
  ): Promise<boolean> {
    const done = page.cursor === null;
    const phase = options.phase;
    const excludedAdds = Object.entries(EXCLUDED).map(([, attr]) => `${attr} :${attr}`);
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: broadcastItemKey(broadcastId),
          UpdateExpression: `ADD pages :one, scanned :scanned, enrolled :enrolled, ${excludedAdds.join(', ')} SET #cursor = :next, #previous = :from, #status = :status${done ? ', finishedAt = :at' : ''}`,
          // The phase too: a test-phase page delivered late never counts in the rest phase.
          ConditionExpression: `#cursor = :from AND #status = :running AND ${phase ? '#phase = :phase' : 'attribute_not_exists(#phase)'}`,
          ExpressionAttributeNames: {
            '#cursor': 'cursor',
            '#previous': 'previous',
            '#status': 'status',
            '#phase': 'phase',
          },
          ExpressionAttributeValues: {
            ':one': 1,
            ':scanned': page.scanned,
            ':enrolled': page.enrolled,
            ...Object.fromEntries(
              Object.entries(EXCLUDED).map(([k, attr]) => [
                `:${attr}`,
                page.excluded[k as keyof ExcludedCounts],
              ]),
            ),
            ':next': page.cursor,
            ':from': from,
            ':running': 'running',
            ':status': done ? options.last : 'running',
            ...(done ? { ':at': at } : {}),
            ...(phase ? { ':phase': phase } : {}),
          },
        }),
      ),
    );
  }

  async list(query: BroadcastListQuery): Promise<{ broadcasts: Broadcast[]; cursor: string | null }> {
    const filter = statusFilter(query.status, query.now);
    let start: Record<string, unknown> | undefined = query.cursor
      ? listKey(decodeListCursor(query.cursor))
      : undefined;
    const broadcasts: Broadcast[] = [];
    // A status filter may leave a Query page short: read on (at most 10 reads) until the page is full.
    for (let reads = 0; reads < 10 && broadcasts.length < query.limit; reads += 1) {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: LIST_INDEX,
          KeyConditionExpression: 'gsi1pk = :pk',
          ScanIndexForward: false,
          Limit: query.limit - broadcasts.length,
          ExclusiveStartKey: start,
          ...(filter.expression
            ? {
                FilterExpression: filter.expression,
                ExpressionAttributeNames: filter.names,
              }
            : {}),
          ExpressionAttributeValues: { ':pk': BROADCASTS_PK, ...(filter.values ?? {}) },
        }),
      );
      broadcasts.push(...Items.map(fromBroadcastItem));
      start = LastEvaluatedKey;
      if (!start) break;
    }
    const sk = start?.gsi1sk;
    return { broadcasts, cursor: typeof sk === 'string' ? Buffer.from(sk).toString('base64url') : null };
  }

  async replaceDraft(next: Broadcast): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toBroadcastItem(next),
          ConditionExpression: '#status = :draft',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':draft': 'draft' },
        }),
      ),
    );
  }

  async cancel(
    broadcastId: string,
    from: StoredBroadcastStatus,
    by: ChangedBy,
    at: string,
  ): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: broadcastItemKey(broadcastId),
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at, cancelledBy = :by',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': at, ':by': by, ':from': from },
        }),
      ),
    );
  }

  async awaitingWinner(now: string): Promise<Broadcast[]> {
    const found: Broadcast[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: LIST_INDEX,
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression:
            '#status IN (:running, :waiting) AND abTest.decideAt <= :now AND (#phase = :test OR attribute_not_exists(restQueued))',
          ExpressionAttributeNames: { '#status': 'status', '#phase': 'phase' },
          ExpressionAttributeValues: {
            ':pk': BROADCASTS_PK,
            ':running': 'running',
            ':waiting': 'waiting',
            ':now': now,
            ':test': 'test',
          },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...Items.map(fromBroadcastItem));
      start = LastEvaluatedKey;
    } while (start);
    return found;
  }

  async chooseWinner(broadcastId: string, winner: string, at: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: broadcastItemKey(broadcastId),
          UpdateExpression:
            'SET #phase = :rest, #status = :running, #cursor = :null, abTest.winner = :winner, abTest.decidedAt = :at REMOVE #previous, finishedAt',
          ConditionExpression: '#phase = :test AND #status IN (:running, :waiting)',
          ExpressionAttributeNames: {
            '#phase': 'phase',
            '#status': 'status',
            '#cursor': 'cursor',
            '#previous': 'previous',
          },
          ExpressionAttributeValues: {
            ':rest': 'rest',
            ':test': 'test',
            ':running': 'running',
            ':waiting': 'waiting',
            ':null': null,
            ':winner': winner,
            ':at': at,
          },
        }),
      ),
    );
  }

  async restQueued(broadcastId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: broadcastItemKey(broadcastId),
        UpdateExpression: 'SET restQueued = :yes',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }
}

/** The whole key of a list position from its gsi1sk (`<createdAt>#<broadcastId>`). */
function listKey(gsi1sk: string) {
  const broadcastId = gsi1sk.slice(gsi1sk.indexOf('#') + 1);
  return {
    ...broadcastItemKey(broadcastId),
    ...broadcastListKeys({ broadcastId, createdAt: gsi1sk.slice(0, gsi1sk.indexOf('#')) }),
  };
}

function decodeListCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!LIST_KEY.test(sk))
    throw new ValidationError([{ path: 'cursor', message: 'is not a cursor this list gave' }]);
  return sk;
}
