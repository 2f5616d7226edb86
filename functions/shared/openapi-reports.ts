import { REPORT_IDS } from '../core/reports/report';
import { reportBodySchema } from '../core/reports/responses';
import { bearer, err } from './openapi-parts';

/** The reports route: one body schema for every report (functions/core/reports/responses.ts). */
export const reportSchemas = { Report: reportBodySchema };

const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export const reportPaths = {
  '/v1/admin/reports/{report}': {
    get: {
      summary:
        'A report from the rollups (at most a minute behind the timeline): its tables and series, or one table as CSV (marketing, sales-manager)',
      security: bearer,
      parameters: [
        { name: 'report', in: 'path', required: true, schema: { type: 'string', enum: [...REPORT_IDS] } },
        query('from', 'First day, YYYY-MM-DD in the account time zone (default: 29 days before to)', {
          type: 'string',
          format: 'date',
        }),
        query('to', 'Last day, included (default: today); the range spans at most 366 days', {
          type: 'string',
          format: 'date',
        }),
        query('interval', 'Series period (default day)', { type: 'string', enum: ['day', 'week', 'month'] }),
        query('compare', "previous: each table also gets the previous period's rows", {
          type: 'string',
          enum: ['previous'],
        }),
        query('source', 'First-touch source (utm_source, else the ad platform, else direct)'),
        query('campaign', 'First-touch campaign (utm_campaign, else the platform campaign id)'),
        query('form', 'First-touch form id'),
        query('platform', 'First-touch ad platform (meta, google, linkedin, tiktok)'),
        query('sequence', 'Email report: one sequence, with its steps table'),
        query('format', 'csv: answer one table as text/csv (with table=)', { type: 'string', enum: ['csv'] }),
        query('table', 'The table id to download with format=csv'),
      ],
      responses: {
        '200': {
          description: 'The report (JSON), or one table as CSV (attachment)',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/Report' } },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        '400': err('Invalid query (invalid_report_query; details list each parameter by path)'),
        '401': err('No valid token'),
        '403': err('Not marketing, a sales manager or an admin'),
        '404': err('Unknown report (report_not_found)'),
      },
    },
  },
};
