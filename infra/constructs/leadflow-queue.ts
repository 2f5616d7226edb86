import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './dead-letter-alarm';

export interface LeadflowQueueProps {
  /**
   * Timeout of the function that consumes the queue. The visibility timeout is six times it (AWS's
   * advice for Lambda event sources), so a message is not redelivered while a retried batch still runs.
   */
  readonly consumerTimeout: Duration;
  /** Deliveries before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
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

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    // No alarm action yet: the operators' SNS topic comes with a later issue and is wired here then.
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `Leadflow: messages on the dead-letter queue of ${this.node.path}`,
    );
  }
}
