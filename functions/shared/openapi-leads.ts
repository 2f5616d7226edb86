import { noteBodySchema } from '../core/leads/notes';
import {
  exportBodySchema,
  leadExportSchema,
  leadListSchema,
  leadUnsubscribedSchema,
  noteSchema,
} from '../core/leads/responses';
import { auth, bearer, body, err, jsonBodyErrors, ok, pathParam } from './openapi-parts';

/** The lead list, its CSV export, notes and the one-lead lookup (functions/handlers/admin-leads.ts). */
export const leadSchemas = {
  LeadList: leadListSchema,
  Note: noteSchema,
  NoteBody: noteBodySchema,
  LeadUnsubscribed: leadUnsubscribedSchema,
  LeadExport: leadExportSchema,
  LeadExportBody: exportBodySchema,
};

const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const flag = { type: 'string', enum: ['true', 'false'] };
/** The filters and the sort, shared by the list and the export. */
const filters = [
  query(
    'q',
    'Prefix of the email, the name ("first last") or the company; case-insensitive, 2 characters or more',
  ),
  query('stage', 'Stages, comma-separated or repeated'),
  query('grade', 'Grades (A-F), comma-separated or repeated'),
  query('scoreMin', 'Lowest score', { type: 'number' }),
  query('scoreMax', 'Highest score', { type: 'number' }),
  query('source', 'First-touch source: form:<id>, meta, google, linkedin, tiktok, api'),
  query('utmCampaign', "First touch's utm_campaign"),
  query('formId', 'The form of the first touch'),
  query('createdFrom', 'ISO date or date-time, inclusive'),
  query('createdTo', 'ISO date (the whole day) or date-time, inclusive'),
  query('activityFrom', 'Last activity from (ISO date or date-time)'),
  query('activityTo', 'Last activity until (ISO date or date-time)'),
  query('owned', 'Owned by sales (a rep took it on)', flag),
  query('suppressed', 'Unsubscribed through Leadflow', flag),
  query('test', "Ad platforms' test leads (false, the default, hides them)", flag),
  query('sort', 'Descending; ties by lead id', { type: 'string', enum: ['newest', 'score', 'activity'] }),
  query(
    'segment',
    'A saved segment of the active nurture config, by id (404 segment_not_found): combines with test, limit and cursor only; rows in the leads index order, total exact on the last page',
  ),
];

export const leadPaths = {
  '/v1/admin/leads': {
    get: {
      summary:
        'The lead list (search, filters, sort, cursor paging, total), or one lead with ?email= (marketing or sales)',
      security: bearer,
      parameters: [
        query('email', 'Any spelling of the inbox: answers that lead (the Lead schema) instead of the list'),
        ...filters,
        query('limit', 'Rows per page, 1-100 (25)', { type: 'integer', minimum: 1, maximum: 100 }),
        query('cursor', 'From the previous page; only with the same filter and sort'),
      ],
      responses: {
        '200': {
          description: 'A page of the list; with ?email=, the lead',
          content: {
            'application/json': {
              schema: {
                oneOf: [{ $ref: '#/components/schemas/LeadList' }, { $ref: '#/components/schemas/Lead' }],
              },
            },
          },
        },
        '400': err('A bad filter value or cursor (details name the parameter), or an email that is not one'),
        ...auth,
        '404': err('?email= names no lead'),
      },
    },
  },
  '/v1/admin/leads/export': {
    get: {
      summary:
        'The current filter as CSV (the columns of a LeadList row, owner as ownerRep), up to 10,000 rows (marketing or sales)',
      security: bearer,
      parameters: filters,
      responses: {
        '200': {
          description: 'CSV (RFC 4180); text cells starting with = + - @ get a leading apostrophe',
          headers: {
            'Content-Disposition': {
              description: 'attachment; filename="leads-<date>.csv"',
              required: true,
              schema: { type: 'string' },
            },
          },
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        '400': err('A bad filter value (details name the parameter)'),
        ...auth,
        '422': err(
          'More than 10,000 rows or 4.5 MB (export_too_large): start a background export (POST /v1/admin/leads/exports)',
        ),
      },
    },
  },
  '/v1/admin/leads/{leadId}/notes': {
    post: {
      summary:
        "A note on the lead's timeline (type note, who wrote it; no score effect) (marketing or sales)",
      security: bearer,
      parameters: [pathParam('leadId')],
      requestBody: body('NoteBody'),
      responses: {
        '201': ok('Stored on the timeline', 'Note'),
        '400': err('Not a lead id, or no text (1-2000 characters)'),
        ...auth,
        '404': err('Unknown lead'),
        ...jsonBodyErrors('16 KB'),
      },
    },
  },
  '/v1/admin/leads/{leadId}/unsubscribe': {
    post: {
      summary:
        "Withdraw the lead's marketing consent for them, as their unsubscribe link would: suppressed, enrollments ended, an unsubscribed timeline entry naming the person (marketing)",
      security: bearer,
      parameters: [pathParam('leadId')],
      responses: {
        '200': ok('Unsubscribed (changed: false when it had been already)', 'LeadUnsubscribed'),
        '400': err('Not a lead id'),
        ...auth,
        '404': err('Unknown lead'),
      },
    },
  },
  '/v1/admin/leads/exports': {
    post: {
      summary:
        'Start a background export of the filter as CSV, any size (marketing or sales); follow it with GET .../exports/{exportId}',
      security: bearer,
      requestBody: body('LeadExportBody'),
      responses: {
        '202': {
          description: 'Started (status running); Location names the export',
          headers: {
            Location: {
              description: '/v1/admin/leads/exports/{exportId}',
              required: true,
              schema: { type: 'string' },
            },
          },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/LeadExport' } } },
        },
        '400': err('A bad filter value (details name the key), or a value that is not a string'),
        ...auth,
        ...jsonBodyErrors('16 KB'),
      },
    },
  },
  '/v1/admin/leads/exports/{exportId}': {
    get: {
      summary:
        'A background export: running with the rows so far, ready with a download link (15 minutes), or failed (who started it, or an admin)',
      security: bearer,
      parameters: [pathParam('exportId')],
      responses: {
        '200': ok('The export', 'LeadExport'),
        ...auth,
        '404': err('No such export, or older than 7 days (export_not_found)'),
      },
    },
  },
  '/v1/admin/leads/exports/{exportId}/file': {
    get: {
      summary:
        "The export's CSV where this API holds it (the local stack); on AWS a redirect to the presigned S3 link (who started it, or an admin)",
      security: bearer,
      parameters: [pathParam('exportId')],
      responses: {
        '200': {
          description: 'CSV (RFC 4180), the columns of the synchronous export',
          headers: {
            'Content-Disposition': {
              description: 'attachment; filename="leads-<date>-<id>.csv"',
              required: true,
              schema: { type: 'string' },
            },
          },
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        '303': {
          description: 'On AWS: the presigned S3 link (15 minutes)',
          headers: {
            Location: { description: 'The presigned URL', required: true, schema: { type: 'string' } },
          },
        },
        ...auth,
        '404': err('No such export, or older than 7 days (export_not_found)'),
        '409': err('Not ready yet, or failed (export_not_ready)'),
      },
    },
  },
};
