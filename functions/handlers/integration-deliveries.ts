import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliverMessage } from '../core/integrations/deliver';
import { parseDeliveryMessage } from '../core/integrations/delivery-message';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { count } from '../shared/observability/metrics';
import { deliveryDeps } from '../shared/wiring/integrations';

const deps = deliveryDeps();
const processor = new BatchProcessor(EventType.SQS);

/** One (event, destination) attempt; ids and outcomes only in the logs, never a payload. */
async function deliverRecord(record: SQSRecord): Promise<void> {
  const message = parseDeliveryMessage(record.body);
  if (!message) {
    logger.warn('integration delivery: not a delivery message, dropped', { messageId: record.messageId });
    return;
  }
  const outcome = await deliverMessage(deps, message);
  const summary = typeof outcome === 'string' ? outcome : `stopped_${outcome.stopped}`;
  if (typeof outcome !== 'string') {
    // The operators' alarm watches this metric (infra): an endpoint stopped taking deliveries.
    count('WebhookEndpointStopped', 1);
    logger.warn('integration delivery: destination stopped', {
      destinationId: message.destinationId,
      summary,
    });
  }
  if (summary === 'dead_lettered') count('IntegrationDeliveriesDeadLettered', 1);
  logger.info('integration delivery', {
    eventId: message.event.id,
    eventType: message.event.type,
    destinationId: message.destinationId,
    attempt: message.attempt,
    outcome: summary,
  });
}

/**
 * SQS integration-deliveries: one delivery attempt per message. A retry is queued again by the
 * core with its own delay (so the message is done here); an error (table, queue) fails just that
 * record (partial batch response) and SQS tries it again, then its DLQ.
 */
export const handler = eventHandler(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, deliverRecord, processor, { context }),
);
