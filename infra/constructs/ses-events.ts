import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './dead-letter-alarm';
import { resourceName } from './names';

/**
 * What SES publishes about each e-mail Leadflow sends: bounces and complaints suppress the address,
 * deliveries, opens and clicks are engagement (a click can make a lead hot), sends, rejects and delays
 * complete the timeline. Rendering failures cannot happen (Leadflow renders its own templates) and
 * subscription events belong to SES-managed subscription lists, which Leadflow does not use.
 */
export const SES_EVENTS = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.DELIVERY_DELAY,
  ses.EmailSendingEvent.OPEN,
  ses.EmailSendingEvent.CLICK,
] as const;

export interface SesEventsProps {
  /** The SES configuration set every Leadflow e-mail is sent with. */
  readonly configurationSetName: string;
  /**
   * What happens to the dead-letter queue, and the events on it, when it leaves the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * SES event publishing: the configuration set Leadflow sends with, and the SNS topic (`leadflow-<stage>-ses-events`)
 * it publishes the SES_EVENTS of every e-mail to. The topic is TLS-only; its policy (which replaces
 * SNS's default one) lets SES publish for this account and this configuration set only (no confused
 * deputy): the event destination adds that statement itself.
 *
 * Beside them, `leadflow-<stage>-ses-events-dlq`: the consumer of the topic parks here what could not be
 * delivered to it, or what it failed on, so a bounce or complaint is never lost. It lives here, not
 * with the consumer, so those events survive a redeploy of the functions.
 */
export class SesEvents extends Construct {
  readonly topic: sns.Topic;
  readonly configurationSet: ses.ConfigurationSet;
  readonly eventDestination: ses.ConfigurationSetEventDestination;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SesEventsProps) {
    super(scope, id);
    // SES allows letters, digits, _ and -, at most 64 characters.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.configurationSetName)) {
      throw new Error(
        `SesEvents configurationSetName must be 1 to 64 letters, digits, _ or -, got "${props.configurationSetName}"`,
      );
    }
    const prefix = resourceName(this, 'ses-events');

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: prefix,
      displayName: 'Leadflow SES events',
      enforceSSL: true,
    });

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
    });
    // Also adds the topic policy statement for ses.amazonaws.com, conditioned on this account
    // (aws:SourceAccount) and this configuration set (aws:SourceArn), and waits for it.
    this.eventDestination = new ses.ConfigurationSetEventDestination(this, 'EventDestination', {
      configurationSet: this.configurationSet,
      configurationSetEventDestinationName: 'ses-events',
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [...SES_EVENTS],
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${prefix}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of the SNS subscription that feeds SES events to the ' +
        'ses-events function (RedrivePolicy on the AWS::SNS::Subscription) and the on-failure destination of ' +
        "that function's asynchronous invocations, both in the service stack. cdk-nag only recognises SQS " +
        'redrive policies and Lambda DeadLetterConfig in the same stack; a DLQ of a DLQ would only move ' +
        'the question one queue further.',
    });

    // No alarm action yet, like the rescore-jobs and ad-leads DLQs: the operators topic comes later.
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `Leadflow: SES events on ${prefix}-dlq that the ses-events function never processed (bounces and complaints among them are not suppressed yet)`,
    );
  }
}
