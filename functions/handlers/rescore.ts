import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { rescorePage } from '../core/scoring/rescore-job';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { scoringPorts } from '../shared/wiring/scoring';
import '../shared/identity';

const { ports } = scoringPorts();
const processor = new BatchProcessor(EventType.SQS);

async function rescoreRecord(record: SQSRecord): Promise<void> {
  const { version, cursor } = JSON.parse(record.body) as { version: number; cursor: string | null };
  await rescorePage(ports, version, cursor);
  logger.info('rescore page', { version });
}

/** SQS rescore-jobs: one page of leads per message; failed records retry alone (partial batch response). */
export const handler = eventHandler(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, rescoreRecord, processor, { context }),
);
