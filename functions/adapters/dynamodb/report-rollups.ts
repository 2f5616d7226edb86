import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RollupStore } from '../../core/reports/ports';
import type { Increment, ReportId, RollupRow } from '../../core/reports/report';
import { conditionally } from './conditional';
import {
  COUNT_PREFIX,
  CURSOR_PK,
  fromRollupItem,
  highWaterMark,
  monthsOf,
  onceKey,
  rollupKey,
  rollupPk,
} from './report-item';

/** Rollup rows and once-key markers: one conditional UpdateItem each, no transaction. */
export class DynamoRollupStore implements RollupStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(shard: number, seq: number, increment: Increment): Promise<void> {
    const names: Record<string, string> = { '#b': highWaterMark(shard) };
    const values: Record<string, unknown> = { ':seq': seq, ':day': increment.day, ':dims': increment.dims };
    const adds = Object.entries(increment.counts).map(([name, value], i) => {
      names[`#c${i}`] = `${COUNT_PREFIX}${name}`;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    const set = 'SET #b = :seq, #day = :day, #dims = :dims, entity = :entity';
    names['#day'] = 'day';
    names['#dims'] = 'dims';
    values[':entity'] = 'rollup';
    // Condition: this shard's batch `seq` was not applied here yet (a re-applied batch adds nothing).
    await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rollupKey(increment),
          UpdateExpression: adds.length > 0 ? `${set} ADD ${adds.join(', ')}` : set,
          ConditionExpression: 'attribute_not_exists(#b) OR #b < :seq',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  claimOnce(key: string, owner: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: onceKey(key),
          UpdateExpression: 'SET #owner = :owner, entity = :entity',
          ConditionExpression: 'attribute_not_exists(#owner) OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':entity': 'report_once' },
        }),
      ),
    );
  }

  /** One Query per month the range touches (sk between the first and the last day). */
  async read(report: ReportId, from: string, to: string): Promise<RollupRow[]> {
    const rows: RollupRow[] = [];
    for (const month of monthsOf(from, to)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': rollupPk(report, month),
              ':from': from,
              ':to': `${to}#\uffff`,
            },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) rows.push(fromRollupItem(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return rows;
  }

  /** The oldest of the shards' last runs: everything before it is counted (one Query of the cursors). */
  async freshAsOf(): Promise<string | null> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': CURSOR_PK },
        ProjectionExpression: 'checkedAt',
      }),
    );
    const times = (Items ?? [])
      .map((item) => item.checkedAt)
      .filter((at): at is string => typeof at === 'string');
    return times.length === 0 ? null : (times.sort()[0] ?? null);
  }
}
