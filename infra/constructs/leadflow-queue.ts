import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './dead-letter-alarm';
import { resourceName } from './names';

export interface LeadflowQueueProps {
  /** The queue's name in the product (`rescore-jobs`): AWS names it `leadflow-<stage>-<name>`, its DLQ `leadflow-<stage>-<name>-dlq`. */
  readonly name: string;
  /**
   * Timeout of the function that consumes the queue. The visibility timeout is six times it (AWS's
   * advice for Lambda event sources), so a message is not redelivered while a retried batch still runs.
   */
  readonly consumerTimeout: Duration;
  /** Deliveries before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** What happens to both queues, and the messages on them, when they leave the stack. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A standard queue with Leadflow's defaults: a dead-letter queue, SQS-managed encryption, TLS-only
 * access, four days' retention (fourteen on the DLQ, to leave time to look at failures), and an alarm
 * as soon as anything lands on the DLQ.
 */
export class LeadflowQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LeadflowQueueProps) {
    super(scope, id);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.name)) {
      throw new Error(`LeadflowQueue name must be kebab-case like rescore-jobs, got "${props.name}"`);
    }
    const name = resourceName(this, props.name);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${name}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: name,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
      removalPolicy,
    });

    // No alarm action yet: the operators' SNS topic comes with a later issue and is wired here then.
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `Leadflow: messages on ${name}-dlq (the dead-letter queue of ${name})`,
    );
  }
}
