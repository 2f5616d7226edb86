import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { markSuppressionsIndexed } from '../adapters/dynamodb/suppression-store';
import { keyAttributes, TABLE_DEFINITION } from '../shared/table-definition';

/** The table of functions/shared/table-definition.ts, as the stateful stack creates it on AWS (no TTL: the emulator has none). */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, globalSecondaryIndexes } = TABLE_DEFINITION;
  let created = true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributes().map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: index.projection,
            ...(index.nonKeyAttributes ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
          },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  for (let i = 0; i < 50; i += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') {
      // A new table's suppression list is in its index from the first entry (a kept one: after reindex).
      if (created) await markSuppressionsIndexed(DynamoDBDocumentClient.from(client), tableName);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Table ${tableName} did not become active`);
}

/** The queues of the design, each with its dead-letter queue, as on AWS. */
export async function createQueues(client: SQSClient, prefix: string): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const [name, fifo] of [
    ['email-jobs', false],
    ['hot-leads', true],
    ['rescore-jobs', false],
    ['ad-leads', false],
    ['lead-exports', false],
    ['lead-imports', false],
    ['integration-deliveries', false],
  ] as const) {
    const suffix = fifo ? '.fifo' : '';
    const fifoAttrs: Record<string, string> = fifo ? { FifoQueue: 'true' } : {};
    const dlq = await client.send(
      new CreateQueueCommand({ QueueName: `${prefix}${name}-dlq${suffix}`, Attributes: fifoAttrs }),
    );
    const dlqArn = `arn:aws:sqs:us-east-1:123456789012:${prefix}${name}-dlq${suffix}`;
    const queue = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}${name}${suffix}`,
        Attributes: {
          ...fifoAttrs,
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }),
          // A failed platform fetch comes back soon locally; on AWS the visibility follows the function timeout.
          ...(name === 'ad-leads' ? { VisibilityTimeout: '2' } : {}),
        },
      }),
    );
    urls[name] = queue.QueueUrl ?? '';
    urls[`${name}-dlq`] = dlq.QueueUrl ?? '';
  }
  return urls;
}
