import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  Broadcast,
  BroadcastPageCount,
  BroadcastStore,
  ExcludedCounts,
} from '../../core/nurture/broadcast-ports';
import { conditionally } from './conditional';

/** One item per broadcast: its definition and its progress. Keys live here only. */
export const broadcastItemKey = (broadcastId: string) => ({
  pk: `BROADCAST#${broadcastId}`,
  sk: 'BROADCAST',
});

/**
 * Exclusion counters are top-level numbers (`excludedSuppressed`...): DynamoDB's ADD works on
 * top-level attributes only, and ADD is what makes a page's count a single atomic write.
 */
const EXCLUDED: Record<keyof ExcludedCounts, string> = {
  suppressed: 'excludedSuppressed',
  noConsent: 'excludedNoConsent',
  ownedBySales: 'excludedOwnedBySales',
  test: 'excludedTest',
};

export class DynamoBroadcastStore implements BroadcastStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(broadcast: Broadcast): Promise<boolean> {
    const { excluded, ...rest } = broadcast;
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...broadcastItemKey(broadcast.broadcastId),
            entity: 'broadcast',
            ...rest,
            ...Object.fromEntries(
              Object.entries(EXCLUDED).map(([k, attr]) => [attr, excluded[k as keyof ExcludedCounts]]),
            ),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(broadcastId: string): Promise<Broadcast | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: broadcastItemKey(broadcastId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async completePage(
    broadcastId: string,
    from: string | null,
    page: BroadcastPageCount,
    at: string,
  ): Promise<boolean> {
    const done = page.cursor === null;
    const excludedAdds = Object.entries(EXCLUDED).map(([, attr]) => `${attr} :${attr}`);
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: broadcastItemKey(broadcastId),
          UpdateExpression: `ADD pages :one, scanned :scanned, enrolled :enrolled, ${excludedAdds.join(', ')} SET #cursor = :next, #previous = :from, #status = :status${done ? ', finishedAt = :at' : ''}`,
          ConditionExpression: '#cursor = :from AND #status = :running',
          ExpressionAttributeNames: { '#cursor': 'cursor', '#previous': 'previous', '#status': 'status' },
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
            ':status': done ? 'done' : 'running',
            ...(done ? { ':at': at } : {}),
          },
        }),
      ),
    );
  }
}

function fromItem(item: Record<string, unknown>): Broadcast {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  const excluded = Object.fromEntries(
    Object.entries(EXCLUDED).map(([k, attr]) => {
      const value = rest[attr];
      delete rest[attr];
      return [k, typeof value === 'number' ? value : 0];
    }),
  ) as unknown as ExcludedCounts;
  return { ...(rest as unknown as Omit<Broadcast, 'excluded'>), excluded };
}
