import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { runImportPage } from '../core/imports/import-page';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { leadImportWorkerDeps } from '../shared/wiring/lead-imports';

const deps = leadImportWorkerDeps();
const processor = new BatchProcessor(EventType.SQS);

async function importPage(record: SQSRecord): Promise<void> {
  const { importId, fromRow } = JSON.parse(record.body) as { importId: string; fromRow: number };
  const status = await runImportPage(deps, importId, fromRow);
  logger.info('lead import page', { importId, fromRow, status });
}

/** SQS lead-imports: one page of an import per message; a failed page retries alone (partial batch response). */
export const handler = eventHandler(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, importPage, processor, { context }),
);
