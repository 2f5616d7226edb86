import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

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

export interface TableBinding {
  /** Exactly the actions the function calls; nothing is implied. */
  readonly actions: readonly TableAction[];
  /**
   * GSIs the function queries: the actions are also granted on `<table arn>/index/<name>` for each.
   * Named rather than `index/*`, so a function reaches only the indexes it uses (and cdk-nag has
   * no wildcard to flag).
   * @default - no index access
   */
  readonly indexes?: readonly string[];
}

/**
 * Binds a function to the table in one call: sets `LEADFLOW_TABLE_NAME` and grants exactly
 * `binding.actions` on the table ARN (and on the named indexes only). Unlike
 * `table.grantReadWriteData`, this never hands out Scan, DeleteItem or batch writes unasked.
 */
export function bindTable(fn: lambda.Function, table: dynamodb.ITable, binding: TableBinding): void {
  const actions = [...new Set(binding.actions)];
  if (actions.length === 0) {
    throw new Error(`bindTable(${fn.node.path}): list the DynamoDB actions the function needs`);
  }
  fn.addEnvironment(TABLE_NAME_ENV, table.tableName);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: actions.map((action) => `dynamodb:${action}`),
      resources: [
        table.tableArn,
        ...(binding.indexes ?? []).map((index) => `${table.tableArn}/index/${index}`),
      ],
    }),
  );
  // Only a customer-managed key needs a grant; AWS-managed encryption is transparent to callers.
  if (table.encryptionKey) {
    if (actions.every((action) => READ_ACTIONS.has(action))) table.encryptionKey.grantDecrypt(fn);
    else table.encryptionKey.grantEncryptDecrypt(fn);
  }
}
