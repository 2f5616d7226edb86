import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReportBatch, ReportCursor, ReportCursors } from '../../core/reports/ports';
import { conditionally } from './conditional';
import { cursorKey } from './report-item';

/**
 * The aggregator's cursor per shard: the last batch completed (`seq`) and the batch in flight
 * (`pending`, the durable intent). Every change is one conditional UpdateItem.
 */
export class DynamoReportCursors implements ReportCursors {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(shard: number): Promise<ReportCursor> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: cursorKey(shard), ConsistentRead: true }),
    );
    return {
      seq: typeof Item?.seq === 'number' ? Item.seq : 0,
      pending: (Item?.pending as ReportBatch | undefined) ?? undefined,
      checkedAt: typeof Item?.checkedAt === 'string' ? Item.checkedAt : undefined,
    };
  }

  propose(shard: number, batch: ReportBatch): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: cursorKey(shard),
          UpdateExpression: 'SET pending = :batch, entity = :entity',
          ConditionExpression:
            'attribute_not_exists(pending) AND (attribute_not_exists(seq) AND :previous = :zero OR seq = :previous)',
          ExpressionAttributeValues: {
            ':batch': batch,
            ':previous': batch.seq - 1,
            ':zero': 0,
            ':entity': 'report_cursor',
          },
        }),
      ),
    );
  }

  complete(shard: number, seq: number, at: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: cursorKey(shard),
          UpdateExpression: 'SET seq = :seq, checkedAt = :at REMOVE pending',
          ConditionExpression: 'pending.seq = :seq',
          ExpressionAttributeValues: { ':seq': seq, ':at': at },
        }),
      ),
    );
  }

  async checked(shard: number, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: cursorKey(shard),
        UpdateExpression: 'SET checkedAt = :at, entity = :entity',
        ExpressionAttributeValues: { ':at': at, ':entity': 'report_cursor' },
      }),
    );
  }
}
