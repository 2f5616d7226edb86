import { myClaims } from '../core/handoff/my-claims';
import { outcomeBodySchema, reassignBodySchema } from '../core/handoff/outcome-input';
import { claimNext, extendClaim, recordOutcome, releaseClaim, repOf } from '../core/handoff/sales';
import { reassignLead, releaseLead, teamView } from '../core/handoff/team';
import { authorize } from '../core/kernel/auth';
import { RouteNotFoundError, ValidationError } from '../core/kernel/errors';
import { salesConfig } from '../shared/config';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { count } from '../shared/observability/metrics';
import { claimDeps } from '../shared/wiring/handoff';
import { requestVerifier } from '../shared/wiring/request-verifier';
import '../shared/identity';

const tokens = requestVerifier();
const deps = claimDeps();

function claimTokenParam(event: HttpEvent): string {
  const token = event.pathParameters?.claimToken;
  if (!token) throw new ValidationError([{ path: 'claimToken', message: 'is required' }]);
  return token;
}

/** The manager routes: a sales manager or an admin (a rep gets 403). */
const MANAGER_ROUTES = new Set([
  'GET /v1/sales/team',
  'POST /v1/sales/leads/{leadId}/reassign',
  'POST /v1/sales/leads/{leadId}/release',
]);

/**
 * /v1/sales/...: claim the next hot lead, extend or release the claim, record the outcome, see the
 * queue and one's own claims and owned leads; managers see the team, reassign and release.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const manager = MANAGER_ROUTES.has(event.routeKey);
  const caller = await authorize(tokens, header(event, 'authorization'), [
    manager ? 'sales-manager' : 'sales',
  ]);
  const rep = repOf(caller);
  const leadId = event.pathParameters?.leadId ?? '';
  switch (event.routeKey) {
    case 'POST /v1/sales/claims': {
      const card = await claimNext(deps, rep);
      if (!card) return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
      logger.info('claim', { leadId: card.leadId, handoff: card.handoff });
      count('ClaimsMade');
      return json(200, card);
    }
    case 'GET /v1/sales/claims':
      return json(200, await myClaims(deps, rep));
    case 'POST /v1/sales/claims/{claimToken}/extend':
      return json(200, await extendClaim(deps, claimTokenParam(event), rep));
    case 'POST /v1/sales/claims/{claimToken}/release':
      await releaseClaim(deps, claimTokenParam(event), rep);
      return json(200, { released: true });
    case 'POST /v1/sales/leads/{leadId}/outcome': {
      const body = parseJsonBody(event, outcomeBodySchema, 16 * 1024);
      const result = await recordOutcome(deps, leadId, body, rep);
      logger.info('outcome', { leadId: result.leadId, outcome: result.outcome });
      return json(200, result);
    }
    case 'GET /v1/sales/queue':
      return json(200, await deps.handoffs.counts(new Date().toISOString()));
    case 'GET /v1/sales/team':
      return json(200, await teamView(deps, salesConfig().slaMinutes));
    case 'POST /v1/sales/leads/{leadId}/reassign': {
      const body = parseJsonBody(event, reassignBodySchema, 4 * 1024);
      const to = { rep: body.rep, repName: body.repName ?? body.rep };
      const result = await reassignLead(deps, leadId, to, rep.by);
      logger.info('reassign', { leadId });
      return json(200, result);
    }
    case 'POST /v1/sales/leads/{leadId}/release': {
      const result = await releaseLead(deps, leadId, rep.by);
      logger.info('manager release', { leadId });
      return json(200, result);
    }
    default:
      throw new RouteNotFoundError();
  }
});
