import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimit, RateLimiter } from '../../core/capture/ports';
import { conditionally } from './conditional';

/** One counter item per key and minute; TTL cleans them up on AWS (nothing depends on it). */
export const rateKey = (key: string, window: number) => ({ pk: `RATE#${key}#${window}`, sk: 'RATE' });

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(key: string, { limit, window }: RateLimit): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateKey(key, window),
          UpdateExpression: 'ADD hits :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': (window + 2) * 60 },
        }),
      ),
    );
  }
}
