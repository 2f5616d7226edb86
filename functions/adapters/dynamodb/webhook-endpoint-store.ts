import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DestinationHealth } from '../../core/integrations/ports';
import type { WebhookEndpoint } from '../../core/integrations/webhook-endpoint';
import type { WebhookEndpointStore } from '../../core/integrations/webhook-endpoints';
import { conditionally } from './conditional';
import { getItem, putNew, queryEvery } from './items';

/** Webhook endpoints: few, so one partition holds them all (listed with one Query, never a Scan). */
export const ENDPOINTS_PK = 'WEBHOOKS';
export const endpointKey = (endpointId: string) => ({ pk: ENDPOINTS_PK, sk: `EP#${endpointId}` });
const toItem = (endpoint: WebhookEndpoint) => ({
  ...endpointKey(endpoint.endpointId),
  entity: 'webhook-endpoint',
  ...endpoint,
});
function fromItem(item: Record<string, unknown>): WebhookEndpoint {
  const { pk: _pk, sk: _sk, entity: _entity, ...endpoint } = item;
  return endpoint as unknown as WebhookEndpoint;
}

/** The endpoints and their health, with single-item conditional writes. */
export class DynamoWebhookEndpoints implements WebhookEndpointStore, DestinationHealth {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  create(endpoint: WebhookEndpoint): Promise<void> {
    return putNew(this.db, this.tableName, toItem(endpoint));
  }

  async get(id: string): Promise<WebhookEndpoint | undefined> {
    const item = await getItem(this.db, this.tableName, endpointKey(id));
    return item ? fromItem(item) : undefined;
  }

  async list(): Promise<WebhookEndpoint[]> {
    const items = await queryEvery(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ep)',
      ExpressionAttributeValues: { ':pk': ENDPOINTS_PK, ':ep': 'EP#' },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  replace(endpoint: WebhookEndpoint, expectedVersion: number): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(endpoint),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
  }

  remove(id: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: endpointKey(id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async succeeded(id: string, at: string): Promise<void> {
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKey(id),
          UpdateExpression: 'SET lastSuccessAt = :at REMOVE failingSince',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }

  async failed(id: string, at: string): Promise<string | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKey(id),
          UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :at), lastFailureAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return typeof Attributes?.failingSince === 'string' ? Attributes.failingSince : undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  stop(
    id: string,
    status: 'paused' | 'disabled',
    reason: 'failing_24h' | 'gone_410',
    at: string,
  ): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKey(id),
          UpdateExpression:
            'SET #status = :status, pausedReason = :reason, pausedAt = :at, version = version + :one',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':reason': reason,
            ':at': at,
            ':active': 'active',
            ':one': 1,
          },
        }),
      ),
    );
  }
}
