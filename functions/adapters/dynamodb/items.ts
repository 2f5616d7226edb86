import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/**
 * Puts an item whose key must not exist yet: an id made twice fails (ConditionalCheckFailed)
 * instead of overwriting the first. `keyAttribute` is the key attribute the condition checks.
 */
export async function putNew(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Item,
  keyAttribute: 'pk' | 'sk' = 'pk',
): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: item,
      ConditionExpression: `attribute_not_exists(${keyAttribute})`,
    }),
  );
}

/** One item by its key, read consistently (a job or endpoint just written must be seen), or undefined. */
export async function getItem(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: Item,
): Promise<Item | undefined> {
  const { Item: found } = await db.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return found;
}

/** Every item a Query matches, page after page (the SDK's paginator follows LastEvaluatedKey). */
export async function queryEvery(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateQuery({ client: db }, input)) items.push(...(page.Items ?? []));
  return items;
}
