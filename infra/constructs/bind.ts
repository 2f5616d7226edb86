import { Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SnsEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  SES_CONFIGURATION_SET_ENV,
  SES_TRANSACTIONAL_CONFIGURATION_SET_ENV,
  queueUrlEnv as sharedQueueUrlEnv,
  TABLE_NAME_ENV,
} from '../../functions/shared/env-names';
import { LEADS_INDEX } from '../../functions/shared/table-definition';

// The variables bind* sets, named once in functions/shared/env-names.ts (the functions read them there).
export {
  SES_CONFIGURATION_SET_ENV,
  SES_TRANSACTIONAL_CONFIGURATION_SET_ENV,
  SIGNING_SECRETS_ARN_ENV,
  TABLE_NAME_ENV,
  WEBHOOK_SECRETS_ARN_ENV,
} from '../../functions/shared/env-names';

/**
 * DynamoDB actions a function may be bound with, without the `dynamodb:` prefix. No Scan: the
 * table holds every lead's timeline, deliveries, tokens and suppressions; a job over every lead
 * pages the leads index (`pagesLeads`).
 */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'ConditionCheckItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem';

const READ_ACTIONS: ReadonlySet<TableAction> = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'ConditionCheckItem',
]);

/** The actions DynamoDB authorizes against an index ARN: an index serves reads of these two kinds only. */
export type IndexAction = 'Query' | 'Scan';

export interface TableBinding {
  /**
   * Exactly the actions the function calls on the table itself (items, and Query of the base
   * table); nothing is implied, and nothing here reaches an index.
   * @default - none: the function only reads `indexes`
   */
  readonly actions?: readonly TableAction[];
  /**
   * GSIs the function reads, each with exactly the actions it calls on it, granted on
   * `<table arn>/index/<name>`. Named rather than `index/*`, so a function reaches only the indexes
   * it uses (and cdk-nag has no wildcard to flag); a Query of an index grants no Query of the table.
   * @default - no index access
   */
  readonly indexes?: Readonly<Record<string, readonly IndexAction[]>>;
  /**
   * The function pages through every lead (broadcasts, backtests, rescores: lead-pages.ts): grants
   * what those pages call, Query on the leads index and BatchGetItem on the table, never a Scan.
   * @default false
   */
  readonly pagesLeads?: boolean;
}

/** What lead pages (functions/adapters/dynamodb/lead-pages.ts) call: the leads index, then the lead items. */
const LEAD_PAGES: { actions: TableAction[]; indexes: Record<string, IndexAction[]> } = {
  actions: ['BatchGetItem'],
  indexes: { [LEADS_INDEX]: ['Query'] },
};

/**
 * Binds a function to the table in one call: sets `LEADFLOW_TABLE_NAME` and grants exactly
 * `binding.actions` on the table ARN, and each index's actions on that index only. Unlike
 * `table.grantReadWriteData`, this never hands out Scan of the table, nor DeleteItem or batch writes unasked.
 */
export function bindTable(fn: lambda.Function, table: dynamodb.ITable, binding: TableBinding): void {
  const pages = binding.pagesLeads ? LEAD_PAGES : undefined;
  const actions = [...new Set([...(binding.actions ?? []), ...(pages?.actions ?? [])])];
  const byIndex = new Map<string, IndexAction[]>();
  for (const [name, indexActions] of [
    ...Object.entries(binding.indexes ?? {}),
    ...Object.entries(pages?.indexes ?? {}),
  ]) {
    byIndex.set(name, [...new Set([...(byIndex.get(name) ?? []), ...indexActions])]);
  }
  const indexes = [...byIndex];
  for (const [name, indexActions] of indexes) {
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
      throw new Error(`bindTable(${fn.node.path}): "${name}" is not a DynamoDB index name`);
    }
    if (indexActions.length === 0) {
      throw new Error(
        `bindTable(${fn.node.path}): index ${name} is read with Query or Scan; list the one it uses`,
      );
    }
  }
  if (actions.length === 0 && indexes.length === 0) {
    throw new Error(`bindTable(${fn.node.path}): list the DynamoDB actions the function needs`);
  }
  fn.addEnvironment(TABLE_NAME_ENV, table.tableName);
  if (actions.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
      }),
    );
  }
  // One statement per set of actions: indexes read the same way share it.
  const byActions = new Map<string, string[]>();
  for (const [name, indexActions] of indexes) {
    const key = indexActions.map((action) => `dynamodb:${action}`).join(',');
    byActions.set(key, [...(byActions.get(key) ?? []), `${table.tableArn}/index/${name}`]);
  }
  for (const [key, resources] of byActions) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: key.split(','), resources }));
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

export interface QueueConsumerBinding {
  /** The queue's name in the product (`ad-leads`): it names the URL variable, as in bindQueue. */
  readonly name: string;
  /** Messages per invocation (SQS allows 1 to 10 without a batching window). */
  readonly batchSize: number;
  /** Invocations the queue may run at once (Lambda allows 2 to 1000). */
  readonly maxConcurrency: number;
}

/**
 * Makes a function the Lambda consumer of a queue in one call: sets `LEADFLOW_QUEUE_<NAME>` (the
 * shared wiring reads it at cold start, even in a function that never sends) and adds the event
 * source, which grants receive, delete and visibility changes on this queue only. Partial batch
 * responses are always on: one bad record is retried alone, not with its whole batch.
 */
export function bindQueueConsumer(
  fn: lambda.Function,
  queue: sqs.IQueue,
  binding: QueueConsumerBinding,
): void {
  fn.addEnvironment(queueUrlEnv(binding.name), queue.queueUrl);
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: binding.batchSize,
      maxConcurrency: binding.maxConcurrency,
      reportBatchItemFailures: true,
    }),
  );
}

export interface TopicConsumerBinding {
  /**
   * Where what the function never processed goes: messages SNS could not deliver to it (the
   * subscription's redrive policy) and events it still failed on after Lambda's retries (the
   * on-failure destination of its asynchronous invocations).
   */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Makes a function the consumer of an SNS topic in one call, losing nothing: subscribes it (the event
 * source lets this topic alone invoke it) with the dead-letter queue as the subscription's redrive
 * target, and sends an event the function still fails on after Lambda's two retries to the same queue.
 * The subscription's DLQ alone would miss those: SNS hands the event to Lambda asynchronously and counts
 * it delivered once Lambda accepts it. The role gets sqs:SendMessage on that queue, nothing more.
 */
export function bindTopicConsumer(
  fn: lambda.Function,
  topic: sns.ITopic,
  binding: TopicConsumerBinding,
): void {
  const { deadLetterQueue } = binding;
  fn.addEventSource(new SnsEventSource(topic, { deadLetterQueue }));
  fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new QueueOnFailure(deadLetterQueue) });
}

/**
 * An on-failure destination that grants only what Lambda needs to deliver there: sqs:SendMessage on the
 * queue (SqsDestination's grantSendMessages adds GetQueueAttributes and GetQueueUrl too).
 */
class QueueOnFailure implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    if (this.queue.encryptionMasterKey) {
      this.queue.encryptionMasterKey.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    return { destination: this.queue.queueArn };
  }
}

export interface SecretBinding {
  /** The variable the function reads the secret's ARN from, e.g. WEBHOOK_SECRETS_ARN_ENV. */
  readonly variable: string;
}

/**
 * Binds a function to a secret in one call: sets `binding.variable` to the secret's ARN and grants
 * `secretsmanager:GetSecretValue` on that secret only. Unlike `secret.grantRead`, no DescribeSecret
 * comes along: the function reads the value, nothing else.
 */
export function bindSecret(
  fn: lambda.Function,
  secret: secretsmanager.ISecret,
  binding: SecretBinding,
): void {
  if (!/^[A-Z][A-Z0-9_]*_ARN$/.test(binding.variable)) {
    throw new Error(
      `bindSecret(${fn.node.path}): the variable holds an ARN, name it like LEADFLOW_WEBHOOK_SECRETS_ARN, got "${binding.variable}"`,
    );
  }
  fn.addEnvironment(binding.variable, secret.secretArn);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      // A secret known by a partial ARN (no random suffix) is matched as Secrets Manager documents it.
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }),
  );
  // Only a customer-managed key needs a grant; the aws/secretsmanager key is transparent to callers.
  if (secret.encryptionKey) secret.encryptionKey.grantDecrypt(fn);
}

export interface EmailSendingBinding {
  /**
   * ARN of the SES identity the From address belongs to (`arn:<partition>:ses:<region>:<account>:identity/<domain or address>`):
   * SES checks ses:SendEmail against it.
   */
  readonly identityArn: string;
  /**
   * The configuration set of mail a person asked for (double opt-in confirmations), which the SES
   * pause leaves on: sets `LEADFLOW_SES_TRANSACTIONAL_CONFIGURATION_SET` and adds it to the grant.
   * @default - none: every e-mail goes through `configurationSet`
   */
  readonly transactionalConfigurationSet?: ses.IConfigurationSet;
}

/**
 * Lets a function send e-mail through SES in one call: sets `LEADFLOW_SES_CONFIGURATION_SET` to the
 * configuration set's name and grants `ses:SendEmail` (SES v2 SendEmail, Simple content) on exactly
 * the resources SES authorizes that call against: the sender identity and the configuration set named
 * in the request (the marketing one, and the transactional one when given). Not `ses:SendRawEmail`, not `identity/*`: the function cannot send as
 * another identity, or without the configuration set that publishes bounces and complaints.
 *
 * In the SES sandbox, SES also checks ses:SendEmail against each recipient's identity, so this grant
 * refuses every send until the account has production access: that is the fix, not a wider policy.
 */
export function bindEmailSending(
  fn: lambda.Function,
  configurationSet: ses.IConfigurationSet,
  binding: EmailSendingBinding,
): void {
  const { identityArn } = binding;
  if (!Token.isUnresolved(identityArn) && !/^arn:[^:]+:ses:[^:]*:[^:]*:identity\/[^/*]+$/.test(identityArn)) {
    throw new Error(
      `bindEmailSending(${fn.node.path}): identityArn must name one SES identity (arn:...:ses:<region>:<account>:identity/<name>), got "${identityArn}"`,
    );
  }
  fn.addEnvironment(SES_CONFIGURATION_SET_ENV, configurationSet.configurationSetName);
  const sets = [configurationSet];
  if (binding.transactionalConfigurationSet) {
    fn.addEnvironment(
      SES_TRANSACTIONAL_CONFIGURATION_SET_ENV,
      binding.transactionalConfigurationSet.configurationSetName,
    );
    sets.push(binding.transactionalConfigurationSet);
  }
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        identityArn,
        // AWS::SES::ConfigurationSet has no ARN attribute: built from its name, in the function's account and region.
        ...sets.map((set) =>
          Stack.of(fn).formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: set.configurationSetName,
          }),
        ),
      ],
    }),
  );
}

export interface BucketBinding {
  /** The variable the function reads the bucket's name from, e.g. EXPORTS_BUCKET_ENV. */
  readonly variable: string;
  /** S3 object actions without the `s3:` prefix: GetObject, PutObject. No List, no Delete unless named. */
  readonly actions: readonly ('GetObject' | 'PutObject' | 'DeleteObject')[];
  /** The key prefix the actions are limited to, e.g. `exports/`. */
  readonly prefix: string;
  /** How the keys under the prefix are made, for the acknowledgement. @default 'one object per export id' */
  readonly keys?: string;
}

/**
 * Binds a function to a bucket in one call: sets `binding.variable` to the bucket's name and grants
 * exactly `binding.actions` on the objects under `binding.prefix`. Unlike `bucket.grantReadWrite`, no
 * ListBucket, no wildcard actions (s3:GetObject*, s3:Abort*) and no other prefix come along.
 */
export function bindBucket(fn: lambda.Function, bucket: s3.IBucket, binding: BucketBinding): void {
  const actions = [...new Set(binding.actions)];
  if (actions.length === 0)
    throw new Error(`bindBucket(${fn.node.path}): list the S3 actions the function needs`);
  if (!/^[a-z0-9-]+\/$/.test(binding.prefix)) {
    throw new Error(
      `bindBucket(${fn.node.path}): a prefix is a folder like exports/, got "${binding.prefix}"`,
    );
  }
  fn.addEnvironment(binding.variable, bucket.bucketName);
  if (!fn.role) throw new Error(`bindBucket(${fn.node.path}): the function has no role`);
  // A policy of its own holding this statement alone, so the acknowledgement below covers nothing else.
  const policy = new iam.Policy(fn, `Bucket${binding.variable.replace(/[^A-Za-z0-9]/g, '')}`, {
    statements: [
      new iam.PolicyStatement({
        actions: actions.map((action) => `s3:${action}`),
        resources: [bucket.arnForObjects(`${binding.prefix}*`)],
      }),
    ],
  });
  policy.attachToRole(fn.role);
  const objects = nagName(Stack.of(fn).resolve(bucket.arnForObjects(`${binding.prefix}*`)));
  if (objects) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${objects}]`,
      reason:
        `The object keys under ${binding.prefix} are made per job at run time (${binding.keys ?? 'one object per export id'}), so the ` +
        `grant names the prefix: ${actions.join(', ')} on those objects of this one bucket, nothing else.`,
    });
  }
  // Only a customer-managed key needs a grant; SSE-S3 is transparent to callers.
  if (bucket.encryptionKey) {
    if (actions.includes('PutObject')) bucket.encryptionKey.grantEncrypt(fn);
    if (actions.includes('GetObject')) bucket.encryptionKey.grantDecrypt(fn);
  }
}

/** A resolved ARN as cdk-nag names it (`arn:<AWS::Partition>:s3:::name/*`), or undefined for other shapes. */
function nagName(resolved: unknown): string | undefined {
  if (typeof resolved === 'string') return resolved;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
  if (join?.[0] !== '') return undefined;
  const parts = join[1].map((part) =>
    typeof part === 'string'
      ? part
      : typeof (part as { Ref?: unknown }).Ref === 'string'
        ? `<${(part as { Ref: string }).Ref}>`
        : undefined,
  );
  return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
}
