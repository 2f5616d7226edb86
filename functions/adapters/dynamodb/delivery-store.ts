import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryStore, WebhookDelivery } from '../../core/webhooks/ports';

/** Raw webhook deliveries, kept 30 days (TTL `expiresAt`; encrypted at rest with the table). */
export const deliveryKey = (deliveryId: string) => ({ pk: `DELIVERY#${deliveryId}`, sk: 'DELIVERY' });

export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(delivery: WebhookDelivery): Promise<{ duplicate: boolean; existing?: WebhookDelivery }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...deliveryKey(delivery.deliveryId), entity: 'delivery', ...delivery },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { duplicate: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { duplicate: true, existing: await this.get(delivery.deliveryId) };
    }
  }

  async get(deliveryId: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(deliveryId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...delivery } = Item;
    return delivery as WebhookDelivery;
  }

  async mark(deliveryId: string, status: WebhookDelivery['status'], detail?: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKey(deliveryId),
        UpdateExpression: detail ? 'SET #status = :status, detail = :detail' : 'SET #status = :status',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ...(detail ? { ':detail': detail } : {}) },
      }),
    );
  }
}
