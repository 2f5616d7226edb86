import * as z from 'zod/mini';
import { submissionBodySchema } from '../core/capture/submission';
import { acceptedSchema, errorBodySchema, healthSchema } from '../core/kernel/contract';
import { leadViewSchema } from '../core/leads/lead-view';
import { leadErasedSchema } from '../core/leads/responses';
import { broadcastSchemas, withBroadcastPaths } from './openapi-broadcasts';
import { formPaths, formSchemas } from './openapi-forms';
import { importPaths, importSchemas } from './openapi-imports';
import { leadPaths, leadSchemas } from './openapi-leads';
import { nurturePaths, nurtureSchemas } from './openapi-nurture';
import { extraPaths, extraSchemas } from './openapi-paths';
import { reportPaths, reportSchemas } from './openapi-reports';
import { salesSchemas, withSalesPaths } from './openapi-sales';
import { segmentPaths, segmentSchemas } from './openapi-segments';
import { templatePaths, templateSchemas } from './openapi-templates';
import { webhookPaths, webhookSchemas } from './openapi-webhooks';

/**
 * Request bodies are documented as the code reads them (io 'input': a non-strict object accepts
 * and drops unknown keys, a default makes a field optional); answers as the code builds them.
 */
const schema = (s: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any', io });
const ZOD_SCHEMAS: Record<string, z.ZodMiniType> = {
  Submission: submissionBodySchema,
  Accepted: acceptedSchema,
  Error: errorBodySchema,
  Lead: leadViewSchema,
  Health: healthSchema,
  LeadErased: leadErasedSchema,
  ...extraSchemas,
  ...leadSchemas,
  ...importSchemas,
  ...nurtureSchemas,
  ...templateSchemas,
  ...broadcastSchemas,
  ...salesSchemas,
  ...reportSchemas,
  ...webhookSchemas,
  ...segmentSchemas,
  ...formSchemas,
};
const jsonContent = (ref: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
});
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });
const bearer = [{ bearer: [] }];

/**
 * The OpenAPI 3.1 document, generated from the zod schemas that validate the requests and build
 * the responses; every operation gets its id and, when it names none, `security: []` (public).
 */
export function openApiDocument(serverUrl?: string) {
  const document = withOperationDefaults({
    openapi: '3.1.0',
    info: {
      title: 'Leadflow API',
      version: '1.0.0',
      description: 'Capture, score, nurture and hand off leads.',
    },
    servers: [{ url: serverUrl ?? '/', description: 'This API (paths start with /v1)' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {} as Record<string, unknown>,
    },
    paths: {
      '/v1/forms/{formId}/submissions': {
        post: {
          summary: 'Submit a form (JSON from a script, or a browser form post that gets a 303)',
          parameters: [
            {
              name: 'formId',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
            },
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Submission' } },
              'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Submission' } },
            },
          },
          responses: {
            '202': { description: 'Stored', content: jsonContent('Accepted') },
            '303': {
              headers: {
                Location: {
                  description: 'Where the browser goes next',
                  required: true,
                  schema: { type: 'string' },
                },
              },
              description:
                'Browser form post: to the thank-you page, or back to the page with ' +
                '?error=<code>&error_form=<formId>&error_fields=<names> (codes only, no text)',
            },
            '400': errorResponse('Invalid fields (details list each one)'),
            '403': errorResponse('Origin not allowed for this form (Origin: null included)'),
            '404': errorResponse('Unknown form'),
            '413': errorResponse('Body over 32 KB'),
            '415': errorResponse('Not JSON or urlencoded UTF-8'),
            '409': errorResponse(
              "The person's data is being erased right now (lead_being_erased): nothing stored",
            ),
            '429': {
              ...errorResponse('Rate limited, per IP or per email'),
              headers: {
                'Retry-After': {
                  description: 'Seconds until the next minute window',
                  required: true,
                  schema: { type: 'integer', minimum: 0 },
                },
              },
            },
          },
        },
        options: {
          summary: "CORS preflight for a browser script on one of the form's allowed origins",
          parameters: [
            {
              name: 'formId',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
            },
          ],
          responses: {
            '204': { description: 'CORS headers when the Origin is one the form allows, none otherwise' },
            '404': errorResponse('Unknown form, or an id no form can have (never looked up)'),
          },
        },
      },
      ...withSalesPaths(extraPaths),
      ...withBroadcastPaths(nurturePaths),
      ...templatePaths,
      ...reportPaths,
      ...webhookPaths,
      ...segmentPaths,
      ...formPaths,
      '/v1/admin/leads/{leadId}': {
        delete: {
          summary: 'Erase a lead (GDPR): profile, activities gone; a hashed suppression stays (marketing)',
          security: bearer,
          parameters: [{ name: 'leadId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Erased', content: jsonContent('LeadErased') },
            '400': errorResponse('Not a lead id'),
            '401': errorResponse('No valid token'),
            '403': errorResponse('Token role not allowed'),
            '404': errorResponse('Unknown lead'),
            '409': errorResponse(
              'An email to the lead is being sent right now (send_in_progress): erase again in a minute',
            ),
          },
        },
        get: {
          summary: 'The lead view (marketing or sales token)',
          security: bearer,
          parameters: [{ name: 'leadId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The lead', content: jsonContent('Lead') },
            '400': errorResponse('Not a lead id'),
            '401': errorResponse('No valid token'),
            '403': errorResponse('Token role not allowed'),
            '404': errorResponse('Unknown lead'),
          },
        },
      },
      ...leadPaths,
      ...importPaths,
      '/v1/health': {
        get: {
          summary: 'Liveness',
          responses: { '200': { description: 'OK', content: jsonContent('Health') } },
        },
      },
      '/v1/embed.js': {
        get: {
          summary: 'The form embed script',
          responses: {
            '200': {
              description: 'JavaScript',
              content: { 'text/javascript': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: jsonContent('JsonDocument') } },
        },
      },
    },
  });
  return withSchemas(document);
}

const word = (text: string) =>
  text.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `GET /v1/admin/leads/{leadId}` → `getAdminLeadsByLeadId`: unique, stable, from the route alone. */
export function operationIdOf(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter((seg) => seg && seg !== 'v1')
    .map((seg) => (seg.startsWith('{') ? `By${capital(word(seg.slice(1, -1)))}` : capital(word(seg))));
  return method.toLowerCase() + parts.join('');
}

type Operation = { operationId?: string; security?: unknown[] } & Record<string, unknown>;

function withOperationDefaults<T extends { paths: Record<string, Record<string, Operation>> }>(
  document: T,
): T {
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, op] of Object.entries(item)) {
      op.operationId ??= operationIdOf(method, path);
      op.security ??= [];
    }
  return document;
}

/** Fills components.schemas: the schemas a requestBody names as inputs, every other one as an output. */
function withSchemas<T extends Document>(document: T): T {
  const requests = new Set(
    Object.values(document.paths)
      .flatMap((item) => Object.values(item))
      .flatMap((op) => Object.values((op.requestBody as RequestBody | undefined)?.content ?? {}))
      .map((media) => media.schema?.$ref?.replace('#/components/schemas/', '')),
  );
  document.components.schemas = Object.fromEntries(
    Object.entries(ZOD_SCHEMAS).map(([name, s]) => [
      name,
      schema(s, requests.has(name) ? 'input' : 'output'),
    ]),
  );
  return document;
}
type RequestBody = { content?: Record<string, { schema?: { $ref?: string } }> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
