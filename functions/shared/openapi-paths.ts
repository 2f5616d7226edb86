import { outcomeBodySchema } from '../core/handoff/outcome-input';
import { activitiesBodySchema } from '../core/leads/activity-input';

import { auth, bearer, body, err, ok, pathParam } from './openapi-parts';

/** Paths beyond forms and lead lookup: activities, scoring admin, sales, webhooks, unsubscribe, confirm. */
const modelBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { model: { type: 'object', description: 'A scoring model as in config/scoring.yaml' } },
        required: ['model'],
      },
    },
  },
};

export const extraSchemas = { Activities: activitiesBodySchema, Outcome: outcomeBodySchema };

export const extraPaths = {
  '/v1/activities': {
    post: {
      summary:
        'Record product events (ingest token): one (202) or a batch of up to 100 (200, a result per event)',
      security: bearer,
      requestBody: body('Activities'),
      responses: {
        '200': ok('Batch results'),
        '202': ok('Recorded'),
        '400': err('Invalid events (paths)'),
        '404': err('Unknown lead'),
        ...auth,
      },
    },
  },
  '/v1/admin/scoring': {
    get: {
      summary: 'Active scoring model and versions (marketing)',
      security: bearer,
      responses: { '200': ok('Model and versions'), ...auth },
    },
  },
  '/v1/admin/scoring/validate': {
    post: {
      summary: 'Validate a model: errors with paths, warnings',
      security: bearer,
      requestBody: modelBody,
      responses: { '200': ok('Validation result'), ...auth },
    },
  },
  '/v1/admin/scoring/versions': {
    post: {
      summary: 'Add a model version (not active)',
      security: bearer,
      requestBody: modelBody,
      responses: { '201': ok('Version added'), '400': err('Invalid model (paths)'), ...auth },
    },
  },
  '/v1/admin/scoring/versions/{version}/activate': {
    post: {
      summary: 'Activate a version and rescore every lead',
      security: bearer,
      parameters: [pathParam('version')],
      responses: { '202': ok('Activated; rescore started'), '400': err('No such version'), ...auth },
    },
  },
  '/v1/admin/scoring/simulate': {
    post: {
      summary: 'Score a stored or sketched lead under a draft or the active model',
      security: bearer,
      responses: { '200': ok('Score, stage, breakdown'), '400': err('Invalid input'), ...auth },
    },
  },
  '/v1/admin/scoring/backtest': {
    post: {
      summary: 'A page of stored leads a draft model would change',
      security: bearer,
      requestBody: modelBody,
      responses: {
        '200': ok('Changes and cursor'),
        '400': err('Invalid model, or a cursor not from a previous page'),
        ...auth,
      },
    },
  },
  '/v1/admin/scoring/rescore': {
    get: {
      summary: 'Progress of the latest rescore job',
      security: bearer,
      responses: { '200': ok('Job'), ...auth },
    },
  },
  '/v1/sales/claims': {
    post: {
      summary: 'Claim the next hot lead (sales)',
      security: bearer,
      responses: {
        '200': ok('Lead card with claimToken (signed, under 50 characters) and claimExpiresAt'),
        '204': ok('Nothing waits'),
        ...auth,
      },
    },
  },
  '/v1/sales/claims/{claimToken}/extend': {
    post: {
      summary: 'Extend a claim',
      security: bearer,
      parameters: [pathParam('claimToken')],
      responses: {
        '200': ok('New expiry'),
        '400': err('Not a claim token issued by Leadflow (invalid_claim_token): nothing changed'),
        '409': err("Claim not held (claim_not_held): expired, released, or another rep's"),
        ...auth,
      },
    },
  },
  '/v1/sales/claims/{claimToken}/release': {
    post: {
      summary: 'Put the lead back on the queue now',
      security: bearer,
      parameters: [pathParam('claimToken')],
      responses: {
        '200': ok('Released'),
        '400': err('Not a claim token issued by Leadflow (invalid_claim_token): nothing changed'),
        '409': err("Claim not held (claim_not_held): expired, released, or another rep's"),
        ...auth,
      },
    },
  },
  '/v1/sales/leads/{leadId}/outcome': {
    post: {
      summary: 'Record a sales outcome under a claim',
      security: bearer,
      parameters: [pathParam('leadId')],
      requestBody: body('Outcome'),
      responses: {
        '200': ok('Outcome and stage'),
        '400': err(
          'Invalid outcome, or a claim token not issued by Leadflow (invalid_claim_token): nothing changed',
        ),
        '409': err('Claim not held (claim_not_held), or the token is for another lead'),
        ...auth,
      },
    },
  },
  '/v1/sales/queue': {
    get: {
      summary: 'Waiting and claimed hand-offs, oldest wait',
      security: bearer,
      responses: { '200': ok('Counts'), ...auth },
    },
  },
  '/v1/webhooks/meta': {
    get: {
      summary: 'Meta subscription check (hub.challenge)',
      responses: { '200': ok('The challenge'), '403': err('Wrong verify token') },
    },
    post: {
      summary: 'Meta Lead Ads delivery (X-Hub-Signature-256)',
      responses: { '200': ok('Received'), '401': err('Bad signature') },
    },
  },
  '/v1/webhooks/google': {
    post: {
      summary: 'Google Ads lead form delivery (google_key)',
      responses: { '200': ok('Received'), '400': err('Not a lead'), '403': err('Wrong key') },
    },
  },
  '/v1/webhooks/linkedin': {
    get: { summary: 'LinkedIn challenge (challengeCode)', responses: { '200': ok('challengeResponse') } },
    post: {
      summary: 'LinkedIn Lead Sync notification (X-LI-Signature)',
      responses: { '200': ok('Received'), '401': err('Bad signature') },
    },
  },
  '/v1/webhooks/tiktok': {
    post: {
      summary: 'TikTok lead delivery (TikTok-Signature, 5-minute window)',
      responses: { '200': ok('Received'), '401': err('Bad or stale signature') },
    },
  },
  '/v1/unsubscribe': {
    get: {
      summary: 'Unsubscribe page with a button (t = signed token)',
      parameters: [{ name: 't', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { '200': ok('HTML page'), '400': err('Invalid token') },
    },
    post: {
      summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe=One-Click)',
      parameters: [{ name: 't', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { '200': ok('Unsubscribed'), '400': err('Invalid token') },
    },
  },
  '/v1/confirm': {
    get: {
      summary:
        'Double opt-in confirmation page with a button (t = signed token from the confirmation email); changes nothing',
      parameters: [{ name: 't', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '200': ok('HTML page'),
        '400': err('Invalid token (invalid_confirmation_token) or expired link (confirmation_expired)'),
      },
    },
    post: {
      summary: "Confirm a double opt-in: marketing consent granted, the form's sequences start; idempotent",
      parameters: [{ name: 't', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '200': ok(
          'HTML page, or {"status": "confirmed" | "already_confirmed" | "not_pending"} with Accept: application/json',
        ),
        '400': err('Invalid token (invalid_confirmation_token) or expired link (confirmation_expired)'),
      },
    },
  },
  '/v1/schemas/hot-lead.v1.json': {
    get: { summary: 'JSON Schema of the hot-lead queue message', responses: { '200': ok('JSON Schema') } },
  },
  '/v1/schemas/lead-erased.v1.json': {
    get: {
      summary:
        'JSON Schema of the erase event on the hot-lead queue (a lead was erased: forget the person, remove them from the CRM)',
      responses: { '200': ok('JSON Schema') },
    },
  },
};
