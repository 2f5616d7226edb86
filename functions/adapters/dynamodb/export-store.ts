import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportJob, ExportStore } from '../../core/leads/export-ports';
import { conditionally } from './conditional';

/** One item per background lead export, in its own partition. */
export const exportKey = (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' });

/** The item: the job, with the table's TTL attribute in epoch seconds (the job keeps its ISO time). */
export function toExportItem(job: ExportJob) {
  const { expiresAt, ...rest } = job;
  return {
    ...exportKey(job.exportId),
    entity: 'export',
    ...rest,
    expiresAtIso: expiresAt,
    expiresAt: Math.floor(Date.parse(expiresAt) / 1000),
  };
}

function fromExportItem(item: Record<string, unknown>): ExportJob {
  const { pk: _pk, sk: _sk, entity: _entity, expiresAt: _ttl, expiresAtIso, ...job } = item;
  return { ...(job as Omit<ExportJob, 'expiresAt'>), expiresAt: String(expiresAtIso) };
}

export class DynamoExportStore implements ExportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: ExportJob): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toExportItem(job),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(exportId: string): Promise<ExportJob | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: exportKey(exportId), ConsistentRead: true }),
    );
    return Item ? fromExportItem(Item) : undefined;
  }

  async progress(exportId: string, rows: number): Promise<void> {
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: exportKey(exportId),
          UpdateExpression: 'SET #rows = :rows',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#rows': 'rows', '#status': 'status' },
          ExpressionAttributeValues: { ':rows': rows, ':running': 'running' },
        }),
      ),
    );
  }

  finish(
    exportId: string,
    end: { status: 'ready' | 'failed'; rows: number; finishedAt: string; error?: string },
  ): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: exportKey(exportId),
          UpdateExpression: `SET #status = :status, #rows = :rows, finishedAt = :at${end.error ? ', #error = :error' : ''}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: {
            '#rows': 'rows',
            '#status': 'status',
            ...(end.error ? { '#error': 'error' } : {}),
          },
          ExpressionAttributeValues: {
            ':status': end.status,
            ':rows': end.rows,
            ':at': end.finishedAt,
            ':running': 'running',
            ...(end.error ? { ':error': end.error } : {}),
          },
        }),
      ),
    );
  }
}
