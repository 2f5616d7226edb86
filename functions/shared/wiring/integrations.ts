import { DynamoDeliveryLog } from '../../adapters/dynamodb/delivery-log-store';
import { REPORT_SHARDS } from '../../adapters/dynamodb/lead-item';
import { DynamoUnpublishedEntries } from '../../adapters/dynamodb/unpublished-entries';
import { DynamoWebhookEndpoints } from '../../adapters/dynamodb/webhook-endpoint-store';
import { NodeWebhookTransport } from '../../adapters/http/webhook-transport';
import { SqsDeliveryQueue } from '../../adapters/sqs/integration-delivery-queue';
import type { DeliverDeps } from '../../core/integrations/deliver';
import type { Destination } from '../../core/integrations/destination';
import { Destinations } from '../../core/integrations/directory';
import type { IntegrationEvent } from '../../core/integrations/events';
import type { LeadsAtDelivery } from '../../core/integrations/ports';
import {
  type FanOutDeps,
  type PublishDeps,
  type PublishOptions,
  publishEvent,
} from '../../core/integrations/publish';
import type { EndpointDeps } from '../../core/integrations/webhook-endpoints';
import { dynamo } from '../aws/dynamodb';
import { sqs } from '../aws/sqs';
import { queueUrl, webhooksConfig } from '../config';
import { connectorDestinations } from './connectors';
import { clock, leadStore, tableName } from './kernel';

/** The queue every (event, destination) delivery travels on, and its DLQ. */
export const DELIVERY_QUEUE = 'integration-deliveries';

/** Events per shard per tick run: 100 entries a read, 10 reads (4,000 entries a minute). */
export const PUBLISH_OPTIONS: PublishOptions = { shards: REPORT_SHARDS, batchSize: 100, maxBatches: 10 };

export const deliveryQueue = () =>
  new SqsDeliveryQueue(sqs, queueUrl(DELIVERY_QUEUE), () => queueUrl(`${DELIVERY_QUEUE}-dlq`));
export const webhookEndpoints = () => new DynamoWebhookEndpoints(dynamo, tableName());
const urlPolicy = () => ({ allowLocalHttp: webhooksConfig().allowLocalHttp });

/**
 * Every destination events go to: the webhook endpoints, and the connectors
 * config/integrations.yaml enables (Slack, HubSpot).
 */
export function destinations(others: readonly Destination[] = connectorDestinations()): Destinations {
  return new Destinations(webhookEndpoints(), new NodeWebhookTransport(), urlPolicy(), clock, others);
}

/** tick's publisher: timeline entries not yet published → one message per event and destination. */
export function publisherDeps(): PublishDeps {
  return {
    entries: new DynamoUnpublishedEntries(dynamo, tableName()),
    destinations: destinations(),
    queue: deliveryQueue(),
    clock,
  };
}

/** The fan-out alone, for events that are not on a timeline (erase, SLA watcher). */
export function fanOutDeps(): FanOutDeps {
  return { destinations: destinations(), queue: deliveryQueue(), clock };
}

/** Sends one event to every active destination accepting it (lead.erased, lead.sla_breached). */
export const eventPublisher = () => {
  const deps = fanOutDeps();
  return (event: IntegrationEvent) => publishEvent(deps, event);
};

/** `lead.erased`: its id is the same on a retry of the erase (the lead's erase start). */
export const erasedEvent = (leadId: string, erasingSince: string): IntegrationEvent => ({
  id: `evt_${leadId}.lead.erased.${Date.parse(erasingSince)}`,
  type: 'lead.erased',
  occurredAt: erasingSince,
  leadId,
  data: {},
});

/** The lead as a delivery reads it: nothing once it is gone or being erased. */
export function leadsAtDelivery(): LeadsAtDelivery {
  const leads = leadStore();
  return {
    async atDelivery(leadId) {
      const lead = await leads.load(leadId);
      return lead && !lead.erasing ? lead : undefined;
    },
  };
}

/** The integration-deliveries worker's ports. */
export function deliveryDeps(): DeliverDeps {
  const endpoints = webhookEndpoints();
  return {
    destinations: destinations(),
    leads: leadsAtDelivery(),
    queue: deliveryQueue(),
    log: new DynamoDeliveryLog(dynamo, tableName()),
    health: endpoints,
    clock,
    random: Math.random,
    retryBaseSeconds: webhooksConfig().retryBaseSeconds,
  };
}

/** The admin API's ports (endpoints, their log, replays, test pings). */
export function endpointDeps(): EndpointDeps {
  return {
    endpoints: webhookEndpoints(),
    log: new DynamoDeliveryLog(dynamo, tableName()),
    queue: deliveryQueue(),
    transport: new NodeWebhookTransport(),
    policy: urlPolicy(),
    clock,
  };
}
