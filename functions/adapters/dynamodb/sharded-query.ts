import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
/** One shard's Query as its reader asks it (partition, projection, filter); paging is added here. */
export type ShardQuery = Omit<QueryCommandInput, 'ExclusiveStartKey'>;

/**
 * Every page of each shard of an index: the shards in parallel, each shard's pages in order (its
 * next page asked for only once `onPage` is done with this one). `more()` is asked before each
 * page, the first too: false stops that shard, and the answer is then false (not every page was
 * read). The first failed Query or `onPage` rejects it, as Promise.all does.
 */
export async function forEachShardPage(
  db: DynamoDBDocumentClient,
  shards: readonly ShardQuery[],
  onPage: (items: Item[]) => Promise<void> | void,
  more: () => boolean = () => true,
): Promise<boolean> {
  const read = await Promise.all(shards.map((shard) => everyPage(db, shard, onPage, more)));
  return read.every(Boolean);
}

/** One shard, page after page by ExclusiveStartKey; false when `more()` stopped it before its last page. */
async function everyPage(
  db: DynamoDBDocumentClient,
  shard: ShardQuery,
  onPage: (items: Item[]) => Promise<void> | void,
  more: () => boolean,
): Promise<boolean> {
  let start: Item | undefined;
  do {
    if (!more()) return false;
    const page: QueryCommandOutput = await db.send(new QueryCommand({ ...shard, ExclusiveStartKey: start }));
    await onPage(page.Items ?? []);
    start = page.LastEvaluatedKey;
  } while (start);
  return true;
}
