import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { queueUrlEnv as sharedQueueUrlEnv } from '../../functions/shared/routes';

/** The variable the functions read the table name from (functions/shared config). */
export const TABLE_NAME_ENV = 'LEADFLOW_TABLE_NAME';

/** DynamoDB actions a function may be bound with, without the `dynamodb:` prefix. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'ConditionCheckItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem';

const READ_ACTIONS: ReadonlySet<TableAction> = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'ConditionCheckItem',
]);

/** The actions DynamoDB authorizes against an index ARN; every other action names the table. */
const INDEX_ACTIONS: ReadonlySet<TableAction> = new Set(['Query', 'Scan']);

export interface TableBinding {
  /** Exactly the actions the function calls; nothing is implied. */
  readonly actions: readonly TableAction[];
  /**
   * GSIs the function reads: the listed Query and Scan actions (the only ones an index serves) are
   * also granted on `<table arn>/index/<name>` for each; item actions stay on the table. Named
   * rather than `index/*`, so a function reaches only the indexes it uses (and cdk-nag has no
   * wildcard to flag).
   * @default - no index access
   */
  readonly indexes?: readonly string[];
}

/**
 * Binds a function to the table in one call: sets `LEADFLOW_TABLE_NAME` and grants exactly
 * `binding.actions` on the table ARN, and the listed Query/Scan on the named indexes only. Unlike
 * `table.grantReadWriteData`, this never hands out Scan, DeleteItem or batch writes unasked.
 */
export function bindTable(fn: lambda.Function, table: dynamodb.ITable, binding: TableBinding): void {
  const actions = [...new Set(binding.actions)];
  if (actions.length === 0) {
    throw new Error(`bindTable(${fn.node.path}): list the DynamoDB actions the function needs`);
  }
  const indexes = [...new Set(binding.indexes ?? [])];
  const indexActions = actions.filter((action) => INDEX_ACTIONS.has(action));
  if (indexes.length > 0 && indexActions.length === 0) {
    throw new Error(`bindTable(${fn.node.path}): an index is read with Query or Scan; list the one it uses`);
  }
  fn.addEnvironment(TABLE_NAME_ENV, table.tableName);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: actions.map((action) => `dynamodb:${action}`),
      resources: [table.tableArn],
    }),
  );
  if (indexes.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: indexActions.map((action) => `dynamodb:${action}`),
        resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
      }),
    );
  }
  // Only a customer-managed key needs a grant; AWS-managed encryption is transparent to callers.
  if (table.encryptionKey) {
    if (actions.every((action) => READ_ACTIONS.has(action))) table.encryptionKey.grantDecrypt(fn);
    else table.encryptionKey.grantEncryptDecrypt(fn);
  }
}

/** SQS actions a function may be bound with, without the `sqs:` prefix. */
export type QueueAction = 'SendMessage' | 'ReceiveMessage' | 'DeleteMessage' | 'ChangeMessageVisibility';

export interface QueueBinding {
  /** The queue's name in the product (`rescore-jobs`): it names the URL variable, as in the local stack. */
  readonly name: string;
  /**
   * Exactly the actions the function calls. A function that Lambda feeds from the queue needs none of
   * the receive actions: its `SqsEventSource` grants them.
   */
  readonly actions: readonly QueueAction[];
}

/** `rescore-jobs` -> `LEADFLOW_QUEUE_RESCORE_JOBS`, named by the same function the local stack uses. */
export function queueUrlEnv(name: string): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`queue name must be kebab-case like rescore-jobs, got "${name}"`);
  }
  return sharedQueueUrlEnv(name);
}

/**
 * Binds a function to a queue in one call: sets `LEADFLOW_QUEUE_<NAME>` to the queue URL and grants
 * exactly `binding.actions` on the queue ARN. Unlike `queue.grantSendMessages`, no GetQueueUrl or
 * GetQueueAttributes comes along: the function gets the URL from its environment.
 */
export function bindQueue(fn: lambda.Function, queue: sqs.IQueue, binding: QueueBinding): void {
  const actions = [...new Set(binding.actions)];
  if (actions.length === 0) {
    throw new Error(`bindQueue(${fn.node.path}): list the SQS actions the function needs`);
  }
  fn.addEnvironment(queueUrlEnv(binding.name), queue.queueUrl);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: actions.map((action) => `sqs:${action}`),
      resources: [queue.queueArn],
    }),
  );
  // Only a customer-managed key needs a grant: senders encrypt (data key) and readers decrypt.
  if (queue.encryptionMasterKey) {
    const kmsActions = actions.includes('SendMessage')
      ? ['kms:GenerateDataKey', 'kms:Decrypt']
      : actions.includes('ReceiveMessage')
        ? ['kms:Decrypt']
        : [];
    if (kmsActions.length > 0) queue.encryptionMasterKey.grant(fn, ...kmsActions);
  }
}
