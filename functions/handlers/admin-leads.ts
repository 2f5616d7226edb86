import { authorize } from '../core/kernel/auth';
import { eraseLead } from '../core/leads/erase-lead';
import { lookUpLead } from '../core/leads/lead-lookup';
import { type HttpEvent, header, json } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { requestVerifier } from '../shared/wiring/kernel';
import { leadAdminDeps } from '../shared/wiring/lead-admin';
import '../shared/identity';

const tokens = requestVerifier();
const deps = leadAdminDeps();

/**
 * GET /v1/admin/leads/{leadId} and GET /v1/admin/leads?email= (marketing or sales);
 * DELETE /v1/admin/leads/{leadId} (marketing): GDPR erase.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  if (event.routeKey === 'DELETE /v1/admin/leads/{leadId}') {
    const caller = await authorize(tokens, header(event, 'authorization'), ['marketing']);
    const result = await eraseLead(deps, event.pathParameters?.leadId ?? '', caller.name);
    logger.info('lead erased', { leadId: result.leadId, items: result.items, deliveries: result.deliveries });
    return json(200, result);
  }
  await authorize(tokens, header(event, 'authorization'), ['marketing', 'sales']);
  const view = await lookUpLead(deps, {
    leadId: event.pathParameters?.leadId,
    email: event.queryStringParameters?.email,
  });
  return json(200, view);
});
