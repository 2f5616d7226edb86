import { reassignBodySchema } from '../core/handoff/outcome-input';
import {
  leadReleasedSchema,
  myClaimsSchema,
  reassignedSchema,
  teamViewSchema,
} from '../core/handoff/responses';
import { auth, bearer, body, err, jsonBodyErrors, ok, pathParam } from './openapi-parts';

/** The sales routes for the console (my claims, the manager's team view, reassign, release); merge with `salesSchemas`. */
export const salesSchemas = {
  MyClaims: myClaimsSchema,
  TeamView: teamViewSchema,
  Reassign: reassignBodySchema,
  Reassigned: reassignedSchema,
  LeadReleased: leadReleasedSchema,
};

const managerAuth = {
  '401': err('No valid token'),
  '403': err('Not a sales manager or admin (a sales rep gets 403)'),
};
const salesPaths: Record<string, Record<string, unknown>> = {
  '/v1/sales/claims': {
    get: {
      summary:
        "The caller's live claims (lead cards with their claim tokens) and the leads sales owns through the caller",
      security: bearer,
      responses: { '200': ok('Claims, owned leads with their new activity', 'MyClaims'), ...auth },
    },
  },
  '/v1/sales/team': {
    get: {
      summary: 'Manager view: waiting hot leads, claims per rep, SLA breaches (sales-manager, admin)',
      security: bearer,
      responses: { '200': ok('Waiting leads, claims, reps, SLA', 'TeamView'), ...managerAuth },
    },
  },
  '/v1/sales/leads/{leadId}/reassign': {
    post: {
      summary: "Move a lead's live claim and/or ownership to another rep (sales-manager, admin)",
      security: bearer,
      parameters: [pathParam('leadId')],
      requestBody: body('Reassign'),
      responses: {
        '200': ok('The new rep', 'Reassigned'),
        '400': err('Invalid body (details list each field by path)'),
        '404': err('Unknown lead (lead_not_found)'),
        '409': err('No live claim and no owner (claim_not_held): the lead waits on the shared queue'),
        ...jsonBodyErrors('4 KB'),
        ...managerAuth,
      },
    },
  },
  '/v1/sales/leads/{leadId}/release': {
    post: {
      summary:
        "End another rep's live claim: back on the shared queue, unless sales owns the lead (sales-manager, admin)",
      security: bearer,
      parameters: [pathParam('leadId')],
      responses: {
        '200': ok('Released', 'LeadReleased'),
        '404': err('Unknown lead (lead_not_found)'),
        '409': err('No live claim on the lead (claim_not_held)'),
        ...managerAuth,
      },
    },
  },
};

/** `paths` with the sales routes added: a path both document gets the operations of both. */
export function withSalesPaths<T extends Record<string, unknown>>(paths: T): T {
  const merged: Record<string, unknown> = { ...paths };
  for (const [path, operations] of Object.entries(salesPaths)) {
    merged[path] = { ...(merged[path] as Record<string, unknown> | undefined), ...operations };
  }
  return merged as T;
}
