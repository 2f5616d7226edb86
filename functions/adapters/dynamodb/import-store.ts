import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ImportCounts,
  ImportJob,
  ImportPlan,
  ImportStore,
  RowError,
} from '../../core/imports/import-ports';
import type { Activity } from '../../core/leads/lead';
import { conditionally } from './conditional';
import { getItem, putNew, queryEvery } from './items';
import { activityKey, fromActivityItem } from './lead-item';

/**
 * Every import in one partition, sorted by id (a ULID: by creation time), like the exports; a
 * run's error report in the import's own partition, one item per page that had errors.
 */
const IMPORTS_PK = 'IMPORTS';
export const importKey = (importId: string) => ({ pk: IMPORTS_PK, sk: importId });
const errorsPk = (importId: string) => `IMPORT#${importId}`;
export const importErrorsKey = (importId: string, run: number, fromRow: number) => ({
  pk: errorsPk(importId),
  sk: `ERR#${String(run).padStart(4, '0')}#${String(fromRow).padStart(9, '0')}`,
});
const ttl = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function toImportItem(job: ImportJob) {
  const { expiresAt, ...rest } = job;
  return {
    ...importKey(job.importId),
    entity: 'import',
    ...rest,
    expiresAtIso: expiresAt,
    expiresAt: ttl(expiresAt),
  };
}

function fromImportItem(item: Record<string, unknown>): ImportJob {
  const { pk: _pk, sk: _sk, entity: _entity, expiresAt: _ttl, expiresAtIso, ...job } = item;
  return { ...(job as Omit<ImportJob, 'expiresAt'>), expiresAt: String(expiresAtIso) };
}

const COUNTS = ['read', 'created', 'updated', 'unchanged', 'suppressed', 'skipped', 'failed'] as const;

export class DynamoImportStore implements ImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  create(job: ImportJob): Promise<void> {
    return putNew(this.db, this.tableName, toImportItem(job), 'sk');
  }

  async get(importId: string): Promise<ImportJob | undefined> {
    const item = await getItem(this.db, this.tableName, importKey(importId));
    return item ? fromImportItem(item) : undefined;
  }

  start(
    importId: string,
    start: {
      run: number;
      previousRun: number;
      plan: ImportPlan;
      bytes: number;
      startedAt: string;
      dataStart: number;
    },
  ): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importKey(importId),
          UpdateExpression:
            'SET #status = :running, #run = :run, #plan = :plan, #bytes = :bytes, startedAt = :at, nextByte = :byte, nextRow = :row, #counts = :zero REMOVE finishedAt, #error',
          ConditionExpression: '#run = :previous AND #status IN (:awaiting, :done)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#run': 'run',
            '#plan': 'plan',
            '#bytes': 'bytes',
            '#counts': 'counts',
            '#error': 'error',
          },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':run': start.run,
            ':previous': start.previousRun,
            ':plan': start.plan,
            ':bytes': start.bytes,
            ':at': start.startedAt,
            ':byte': start.dataStart,
            ':row': 2,
            ':zero': Object.fromEntries(COUNTS.map((name) => [name, 0])),
            ':awaiting': 'awaiting_upload',
            ':done': 'done',
          },
        }),
      ),
    );
  }

  pageDone(
    importId: string,
    fromRow: number,
    next: { byte: number; row: number },
    counts: ImportCounts,
  ): Promise<boolean> {
    const adds = COUNTS.map((name) => `#counts.#${name} = #counts.#${name} + :${name}`).join(', ');
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importKey(importId),
          UpdateExpression: `SET nextByte = :byte, nextRow = :row, ${adds}`,
          ConditionExpression: '#status = :running AND nextRow = :from',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#counts': 'counts',
            ...Object.fromEntries(COUNTS.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':byte': next.byte,
            ':row': next.row,
            ':from': fromRow,
            ':running': 'running',
            ...Object.fromEntries(COUNTS.map((name) => [`:${name}`, counts[name]])),
          },
        }),
      ),
    );
  }

  async finish(importId: string, end: { status: 'done' | 'failed'; finishedAt: string; error?: string }) {
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importKey(importId),
          UpdateExpression: `SET #status = :status, finishedAt = :at${end.error ? ', #error = :error' : ''}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', ...(end.error ? { '#error': 'error' } : {}) },
          ExpressionAttributeValues: {
            ':status': end.status,
            ':at': end.finishedAt,
            ':running': 'running',
            ...(end.error ? { ':error': end.error } : {}),
          },
        }),
      ),
    );
  }

  async putErrors(importId: string, run: number, fromRow: number, errors: RowError[], expiresAt: string) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...importErrorsKey(importId, run, fromRow),
          entity: 'import-errors',
          errors,
          expiresAt: ttl(expiresAt),
        },
      }),
    );
  }

  async errors(importId: string, run: number): Promise<RowError[]> {
    const items = await queryEvery(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
      ExpressionAttributeValues: {
        ':pk': errorsPk(importId),
        ':run': `ERR#${String(run).padStart(4, '0')}#`,
      },
    });
    return items.flatMap((item) => (item.errors as RowError[]) ?? []);
  }

  /** A stored timeline entry (how a row a crashed page applied went). */
  async storedActivity(leadId: string, activityId: string): Promise<Activity | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: activityKey(leadId, activityId),
        ConsistentRead: true,
      }),
    );
    return Item ? fromActivityItem(Item) : undefined;
  }
}
