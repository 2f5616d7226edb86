import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { processBroadcastPage } from '../core/nurture/broadcast';
import { readAhead, type SendReadAhead } from '../core/nurture/send-read-ahead';
import { processDueSteps } from '../core/nurture/send-step';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { broadcastDeps as broadcastPorts, parseEmailJob, sendDeps } from '../shared/wiring/nurture';
import '../shared/identity';

const deps = sendDeps();
// The next page of a broadcast goes back on this same queue.
const broadcastDeps = broadcastPorts();
const processor = new BatchProcessor(EventType.SQS);

async function emailJob(record: SQSRecord, ahead?: SendReadAhead): Promise<void> {
  const job = parseEmailJob(record.body);
  if (!job) {
    // A retry would not fix it: log (no content) and drop it.
    logger.warn('email job skipped: malformed', { messageId: record.messageId });
    return;
  }
  if (job.kind === 'broadcast') {
    const page = await processBroadcastPage(broadcastDeps, job.broadcastId, job.cursor);
    logger.info('broadcast page', { broadcastId: job.broadcastId, counted: page !== undefined, ...page });
    return;
  }
  const tally = await processDueSteps(deps, job.leadId, ahead);
  logger.info('email job', { leadId: job.leadId, ...tally });
}

/**
 * SQS email-jobs: one job per lead with due steps (queued by tick), or one page of a broadcast
 * (`{"broadcast", "cursor"}`: enrolls that page's recipients, queues the next page). Partial
 * batch responses: a job that fails (a store error) is retried alone, then goes to the DLQ;
 * its steps stay due and claimed steps are never re-sent.
 */
export const handler = eventHandler(async (event: SQSEvent, context: Context) => {
  const ahead = await batchReads(event);
  // One job after another: the pace of SES calls is set by how many invocations run at once (CDK).
  return processPartialResponse(event, (record: SQSRecord) => emailJob(record, ahead), processor, {
    context,
    processInParallel: false,
  });
});

/**
 * The batch's leads and their suppression entries in two requests, not two per job. A failed
 * batch read only costs the saving: each job then reads for itself (and fails alone if the store does).
 */
async function batchReads(event: SQSEvent): Promise<SendReadAhead | undefined> {
  const leadIds = event.Records.flatMap((record) => {
    const job = parseEmailJob(record.body);
    return job?.kind === 'lead' ? [job.leadId] : [];
  });
  try {
    return await readAhead(deps, leadIds);
  } catch (error) {
    logger.warn('email jobs: batch read failed, each job reads alone', {
      error: error instanceof Error ? error.name : String(error),
    });
    return undefined;
  }
}
