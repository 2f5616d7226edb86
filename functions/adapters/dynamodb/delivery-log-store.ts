import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryLog, DeliveryLogEntry } from '../../core/integrations/ports';

/** The delivery log is kept 30 days (TTL on AWS; readers skip expired entries themselves). */
export const DELIVERY_LOG_DAYS = 30;
/** One partition per destination; the delivery id (a ULID) sorts by time. */
export const deliveryLogKey = (destinationId: string, deliveryId: string) => ({
  pk: `WHLOG#${destinationId}`,
  sk: deliveryId,
});

function fromItem(item: Record<string, unknown>): DeliveryLogEntry {
  const { pk: _pk, sk: _sk, entity: _entity, expiresAt: _e, ...entry } = item;
  return entry as unknown as DeliveryLogEntry;
}

export class DynamoDeliveryLog implements DeliveryLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: DeliveryLogEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + DELIVERY_LOG_DAYS * 86_400;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...deliveryLogKey(entry.destinationId, entry.deliveryId),
          entity: 'webhook-delivery',
          expiresAt,
          ...entry,
        },
      }),
    );
  }

  async list(destinationId: string, limit: number, cursor?: string) {
    const now = Math.floor(Date.now() / 1000);
    const { Items, LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: cursor ? 'pk = :pk AND sk < :cursor' : 'pk = :pk',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: {
          ':pk': deliveryLogKey(destinationId, '').pk,
          ':now': now,
          ...(cursor ? { ':cursor': cursor } : {}),
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const entries = (Items ?? []).map(fromItem);
    const last = LastEvaluatedKey?.sk;
    return { entries, ...(typeof last === 'string' ? { cursor: last } : {}) };
  }

  async get(destinationId: string, deliveryId: string): Promise<DeliveryLogEntry | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: deliveryLogKey(destinationId, deliveryId),
        ConsistentRead: true,
      }),
    );
    if (!Item || Number(Item.expiresAt) <= Date.now() / 1000) return undefined;
    return fromItem(Item);
  }
}
