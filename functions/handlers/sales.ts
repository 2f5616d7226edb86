import { outcomeBodySchema } from '../core/handoff/outcome-input';
import { claimNext, extendClaim, recordOutcome, releaseClaim } from '../core/handoff/sales';
import { authorize } from '../core/kernel/auth';
import { RouteNotFoundError, ValidationError } from '../core/kernel/errors';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { count } from '../shared/observability/metrics';
import { claimDeps } from '../shared/wiring/handoff';
import { requestVerifier } from '../shared/wiring/kernel';
import '../shared/identity';

const tokens = requestVerifier();
const deps = claimDeps();

function claimTokenParam(event: HttpEvent): string {
  const token = event.pathParameters?.claimToken;
  if (!token) throw new ValidationError([{ path: 'claimToken', message: 'is required' }]);
  return token;
}

/** /v1/sales/...: claim the next hot lead, extend or release the claim, record the outcome, see the queue. */
export const handler = httpHandler(async (event: HttpEvent) => {
  const rep = await authorize(tokens, header(event, 'authorization'), ['sales']);
  switch (event.routeKey) {
    case 'POST /v1/sales/claims': {
      const card = await claimNext(deps, rep.name);
      if (!card) return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
      logger.info('claim', { leadId: card.leadId, handoff: card.handoff });
      count('ClaimsMade');
      return json(200, card);
    }
    case 'POST /v1/sales/claims/{claimToken}/extend':
      return json(200, await extendClaim(deps, claimTokenParam(event), rep.name));
    case 'POST /v1/sales/claims/{claimToken}/release':
      await releaseClaim(deps, claimTokenParam(event), rep.name);
      return json(200, { released: true });
    case 'POST /v1/sales/leads/{leadId}/outcome': {
      const body = parseJsonBody(event, outcomeBodySchema, 16 * 1024);
      const result = await recordOutcome(deps, event.pathParameters?.leadId ?? '', body, rep.name);
      logger.info('outcome', { leadId: result.leadId, outcome: result.outcome });
      return json(200, result);
    }
    case 'GET /v1/sales/queue':
      return json(200, await deps.handoffs.counts(new Date().toISOString()));
    default:
      throw new RouteNotFoundError();
  }
});
