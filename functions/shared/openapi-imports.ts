import { importStartBodySchema, leadImportSchema } from '../core/imports/import-bodies';
import { auth, bearer, body, err, jsonBodyErrors, ok, pathParam } from './openapi-parts';

/** CSV lead imports (functions/handlers/admin-lead-imports.ts). */
export const importSchemas = { LeadImport: leadImportSchema, LeadImportStartBody: importStartBodySchema };

const notFound = { '404': err('No such import, or older than 7 days (import_not_found)') };
const located = (description: string) => ({
  description,
  headers: {
    Location: {
      description: '/v1/admin/leads/imports/{importId}',
      required: true,
      schema: { type: 'string' },
    },
  },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/LeadImport' } } },
});

export const importPaths = {
  '/v1/admin/leads/imports': {
    post: {
      summary:
        'Make a CSV lead import (marketing or admin): answers the link to PUT the file to (presigned S3 on AWS, one hour, 50 MB at most); then start it',
      security: bearer,
      responses: { '201': located('Awaiting the upload; Location names the import'), ...auth },
    },
  },
  '/v1/admin/leads/imports/{importId}/start': {
    post: {
      summary:
        "Check the file's header row against the column mapping and the consent basis, then import it a page at a time (dryRun: count what would happen, change nothing; a dry run's import may be started again for real)",
      security: bearer,
      parameters: [pathParam('importId')],
      requestBody: body('LeadImportStartBody'),
      responses: {
        '202': located('Running; follow it with GET .../imports/{importId}'),
        '400': err(
          'A mapping target that names no field, a header the file does not have, no email column, an incomplete consent basis, or a file that is not CSV (details name each)',
        ),
        ...auth,
        ...notFound,
        '409': err('Started already (import_not_startable), or no file uploaded yet (import_not_uploaded)'),
        ...jsonBodyErrors('32 KB'),
      },
    },
  },
  '/v1/admin/leads/imports/{importId}': {
    get: {
      summary:
        'An import: awaiting its upload (with the link), running with the counts so far, done or failed (who started it, or an admin)',
      security: bearer,
      parameters: [pathParam('importId')],
      responses: { '200': ok('The import', 'LeadImport'), ...auth, ...notFound },
    },
  },
  '/v1/admin/leads/imports/{importId}/errors': {
    get: {
      summary: "The run's error report: row, column, reason (no other row data)",
      security: bearer,
      parameters: [pathParam('importId')],
      responses: {
        '200': {
          description: 'CSV (RFC 4180): row,column,reason',
          headers: {
            'Content-Disposition': {
              description: 'attachment; filename="import-errors-<id>.csv"',
              required: true,
              schema: { type: 'string' },
            },
          },
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        ...auth,
        ...notFound,
      },
    },
  },
};
