import type { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { forEachShardPage, type ShardQuery } from '../../functions/adapters/dynamodb/sharded-query';

type Item = Record<string, unknown>;

/**
 * An index in memory, its pages by shard partition: a Query answers the page its ExclusiveStartKey
 * names (`{ page: n }`) with the next one's as LastEvaluatedKey, and is recorded as asked.
 */
function index(pages: Record<string, Item[][]>, failing?: string) {
  const asked: { shard: string; input: QueryCommand['input'] }[] = [];
  const db = {
    async send(command: QueryCommand) {
      const shard = String(command.input.ExpressionAttributeValues?.[':shard']);
      asked.push({ shard, input: command.input });
      if (shard === failing) throw new Error(`${shard} is throttled`);
      const n = Number(command.input.ExclusiveStartKey?.page ?? 0);
      const shardPages = pages[shard] ?? [[]];
      return {
        Items: shardPages[n],
        LastEvaluatedKey: n + 1 < shardPages.length ? { page: n + 1 } : undefined,
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, asked };
}

const shard = (partition: string): ShardQuery => ({
  TableName: 'leadflow',
  IndexName: 'gsi13',
  KeyConditionExpression: 'gsi13pk = :shard',
  ExpressionAttributeValues: { ':shard': partition },
  ProjectionExpression: 'gsi13sk',
});
const entries = (...names: string[]) => names.map((name) => ({ gsi13sk: name }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('every page of each shard of an index', () => {
  it("reads every page of each shard, a shard's pages in order by ExclusiveStartKey, each Query as given", async () => {
    const { db, asked } = index({
      'SUPPRESSED#0': [entries('a1', 'a2'), entries('a3'), entries('a4')],
      'SUPPRESSED#1': [entries('b1')],
      'SUPPRESSED#2': [[]],
    });
    const read: string[] = [];

    const whole = await forEachShardPage(
      db,
      [shard('SUPPRESSED#0'), shard('SUPPRESSED#1'), shard('SUPPRESSED#2')],
      (items) => {
        for (const item of items) read.push(String(item.gsi13sk));
      },
    );

    expect(whole).toBe(true);
    expect(read.filter((name) => name.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(read.sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(asked.filter((query) => query.shard === 'SUPPRESSED#0').map((query) => query.input)).toEqual([
      { ...shard('SUPPRESSED#0'), ExclusiveStartKey: undefined },
      { ...shard('SUPPRESSED#0'), ExclusiveStartKey: { page: 1 } },
      { ...shard('SUPPRESSED#0'), ExclusiveStartKey: { page: 2 } },
    ]);
    expect(asked).toHaveLength(5);
  });

  it("asks every shard's first page at once, and a shard's next page only once onPage is done with the last", async () => {
    const { db, asked } = index({
      'LEADS#0': [entries('a1'), entries('a2')],
      'LEADS#1': [entries('b1'), entries('b2')],
    });
    const held: (() => void)[] = [];

    const reading = forEachShardPage(
      db,
      [shard('LEADS#0'), shard('LEADS#1')],
      () => new Promise<void>((done) => void held.push(done)),
    );
    await tick();
    const whileHeld = asked.map((query) => query.input.ExclusiveStartKey);
    for (const done of held.splice(0)) done();
    await tick();
    for (const done of held.splice(0)) done();

    expect(whileHeld).toEqual([undefined, undefined]);
    expect(await reading).toBe(true);
    expect(asked).toHaveLength(4);
  });

  it('stops a shard before its next page once more() says no, and answers false', async () => {
    const { db, asked } = index({ 'LEADS#0': [entries('a1', 'a2'), entries('a3')] });
    const read: Item[] = [];

    const stopped = await forEachShardPage(
      db,
      [shard('LEADS#0')],
      (items) => void read.push(...items),
      () => read.length < 2,
    );
    const never = await forEachShardPage(
      db,
      [shard('LEADS#0')],
      () => {},
      () => false,
    );

    expect(stopped).toBe(false);
    expect(read).toEqual(entries('a1', 'a2'));
    expect(never).toBe(false);
    expect(asked).toHaveLength(1);
  });

  it('rejects with the first failed Query', async () => {
    const { db } = index({ 'LEADS#0': [entries('a1')] }, 'LEADS#1');

    await expect(forEachShardPage(db, [shard('LEADS#0'), shard('LEADS#1')], () => {})).rejects.toThrow(
      'LEADS#1 is throttled',
    );
  });
});
