import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FormCounters } from '../../core/capture/ports';

export const formStatsKey = (formId: string) => ({ pk: `STATS#form#${formId}`, sk: 'COUNTERS' });

export class DynamoFormCounters implements FormCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async honeypotCaught(formId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: formStatsKey(formId),
        UpdateExpression: 'ADD honeypotCaught :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}
