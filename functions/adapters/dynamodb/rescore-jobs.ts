import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RescoreJobs, RescoreProgress } from '../../core/scoring/rescore-job';
import { conditionally } from './conditional';

/** One progress item per model version's rescore job. */
export const rescoreJobKey = (version: number) => ({
  pk: 'JOB#rescore',
  sk: `V#${String(version).padStart(6, '0')}`,
});

/**
 * Which version's job started last. Job items sort by version, and a rollback (activating an
 * older version) starts the newest job under a lower key, so "latest" cannot be the last item.
 */
export const latestRescoreJobKey = { pk: 'JOB#rescore', sk: 'LATEST' } as const;

export class DynamoRescoreJobs implements RescoreJobs {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(version: number): Promise<RescoreProgress | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: rescoreJobKey(version), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }

  async latest(): Promise<RescoreProgress | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: latestRescoreJobKey, ConsistentRead: true }),
    );
    if (typeof Item?.version === 'number') return this.get(Item.version);
    // Jobs started before the pointer was kept: the highest version's is the latest.
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': 'JOB#rescore', ':v': 'V#' },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items?.[0] ? strip(Items[0]) : undefined;
  }

  async start(job: RescoreProgress): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...rescoreJobKey(job.version), entity: 'job', ...job },
      }),
    );
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...latestRescoreJobKey,
          entity: 'job-pointer',
          version: job.version,
          startedAt: job.startedAt,
        },
      }),
    );
  }

  async completePage(
    version: number,
    from: string | null,
    page: { cursor: string | null; scanned: number; rescored: number; changed: number },
    at: string,
  ): Promise<boolean> {
    const done = page.cursor === null;
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rescoreJobKey(version),
          UpdateExpression: `ADD pages :one, scanned :scanned, rescored :rescored, changed :changed SET #cursor = :next, #status = :status${done ? ', finishedAt = :at' : ''}`,
          ConditionExpression: '#cursor = :from AND #status = :running',
          ExpressionAttributeNames: { '#cursor': 'cursor', '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':scanned': page.scanned,
            ':rescored': page.rescored,
            ':changed': page.changed,
            ':next': page.cursor,
            ':from': from,
            ':running': 'running',
            ':status': done ? 'done' : 'running',
            ...(done ? { ':at': at } : {}),
          },
        }),
      ),
    );
  }

  async finish(version: number, status: 'superseded', at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rescoreJobKey(version),
        UpdateExpression: 'SET #status = :status, finishedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':at': at },
      }),
    );
  }
}

function strip(item: Record<string, unknown>): RescoreProgress {
  const { pk: _pk, sk: _sk, entity: _entity, ...job } = item;
  return job as unknown as RescoreProgress;
}
