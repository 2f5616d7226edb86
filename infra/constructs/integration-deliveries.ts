import type { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CONSUMER_TIMEOUT } from '../stacks/consumer-timeouts';
import { LeadflowQueue } from './leadflow-queue';

/**
 * integration-deliveries: one message per (event, destination), consumed by the delivery worker,
 * which queues its own retries with a delay and parks used-up ones on the DLQ (the alarm tells
 * operators; `leadflow webhooks redeliver` and the retry route replay them). A message the worker
 * fails on outright (a table error) comes back up to 5 times, then lands on the DLQ too.
 */
export class IntegrationDeliveries extends Construct {
  readonly queue: LeadflowQueue;

  constructor(scope: Construct, id: string, props: { removalPolicy?: RemovalPolicy } = {}) {
    super(scope, id);
    this.queue = new LeadflowQueue(this, 'Queue', {
      name: 'integration-deliveries',
      consumerTimeout: CONSUMER_TIMEOUT['integration-deliveries'],
      ...(props.removalPolicy !== undefined && { removalPolicy: props.removalPolicy }),
    });
  }
}
