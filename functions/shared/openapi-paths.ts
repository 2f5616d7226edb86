import { confirmationSchema, unsubscribedSchema } from '../core/consent/responses';
import { outcomeBodySchema } from '../core/handoff/outcome-input';
import {
  claimExtendedSchema,
  claimReleasedSchema,
  leadCardSchema,
  outcomeRecordedSchema,
  salesQueueSchema,
} from '../core/handoff/responses';
import { jsonDocumentSchema } from '../core/kernel/contract';
import { activitiesBodySchema } from '../core/leads/activity-input';
import { activityBatchSchema, activityRecordedSchema } from '../core/leads/responses';
import { backtestBodySchema, simulateBodySchema } from '../core/scoring/admin-bodies';
import {
  backtestSchema,
  rescoreProgressSchema,
  scoringActivatedSchema,
  scoringVersionsSchema,
  simulationSchema,
  validationResultSchema,
  versionAddedSchema,
} from '../core/scoring/responses';
import { deliveryReceivedSchema, linkedinChallengeSchema } from '../core/webhooks/responses';

import {
  activationBody,
  activationErrors,
  auth,
  bearer,
  beingErased,
  body,
  err,
  html,
  htmlOrJson,
  jsonBodyErrors,
  ok,
  pathParam,
  versionConflict,
} from './openapi-parts';

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

const tokenQuery = { name: 't', in: 'query', required: true, schema: { type: 'string' } };
const acceptHeader = {
  name: 'Accept',
  in: 'header',
  required: false,
  description: 'application/json for JSON answers instead of pages',
  schema: { type: 'string' },
};
const pageOrError = (description: string) => ({
  description,
  content: { ...html(description).content, ...err(description).content },
});
const confirmInvalid = pageOrError(
  'Invalid token (invalid_confirmation_token) or expired link (confirmation_expired): a page, or the error with Accept: application/json',
);
const webhookQuery = (names: string[]) =>
  names.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
/** Deliveries are read as raw bytes: the signature covers them exactly. */
const delivery = (description: string) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', description } } },
});
const notConfigured = { '404': err('The provider has no secret configured here (webhook_not_configured)') };
/** `unauthorized`: what a 401 means for a signed provider (Google signs nothing: no 401). */
const deliveryErrors = (unauthorized?: string) => ({
  '400': err('Malformed delivery, or a lead without a valid email (validation_failed)'),
  ...(unauthorized ? { '401': err(unauthorized) } : {}),
  '413': err('Delivery over 256 KB'),
  ...notConfigured,
});

const scoringBodyErrors = jsonBodyErrors('256 KB');

export const extraSchemas = {
  Activities: activitiesBodySchema,
  Outcome: outcomeBodySchema,
  ScoringSimulate: simulateBodySchema,
  ScoringBacktest: backtestBodySchema,
  ActivityRecorded: activityRecordedSchema,
  ActivityBatch: activityBatchSchema,
  ScoringVersions: scoringVersionsSchema,
  ValidationResult: validationResultSchema,
  VersionAdded: versionAddedSchema,
  ScoringActivated: scoringActivatedSchema,
  Simulation: simulationSchema,
  Backtest: backtestSchema,
  RescoreProgress: rescoreProgressSchema,
  LeadCard: leadCardSchema,
  ClaimExtended: claimExtendedSchema,
  ClaimReleased: claimReleasedSchema,
  OutcomeRecorded: outcomeRecordedSchema,
  SalesQueue: salesQueueSchema,
  DeliveryReceived: deliveryReceivedSchema,
  LinkedinChallenge: linkedinChallengeSchema,
  Unsubscribed: unsubscribedSchema,
  Confirmation: confirmationSchema,
  JsonDocument: jsonDocumentSchema,
};

export const extraPaths = {
  '/v1/activities': {
    post: {
      summary:
        'Record product events (ingest token): one (202) or a batch of up to 100 (200, a result per event)',
      security: bearer,
      requestBody: body('Activities'),
      responses: {
        '200': ok('Batch results', 'ActivityBatch'),
        '202': ok('Recorded', 'ActivityRecorded'),
        '400': err('Invalid events (paths)'),
        '404': err('Unknown lead'),
        ...beingErased,
        ...jsonBodyErrors('256 KB'),
        ...auth,
      },
    },
  },
  '/v1/admin/scoring': {
    get: {
      summary: 'Active scoring model and versions (marketing)',
      security: bearer,
      responses: { '200': ok('Model and versions', 'ScoringVersions'), ...auth },
    },
  },
  '/v1/admin/scoring/validate': {
    post: {
      summary: 'Validate a model: errors with paths, warnings',
      security: bearer,
      requestBody: modelBody,
      responses: {
        '200': ok('Validation result', 'ValidationResult'),
        '400': err('Not a model body'),
        ...scoringBodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/scoring/versions': {
    post: {
      summary: 'Add a model version (not active)',
      security: bearer,
      requestBody: modelBody,
      responses: {
        '201': ok('Version added', 'VersionAdded'),
        '400': err('Invalid model (paths)'),
        ...versionConflict,
        ...scoringBodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/scoring/versions/{version}/activate': {
    post: {
      summary: 'Activate a version and rescore every lead',
      security: bearer,
      parameters: [pathParam('version')],
      requestBody: activationBody,
      responses: {
        '202': ok('Activated; rescore started', 'ScoringActivated'),
        '400': err('Not a version number, or an invalid body'),
        '404': err('No such version (version_not_found)'),
        ...activationErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/scoring/simulate': {
    post: {
      summary: 'Score a stored or sketched lead under a draft or the active model',
      security: bearer,
      requestBody: body('ScoringSimulate'),
      responses: {
        '200': ok('Score, stage, breakdown', 'Simulation'),
        '400': err('Invalid input'),
        '404': err('Unknown lead (lead_not_found)'),
        ...scoringBodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/scoring/backtest': {
    post: {
      summary: 'A page of stored leads a draft model would change',
      security: bearer,
      requestBody: body('ScoringBacktest'),
      responses: {
        '200': ok('Changes and cursor', 'Backtest'),
        '400': err('Invalid model, or a cursor not from a previous page'),
        ...scoringBodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/scoring/rescore': {
    get: {
      summary: 'Progress of the latest rescore job',
      security: bearer,
      responses: { '200': ok('The latest job, or null', 'RescoreProgress'), ...auth },
    },
  },
  '/v1/sales/claims': {
    post: {
      summary: 'Claim the next hot lead (sales)',
      security: bearer,
      responses: {
        '200': ok('Lead card with claimToken (signed, under 50 characters) and claimExpiresAt', 'LeadCard'),
        '204': { description: 'Nothing waits' },
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
        '200': ok('New expiry', 'ClaimExtended'),
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
        '200': ok('Released', 'ClaimReleased'),
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
        '200': ok('Outcome and stage', 'OutcomeRecorded'),
        '400': err(
          'Invalid outcome, or a claim token not issued by Leadflow (invalid_claim_token): nothing changed',
        ),
        '409': err('Claim not held (claim_not_held), or the token is for another lead'),
        ...jsonBodyErrors('16 KB'),
        ...auth,
      },
    },
  },
  '/v1/sales/queue': {
    get: {
      summary: 'Waiting and claimed hand-offs, oldest wait',
      security: bearer,
      responses: { '200': ok('Counts', 'SalesQueue'), ...auth },
    },
  },
  '/v1/webhooks/meta': {
    get: {
      summary: 'Meta subscription check (hub.challenge)',
      parameters: webhookQuery(['hub.mode', 'hub.verify_token', 'hub.challenge']),
      responses: {
        '200': { description: 'The challenge', content: { 'text/plain': { schema: { type: 'string' } } } },
        '400': err('The verify token matches but hub.challenge is missing'),
        '403': err('Not hub.mode=subscribe, or a wrong verify token'),
        ...notConfigured,
      },
    },
    post: {
      summary: 'Meta Lead Ads delivery (X-Hub-Signature-256)',
      requestBody: delivery('Meta leadgen change notification'),
      responses: { '200': ok('Received', 'DeliveryReceived'), ...deliveryErrors('Bad signature') },
    },
  },
  '/v1/webhooks/google': {
    post: {
      summary: 'Google Ads lead form delivery (google_key)',
      requestBody: delivery('Google Ads lead form webhook body, with google_key'),
      responses: {
        '200': ok('Received', 'DeliveryReceived'),
        '403': err('Wrong google_key in the body'),
        ...deliveryErrors(),
        ...beingErased,
      },
    },
  },
  '/v1/webhooks/linkedin': {
    get: {
      summary: 'LinkedIn challenge (challengeCode)',
      parameters: webhookQuery(['challengeCode']),
      responses: {
        '200': ok('challengeResponse', 'LinkedinChallenge'),
        '400': err('No or malformed challengeCode'),
        ...notConfigured,
      },
    },
    post: {
      summary: 'LinkedIn Lead Sync notification (X-LI-Signature)',
      requestBody: delivery('LinkedIn Lead Sync notification'),
      responses: { '200': ok('Received', 'DeliveryReceived'), ...deliveryErrors('Bad signature') },
    },
  },
  '/v1/webhooks/tiktok': {
    post: {
      summary: 'TikTok lead delivery (TikTok-Signature, 5-minute window)',
      requestBody: delivery('TikTok lead webhook body'),
      responses: {
        '200': ok('Received', 'DeliveryReceived'),
        ...deliveryErrors('Bad or stale signature'),
        ...beingErased,
      },
    },
  },
  '/v1/unsubscribe': {
    get: {
      summary: 'Unsubscribe page with a button (t = signed token); changes nothing',
      parameters: [tokenQuery, acceptHeader],
      responses: {
        '200': html('HTML page with the button'),
        '400': pageOrError('Invalid token: a page, or the error with Accept: application/json'),
      },
    },
    post: {
      summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe=One-Click), or the page button',
      parameters: [tokenQuery, acceptHeader],
      requestBody: {
        required: false,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'string',
              description: 'List-Unsubscribe=One-Click from mail clients; empty from the page',
            },
          },
        },
      },
      responses: {
        '200': htmlOrJson(
          'Unsubscribed: a page, or JSON for one-click or Accept: application/json',
          'Unsubscribed',
        ),
        '400': pageOrError('Invalid token: a page, or the error with Accept: application/json'),
      },
    },
  },
  '/v1/confirm': {
    get: {
      summary:
        'Double opt-in confirmation page with a button (t = signed token from the confirmation email); changes nothing',
      parameters: [tokenQuery, acceptHeader],
      responses: {
        '200': html('HTML page with the button'),
        '400': confirmInvalid,
      },
    },
    post: {
      summary: "Confirm a double opt-in: marketing consent granted, the form's sequences start; idempotent",
      parameters: [tokenQuery, acceptHeader],
      responses: {
        '200': htmlOrJson('A page, or {"status"} with Accept: application/json', 'Confirmation'),
        '400': confirmInvalid,
      },
    },
  },
  '/v1/schemas/hot-lead.v1.json': {
    get: {
      summary: 'JSON Schema of the hot-lead queue message',
      responses: { '200': ok('JSON Schema', 'JsonDocument') },
    },
  },
  '/v1/schemas/lead-erased.v1.json': {
    get: {
      summary:
        'JSON Schema of the erase event on the hot-lead queue (a lead was erased: forget the person, remove them from the CRM)',
      responses: { '200': ok('JSON Schema', 'JsonDocument') },
    },
  },
};
