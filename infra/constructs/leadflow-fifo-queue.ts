import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './dead-letter-alarm';
import { resourceName } from './names';

export interface LeadflowFifoQueueProps {
  /** The queue's name in the product (`hot-leads`): AWS names it `leadflow-<stage>-<name>.fifo`, its DLQ `leadflow-<stage>-<name>-dlq.fifo`. */
  readonly name: string;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** For receives that set none; consumers that claim messages set their own. @default 30 seconds */
  readonly visibilityTimeout?: Duration;
  /** Alarm when the oldest message on the queue is older than this. */
  readonly maxMessageAge: Duration;
  /** Notified when either alarm fires and when it clears. */
  readonly alarmTopic: sns.ITopic;
  /** What happens to both queues, and the messages on them, when they leave the stack. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A FIFO queue that an application (not a Lambda event source) consumes, with Leadflow's defaults:
 * a FIFO dead-letter queue, SQS-managed encryption, TLS-only access, fourteen days' retention on
 * both, and high-throughput FIFO (deduplication and throughput per message group: producers use one
 * group per entity and set the deduplication id themselves, so content-based deduplication is off).
 *
 * Its two alarms live here, beside the queue, rather than in the service stack where DESIGN.md puts
 * alarms: they watch this queue's own metrics, so they follow its lifecycle in the same stack, and
 * the topic they notify is stateful too (its subscriptions must outlive function deployments).
 */
export class LeadflowFifoQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly oldestMessageAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LeadflowFifoQueueProps) {
    super(scope, id);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.name)) {
      throw new Error(`LeadflowFifoQueue name must be kebab-case like hot-leads, got "${props.name}"`);
    }
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    // SQS accepts 1 to 1000 receives in a redrive policy.
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `LeadflowFifoQueue maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`,
      );
    }
    // Fixed names a CRM can find; the stage in them keeps stages in one account and region apart.
    const prefix = resourceName(this, props.name);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${prefix}-dlq.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${prefix}.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A message waits here until a consumer takes it, however long that is: as long as SQS allows.
      retentionPeriod: Duration.days(14),
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(30),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });

    const notify = new SnsAction(props.alarmTopic);
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `Leadflow: messages moved to ${prefix}-dlq.fifo after ${maxReceiveCount} receives; nobody will take them from there`,
      Duration.minutes(1),
    );
    // "Oldest non-deleted message": a received (claimed) message that is not yet deleted counts too.
    this.oldestMessageAlarm = new cloudwatch.Alarm(this, 'OldestMessageAlarm', {
      alarmDescription: `Leadflow: a message on ${prefix}.fifo is older than ${props.maxMessageAge.toHumanString()}`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: props.maxMessageAge.toSeconds(),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // An idle queue publishes nothing: nothing waits, so nothing is late.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.deadLetterAlarm, this.oldestMessageAlarm]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
