import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryStore, WebhookDelivery } from '../../core/webhooks/ports';
import { deleteKeys } from './batch-delete';
import { leadKey } from './lead-item';

/** Raw webhook deliveries, kept 30 days (TTL `expiresAt`; encrypted at rest with the table). */
export const deliveryKey = (deliveryId: string) => ({ pk: `DELIVERY#${deliveryId}`, sk: 'DELIVERY' });
/**
 * The index of deliveries by lead: a link item in the lead's own partition, so the erase of a lead
 * finds every delivery that carried the person's data (and the partition's delete takes the links).
 */
const LINK_PREFIX = 'DELIVERY#';
export const deliveryLinkKey = (leadId: string, deliveryId: string) => ({
  pk: leadKey(leadId).pk,
  sk: `${LINK_PREFIX}${deliveryId}`,
});

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

  async linkLead(deliveryId: string, leadId: string, expiresAt: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...deliveryLinkKey(leadId, deliveryId), entity: 'delivery-link', deliveryId, expiresAt },
      }),
    );
  }

  async remove(deliveryId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: deliveryKey(deliveryId) }));
  }

  async eraseForLead(leadId: string): Promise<number> {
    const deliveryIds: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
          ExpressionAttributeValues: { ':pk': leadKey(leadId).pk, ':link': LINK_PREFIX },
          ProjectionExpression: 'deliveryId',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) deliveryIds.push(String(item.deliveryId));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    await deleteKeys(
      this.db,
      this.tableName,
      deliveryIds.flatMap((id) => [deliveryKey(id), deliveryLinkKey(leadId, id)]),
    );
    return deliveryIds.length;
  }

  /** A delivery removed meanwhile (its lead was erased) is left gone. */
  async mark(deliveryId: string, status: WebhookDelivery['status'], detail?: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(deliveryId),
          UpdateExpression: detail ? 'SET #status = :status, detail = :detail' : 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ...(detail ? { ':detail': detail } : {}) },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}
