import { IMPORT_START_BODY_BYTES, importStartBodySchema } from '../core/imports/import-bodies';
import { createImport, importErrors, importStatus, startImport } from '../core/imports/import-job';
import { authorize } from '../core/kernel/auth';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { leadImportApiDeps } from '../shared/wiring/lead-imports';
import { requestVerifier } from '../shared/wiring/request-verifier';

const tokens = requestVerifier();
const deps = leadImportApiDeps();
const IMPORTERS = ['marketing'] as const;

/**
 * CSV lead imports (marketing; admin may do anything): POST /v1/admin/leads/imports makes one and
 * answers where to upload the file (201), POST .../{importId}/start checks the header against the
 * mapping and runs it (dry or real, 202), GET .../{importId} follows it, GET .../{importId}/errors
 * is the error report (CSV).
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const caller = await authorize(tokens, header(event, 'authorization'), IMPORTERS);
  const importId = event.pathParameters?.importId ?? '';
  switch (event.routeKey) {
    case 'POST /v1/admin/leads/imports': {
      const created = await createImport(deps, caller);
      logger.info('lead import created', { importId: created.importId });
      return json(201, created, { location: `/v1/admin/leads/imports/${created.importId}` });
    }
    case 'POST /v1/admin/leads/imports/{importId}/start': {
      const body = parseJsonBody(event, importStartBodySchema, IMPORT_START_BODY_BYTES);
      const started = await startImport(deps, importId, body, caller);
      logger.info('lead import started', { importId, dryRun: body.dryRun });
      return json(202, started, { location: `/v1/admin/leads/imports/${importId}` });
    }
    case 'GET /v1/admin/leads/imports/{importId}/errors': {
      const report = await importErrors(deps, importId, caller);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${report.fileName}"`,
          'cache-control': 'no-store',
        },
        body: report.csv,
      };
    }
    default:
      return json(200, await importStatus(deps, importId, caller));
  }
});
