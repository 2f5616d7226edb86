import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { QUEUE_CONSUMERS, SCHEDULED, SNS_CONSUMERS } from '../../../functions/shared/routes';
import {
  bindQueueConsumer,
  bindTopicConsumer,
  type QueueConsumerBinding,
  type TopicConsumerBinding,
} from '../../constructs/bind';
import type { LeadflowFunction } from '../../constructs/leadflow-function';
import type { QueueName } from '../consumer-timeouts';
import type { ServiceContext } from './context';

export type ScheduledHandler = (typeof SCHEDULED)[number]['handler'];
type TopicName = (typeof SNS_CONSUMERS)[number]['topic'];

/** The functions that queues, topics and schedules invoke. */
export interface EventDrivenFunctions {
  readonly rescore: LeadflowFunction;
  readonly adLeads: LeadflowFunction;
  readonly sendEmail: LeadflowFunction;
  readonly sesEvents: LeadflowFunction;
  readonly tick: LeadflowFunction;
  readonly leadExport: LeadflowFunction;
  readonly leadImport: LeadflowFunction;
  readonly integrationDeliveries: LeadflowFunction;
}

/** Feeds the queue and topic consumers and schedules the scheduled handlers; returns the schedules. */
export function bindEventSources(
  { stack, props, emailSending }: ServiceContext,
  {
    rescore,
    adLeads,
    sendEmail,
    sesEvents,
    tick,
    leadExport,
    leadImport,
    integrationDeliveries,
  }: EventDrivenFunctions,
): Record<ScheduledHandler, events.Rule> {
  const {
    rescoreQueue,
    adLeadQueue,
    emailJobQueue,
    exportQueue,
    importQueue,
    deliveryQueue,
    sesEventsTopic,
    sesEventsDeadLetterQueue,
  } = props;
  // Queue consumers come from functions/shared/routes.ts, the table the local stack polls too. Each
  // event source grants receive, delete and visibility changes on its own queue only.
  const consumers: Record<QueueName, { fn: lambda.Function; queue: sqs.IQueue } & QueueConsumerBinding> = {
    // One page per invocation and at most two at once: a rescore of every lead trickles through
    // instead of taking the account's concurrency and a burst of table traffic away from capture.
    'rescore-jobs': {
      fn: rescore.function,
      queue: rescoreQueue,
      name: 'rescore-jobs',
      batchSize: 1,
      maxConcurrency: 2,
    },
    // Five leads a batch, five batches at once: a burst of Meta deliveries drains steadily without
    // hammering the Graph API's rate limits; a lead whose fetch fails is retried alone.
    'ad-leads': {
      fn: adLeads.function,
      queue: adLeadQueue,
      name: 'ad-leads',
      batchSize: 5,
      maxConcurrency: 5,
    },
    // The pace of nurture e-mail. With the defaults (five jobs per invocation run in turn, two
    // invocations at once) about two sends are in flight; each takes ~150 ms (SES ~100 ms, plus the lead's reads and conditional
    // writes), so ~13 a second at most: under SES's starting production rate of 14/s. The event
    // source's maximum concurrency holds that pace for queued jobs; an opt-in reservation holds it
    // whoever invokes the function. A send SES still throttles waits for the step's backoff (30 s,
    // doubling). Raise them together with the account's SES quota.
    'email-jobs': {
      fn: sendEmail.function,
      queue: emailJobQueue,
      name: 'email-jobs',
      batchSize: emailSending.batchSize,
      maxConcurrency: emailSending.maxConcurrency,
    },
    // One export per invocation, two at once: a burst of exports queues up instead of taking the
    // list indexes' read capacity away from the console.
    'lead-exports': {
      fn: leadExport.function,
      queue: exportQueue,
      name: 'lead-exports',
      batchSize: 1,
      maxConcurrency: 2,
    },
    // One page per invocation, pages one after another (each queues the next), at most two imports
    // at once: an import's table traffic stays a steady trickle beside capture's.
    'lead-imports': {
      fn: leadImport.function,
      queue: importQueue,
      name: 'lead-imports',
      batchSize: 1,
      maxConcurrency: 2,
    },
    // Five deliveries a batch (each its own record: a failure retries alone), ten batches at once: a
    // slow receiver (10 s each) holds up only its own batch.
    'integration-deliveries': {
      fn: integrationDeliveries.function,
      queue: deliveryQueue,
      name: 'integration-deliveries',
      batchSize: 5,
      maxConcurrency: 10,
    },
  };
  for (const { queue } of QUEUE_CONSUMERS) {
    const { fn, queue: consumed, ...binding } = consumers[queue];
    bindQueueConsumer(fn, consumed, binding);
  }

  // Topic consumers come from functions/shared/routes.ts too. Each subscription lets its topic alone
  // invoke the function; what it never processes lands on the dead-letter queue.
  const topicConsumers: Record<TopicName, { fn: lambda.Function; topic: sns.ITopic } & TopicConsumerBinding> =
    {
      'ses-events': {
        fn: sesEvents.function,
        topic: sesEventsTopic,
        deadLetterQueue: sesEventsDeadLetterQueue,
      },
    };
  for (const { topic } of SNS_CONSUMERS) {
    const { fn, topic: consumed, ...binding } = topicConsumers[topic];
    bindTopicConsumer(fn, consumed, binding);
  }

  // Schedules come from functions/shared/routes.ts, the table the local server runs too.
  const scheduled: Record<ScheduledHandler, LeadflowFunction> = { tick };
  return Object.fromEntries(
    SCHEDULED.map(({ handler }) => [
      handler,
      new events.Rule(stack, `${scheduled[handler].node.id}Schedule`, {
        description: `Leadflow: runs ${handler} every minute`,
        schedule: events.Schedule.rate(Duration.minutes(1)),
        // A run EventBridge could not invoke (throttled, a service error) is tried twice more within two
        // minutes; later, the next run does its work. What still fails is counted in FailedInvocations,
        // which an operations alarm watches.
        targets: [
          new targets.LambdaFunction(scheduled[handler].function, {
            retryAttempts: 2,
            maxEventAge: Duration.minutes(2),
          }),
        ],
      }),
    ]),
  ) as Record<ScheduledHandler, events.Rule>;
}
