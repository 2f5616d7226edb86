import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AdLeadJob } from '../core/webhooks/ports';
import { processAdLeadJob } from '../core/webhooks/receive';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { countLeadCaptured } from '../shared/observability/metrics';
import { webhookDeps } from '../shared/wiring/webhooks';
import '../shared/identity';

const deps = webhookDeps();
const processor = new BatchProcessor(EventType.SQS);

async function adLead(record: SQSRecord): Promise<void> {
  const job = JSON.parse(record.body) as AdLeadJob;
  const result = await processAdLeadJob(deps, job);
  logger.info(result.skipped ? 'ad lead skipped: deleted on the platform' : 'ad lead captured', {
    provider: job.provider,
    deliveryId: job.deliveryId,
    leadId: result.leadId,
    duplicate: result.duplicate,
  });
  if (result.leadId && !result.skipped && !result.duplicate) countLeadCaptured(job.provider);
}

/** SQS ad-leads: fetch each lead from its platform (Meta Graph API, LinkedIn Lead Sync) and capture it; a failed fetch retries alone, then the DLQ. */
export const handler = eventHandler(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, adLead, processor, { context }),
);
