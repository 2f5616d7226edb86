import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { processDueSteps } from '../core/nurture/send-step';
import { logger } from '../shared/logger';
import { sendDeps } from '../shared/nurture-wiring';

const deps = sendDeps();
const processor = new BatchProcessor(EventType.SQS);
const LEAD_ID = /^ld_[0-9a-f]{24}$/;

async function emailJob(record: SQSRecord): Promise<void> {
  let leadId: unknown;
  try {
    leadId = (JSON.parse(record.body) as { leadId?: unknown }).leadId;
  } catch {
    leadId = undefined;
  }
  if (typeof leadId !== 'string' || !LEAD_ID.test(leadId)) {
    // A retry would not fix it: log (no content) and drop it.
    logger.warn('email job skipped: malformed', { messageId: record.messageId });
    return;
  }
  const tally = await processDueSteps(deps, leadId);
  logger.info('email job', { leadId, ...tally });
}

/**
 * SQS email-jobs: one job per lead with due steps (queued by tick). Partial batch responses:
 * a job that fails (a store error) is retried alone, then goes to the DLQ; its steps stay due
 * and claimed steps are never re-sent.
 */
export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, emailJob, processor, { context });
