import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { runExport } from '../core/leads/lead-export-job';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { leadExportWorkerDeps } from '../shared/wiring/lead-exports';

const deps = leadExportWorkerDeps();
const processor = new BatchProcessor(EventType.SQS);

async function exportRecord(record: SQSRecord): Promise<void> {
  const { exportId } = JSON.parse(record.body) as { exportId: string };
  const status = await runExport(deps, exportId);
  logger.info('lead export', { exportId, status });
}

/** SQS lead-exports: one background export per message; a failed one retries alone (partial batch response). */
export const handler = eventHandler(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, exportRecord, processor, { context }),
);
