import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  keepFirst,
  type Suppression,
  type SuppressionReason,
  type SuppressionStore,
  suppressionHash,
} from '../../core/suppression';

/** One item per address, keyed by the hash of its identity: no clear email is stored. Keys live here only. */
export const suppressionKey = (email: string) => ({
  pk: `SUPPRESS#${suppressionHash(email)}`,
  sk: 'SUPPRESS',
});

export class DynamoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async suppress(
    email: string,
    reason: SuppressionReason,
    source: string,
    at = new Date().toISOString(),
  ): Promise<Suppression> {
    const entry: Suppression = { reason, at, source };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...suppressionKey(email), entity: 'suppression', ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return entry;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return keepFirst(await this.lookup(email), entry);
    }
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await this.lookup(email)) !== undefined;
  }

  async lookup(email: string): Promise<Suppression | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: suppressionKey(email), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { reason: Item.reason, at: Item.at, source: Item.source } as Suppression;
  }
}
