import { authorize } from '../core/kernel/auth';
import { exportFile, exportStatus, startExport } from '../core/leads/lead-export-job';
import { EXPORT_BODY_BYTES, exportBodySchema } from '../core/leads/responses';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { leadExportApiDeps } from '../shared/wiring/lead-exports';
import { requestVerifier } from '../shared/wiring/request-verifier';

const tokens = requestVerifier();
const deps = leadExportApiDeps();
const READERS = ['marketing', 'sales'] as const;

/**
 * Large lead exports in the background (marketing or sales, like the list): POST
 * /v1/admin/leads/exports starts one (202), GET .../{exportId} follows it and links the file when
 * ready, GET .../{exportId}/file serves the file where the API holds it (locally; on AWS a 303 to S3).
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const caller = await authorize(tokens, header(event, 'authorization'), READERS);
  const exportId = event.pathParameters?.exportId ?? '';
  switch (event.routeKey) {
    case 'POST /v1/admin/leads/exports': {
      const params = parseJsonBody(event, exportBodySchema, EXPORT_BODY_BYTES);
      const started = await startExport(deps, params, caller);
      logger.info('lead export started', { exportId: started.exportId });
      return json(202, started, { location: `/v1/admin/leads/exports/${started.exportId}` });
    }
    case 'GET /v1/admin/leads/exports/{exportId}/file': {
      const file = await exportFile(deps, exportId, caller);
      if ('redirect' in file)
        return { statusCode: 303, headers: { location: file.redirect, 'cache-control': 'no-store' } };
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${file.fileName}"`,
          'cache-control': 'no-store',
        },
        body: file.csv,
      };
    }
    default:
      return json(200, await exportStatus(deps, exportId, caller));
  }
});
