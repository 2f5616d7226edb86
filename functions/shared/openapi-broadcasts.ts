import { broadcastDraftBodySchema, broadcastScheduleBodySchema } from '../core/nurture/admin-bodies';
import { BROADCAST_STATUSES } from '../core/nurture/broadcast-ports';
import { broadcastListSchema, broadcastResultsSchema } from '../core/nurture/responses';
import { auth, bearer, body, err, jsonBodyErrors, ok, pathParam } from './openapi-parts';

/**
 * The broadcast routes after start (functions/handlers/admin-nurture.ts): the list, drafts,
 * scheduling, cancelling, results. POST and GET {id} are in openapi-nurture.ts.
 */
const bodyErrors = jsonBodyErrors('64 KB');
const invalid = err('Invalid body (details list each field by path)');
const query = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const id = [pathParam('id')];
const missing = err('No such broadcast');

export const broadcastSchemas = {
  BroadcastList: broadcastListSchema,
  BroadcastResults: broadcastResultsSchema,
  BroadcastDraft: broadcastDraftBodySchema,
  BroadcastSchedule: broadcastScheduleBodySchema,
};

export const broadcastPaths = {
  '/v1/admin/broadcasts': {
    get: {
      summary: 'Broadcasts, newest first, a page at a time, optionally of one status (marketing)',
      security: bearer,
      parameters: [
        query('status', 'draft, scheduled, running, done or cancelled', {
          type: 'string',
          enum: [...BROADCAST_STATUSES],
        }),
        query('cursor', 'The `cursor` of the previous page', { type: 'string' }),
        query('limit', 'Broadcasts per page, 1 to 100 (default 25)', { type: 'string', pattern: '^[0-9]+$' }),
      ],
      responses: { '200': ok('A page of broadcasts', 'BroadcastList'), '400': err('Invalid query'), ...auth },
    },
  },
  '/v1/admin/broadcasts/{id}': {
    put: {
      summary: 'Edit a draft: its name, template, segment, sendAt, A/B test (it stays a draft)',
      security: bearer,
      parameters: id,
      requestBody: body('BroadcastDraft'),
      responses: {
        '200': ok('The edited draft', 'BroadcastProgress'),
        '400': invalid,
        '404': err('No such broadcast, or an unknown template'),
        '409': err('Not a draft (broadcast_not_draft)'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/broadcasts/{id}/schedule': {
    post: {
      summary: 'Start a draft: now, or at sendAt (its own sendAt when none is given and it is still ahead)',
      security: bearer,
      parameters: id,
      requestBody: body('BroadcastSchedule'),
      responses: {
        '202': ok('Started', 'BroadcastProgress'),
        '400': invalid,
        '404': missing,
        '409': err('Not a draft (broadcast_not_draft)'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/broadcasts/{id}/cancel': {
    post: {
      summary:
        'Cancel a draft, scheduled or running broadcast: no page is enrolled after it, and recipients not yet sent are skipped (broadcast_cancelled)',
      security: bearer,
      parameters: id,
      responses: {
        '200': ok('Cancelled, with who and when', 'BroadcastProgress'),
        '404': missing,
        '409': err('Done or cancelled already (broadcast_not_cancellable)'),
        ...auth,
      },
    },
  },
  '/v1/admin/broadcasts/{id}/results': {
    get: {
      summary:
        "A broadcast's progress (enrolled, sent, skipped, failed) and results from the email report; per A/B variant with the winner and a 95% significance indicator",
      security: bearer,
      parameters: id,
      responses: { '200': ok('Progress and results', 'BroadcastResults'), '404': missing, ...auth },
    },
  },
};

/** The nurture paths with the broadcast routes added (methods of one path merged, not replaced). */
export function withBroadcastPaths<T extends Record<string, object>>(paths: T): Record<string, object> {
  const merged: Record<string, object> = { ...paths };
  for (const [path, methods] of Object.entries(broadcastPaths))
    merged[path] = { ...merged[path], ...methods };
  return merged;
}
