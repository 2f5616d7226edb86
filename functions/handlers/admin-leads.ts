import { authorize } from '../core/kernel/auth';
import { eraseLead } from '../core/leads/erase-lead';
import { EXPORT_MAX_ROWS, exportLeads } from '../core/leads/lead-export';
import { parseLeadListQuery } from '../core/leads/lead-list';
import { lookUpLead } from '../core/leads/lead-lookup';
import { addNote, NOTE_BODY_BYTES, noteBodySchema } from '../core/leads/notes';
import { unsubscribeLead } from '../core/leads/unsubscribe-lead';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { leadAdminDeps } from '../shared/wiring/lead-admin';
import { requestVerifier } from '../shared/wiring/request-verifier';
import '../shared/identity';

const tokens = requestVerifier();
const deps = leadAdminDeps();
const READERS = ['marketing', 'sales'] as const;

/**
 * GET /v1/admin/leads/{leadId}, GET /v1/admin/leads?email= (one lead), GET /v1/admin/leads (the
 * list), GET /v1/admin/leads/export (the list as CSV), POST /v1/admin/leads/{leadId}/notes
 * (marketing or sales; admin may do anything); DELETE /v1/admin/leads/{leadId} (marketing): GDPR erase;
 * POST /v1/admin/leads/{leadId}/unsubscribe (marketing): the person withdraws the lead's consent for them.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const authorization = header(event, 'authorization');
  switch (event.routeKey) {
    case 'DELETE /v1/admin/leads/{leadId}': {
      const caller = await authorize(tokens, authorization, ['marketing']);
      const result = await eraseLead(deps, event.pathParameters?.leadId ?? '', caller);
      logger.info('lead erased', {
        leadId: result.leadId,
        items: result.items,
        deliveries: result.deliveries,
      });
      return json(200, result);
    }
    case 'POST /v1/admin/leads/{leadId}/notes': {
      const caller = await authorize(tokens, authorization, READERS);
      const leadId = event.pathParameters?.leadId ?? '';
      const { text } = parseJsonBody(event, noteBodySchema, NOTE_BODY_BYTES);
      return json(201, await addNote(deps, leadId, text, byOf(caller)));
    }
    case 'POST /v1/admin/leads/{leadId}/unsubscribe': {
      const caller = await authorize(tokens, authorization, ['marketing']);
      const result = await unsubscribeLead(deps, event.pathParameters?.leadId ?? '', byOf(caller));
      logger.info('lead unsubscribed by a person', { leadId: result.leadId, changed: result.changed });
      return json(200, result);
    }
    case 'GET /v1/admin/leads/export': {
      await authorize(tokens, authorization, READERS);
      const { filter, sort } = parseLeadListQuery(listParams(event));
      const result = await exportLeads(deps, { filter, sort });
      if (result.kind === 'too_large') {
        return json(422, {
          error: {
            code: 'export_too_large',
            message: `The filter matches more than ${EXPORT_MAX_ROWS} leads (or 4.5 MB of CSV): narrow it (a stage, a grade, a created date range) and export the parts.`,
            details: [],
          },
        });
      }
      const date = deps.clock.now().toISOString().slice(0, 10);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="leads-${date}.csv"`,
          'cache-control': 'no-store',
        },
        body: result.csv,
      };
    }
  }
  await authorize(tokens, authorization, READERS);
  const email = event.queryStringParameters?.email;
  if (event.routeKey === 'GET /v1/admin/leads' && email === undefined)
    return json(200, await deps.list.page(parseLeadListQuery(listParams(event))));
  const view = await lookUpLead(deps, { leadId: event.pathParameters?.leadId, email });
  return json(200, view);
});

const listParams = (event: HttpEvent) => ({ ...event.queryStringParameters });
const byOf = (caller: { name: string; username?: string }) => ({
  name: caller.name,
  ...(caller.username ? { username: caller.username } : {}),
});
