import { Duration } from 'aws-cdk-lib';
import type { QUEUE_CONSUMERS } from '../../functions/shared/routes';

export type QueueName = (typeof QUEUE_CONSUMERS)[number]['queue'];

/**
 * How long each queue-driven function may run. The service stack sets it on the function and the
 * stateful stack derives the queue's visibility timeout from it, so the two cannot drift apart.
 */
export const CONSUMER_TIMEOUT: Record<QueueName, Duration> = {
  // One page of leads, each rebuilt from its timeline and written back.
  'rescore-jobs': Duration.seconds(60),
  // Up to five leads, fetched from the platform in parallel (each fetch gives up after 5 s) and captured.
  'ad-leads': Duration.seconds(30),
  // One lead per job: a few rounds of DynamoDB reads and conditional writes around each e-mail it renders
  // and sends (an SES call takes ~100 ms). Or one page of a broadcast: 100 leads from the leads index, then a read,
  // a suppression read and a conditional write per recipient, one after another (no SES call).
  // Seconds in practice; the margin covers a slow SES or table.
  'email-jobs': Duration.seconds(60),
  // One whole background export: pages of 100 rows from a list index (~20 ms each), then one S3 put.
  // 100,000 leads are 1,000 pages: well under a minute; five leave room for a slow table.
  'lead-exports': Duration.minutes(5),
  // One page of an import: 500 rows, each a suppression read and a lead read plus (when it changes
  // anything) a lead write and a timeline entry, eight people at a time: ~10 s on the local stack.
  'lead-imports': Duration.minutes(2),
  // Up to five deliveries at once, each a POST that gives up after 10 s, plus a few table writes.
  'integration-deliveries': Duration.seconds(60),
};
