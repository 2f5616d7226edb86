import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import type { ExportJob, ExportStore } from '../../core/leads/export-ports';
import { conditionally } from './conditional';
import { getItem, putNew, queryEvery } from './items';

/**
 * Every background export in one partition, sorted by id (a ULID: by start time), so an erase finds
 * the last 7 days' with one Query. People start a few exports a day: no hot partition.
 */
const EXPORTS_PK = 'EXPORTS';
export const exportKey = (exportId: string) => ({ pk: EXPORTS_PK, sk: exportId });

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

  create(job: ExportJob): Promise<void> {
    return putNew(this.db, this.tableName, toExportItem(job), 'sk');
  }

  async get(exportId: string): Promise<ExportJob | undefined> {
    const item = await getItem(this.db, this.tableName, exportKey(exportId));
    return item ? fromExportItem(item) : undefined;
  }

  async startedSince(since: string): Promise<ExportJob[]> {
    const items = await queryEvery(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      // ULIDs start with the time: the smallest id of that millisecond.
      ExpressionAttributeValues: { ':pk': EXPORTS_PK, ':from': `exp_${encodeTime(Date.parse(since), 10)}` },
      ConsistentRead: true,
    });
    return items.map(fromExportItem);
  }

  async withdraw(exportId: string, at: string, error: string): Promise<void> {
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: exportKey(exportId),
          UpdateExpression: 'SET #status = :failed, finishedAt = :at, #error = :error',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':failed': 'failed', ':at': at, ':error': error },
        }),
      ),
    );
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
