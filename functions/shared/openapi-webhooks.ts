import {
  deliveryListSchema,
  deliveryRetriedSchema,
  endpointCreatedSchema,
  endpointCreateSchema,
  endpointListSchema,
  endpointPatchSchema,
  endpointTestedSchema,
  endpointViewSchema,
  secretRotatedSchema,
} from '../core/integrations/webhook-endpoint';
import { bearer, body, err, jsonBodyErrors, ok, pathParam } from './openapi-parts';

/** Outbound webhooks (functions/core/integrations/webhook-endpoint.ts): bodies and answers. */
export const webhookSchemas = {
  WebhookEndpointCreate: endpointCreateSchema,
  WebhookEndpointPatch: endpointPatchSchema,
  WebhookEndpoint: endpointViewSchema,
  WebhookEndpointCreated: endpointCreatedSchema,
  WebhookEndpointList: endpointListSchema,
  WebhookSecretRotated: secretRotatedSchema,
  WebhookDeliveryList: deliveryListSchema,
  WebhookDeliveryRetried: deliveryRetriedSchema,
  WebhookEndpointTested: endpointTestedSchema,
};

const admin = {
  '401': err('No valid token'),
  '403': err('Not an admin'),
};
const unknown = { '404': err('No such endpoint (webhook_endpoint_not_found)') };
const invalid = (what: string) => ({ '400': err(`${what} (validation_failed; details name each field)`) });
const id = pathParam('id');

export const webhookPaths = {
  '/v1/admin/webhooks/endpoints': {
    get: {
      summary: 'Outbound webhook endpoints (admin); never their secrets',
      security: bearer,
      responses: { '200': ok('The endpoints', 'WebhookEndpointList'), ...admin },
    },
    post: {
      summary:
        'Create an endpoint: public https URL (locally also http://127.0.0.1:<port>), event types; the answer shows its whsec_ secret this once (admin)',
      security: bearer,
      requestBody: body('WebhookEndpointCreate'),
      responses: {
        '201': ok('Created, with its secret', 'WebhookEndpointCreated'),
        ...invalid('Invalid body, or a URL that is not https to a public address'),
        ...admin,
        ...jsonBodyErrors('16 KB'),
      },
    },
  },
  '/v1/admin/webhooks/endpoints/{id}': {
    get: {
      summary: 'One endpoint (admin)',
      security: bearer,
      parameters: [id],
      responses: { '200': ok('The endpoint', 'WebhookEndpoint'), ...admin, ...unknown },
    },
    patch: {
      summary: 'Change url, description, event types or status (active again clears a pause) (admin)',
      security: bearer,
      parameters: [id],
      requestBody: body('WebhookEndpointPatch'),
      responses: {
        '200': ok('The endpoint as changed', 'WebhookEndpoint'),
        ...invalid('Invalid body or URL'),
        ...admin,
        ...unknown,
        ...jsonBodyErrors('16 KB'),
      },
    },
    delete: {
      summary: 'Delete an endpoint: its pending deliveries are dropped (admin)',
      security: bearer,
      parameters: [id],
      responses: { '204': { description: 'Deleted' }, ...admin, ...unknown },
    },
  },
  '/v1/admin/webhooks/endpoints/{id}/rotate-secret': {
    post: {
      summary: 'A new secret, shown this once; the previous one still signs for 24 hours (admin)',
      security: bearer,
      parameters: [id],
      responses: { '200': ok('The new secret', 'WebhookSecretRotated'), ...admin, ...unknown },
    },
  },
  '/v1/admin/webhooks/endpoints/{id}/deliveries': {
    get: {
      summary:
        'The delivery log, newest first, kept 30 days: status, latency, the answer (500 characters) (admin)',
      security: bearer,
      parameters: [
        id,
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 200 },
        },
        { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
      ],
      responses: {
        '200': ok('A page of the log', 'WebhookDeliveryList'),
        ...invalid('A limit outside 1..200'),
        ...admin,
        ...unknown,
      },
    },
  },
  '/v1/admin/webhooks/endpoints/{id}/deliveries/{deliveryId}/retry': {
    post: {
      summary: 'Queue a logged delivery again (same event id, fresh retries): replay after a fix (admin)',
      security: bearer,
      parameters: [id, pathParam('deliveryId')],
      responses: {
        '202': ok('Queued', 'WebhookDeliveryRetried'),
        ...admin,
        '404': err('No such endpoint, or no such delivery in its 30-day log'),
      },
    },
  },
  '/v1/admin/webhooks/endpoints/{id}/test': {
    post: {
      summary: 'Send a signed webhook.test ping now and answer what the receiver said (admin)',
      security: bearer,
      parameters: [id],
      responses: { '200': ok('What the receiver answered', 'WebhookEndpointTested'), ...admin, ...unknown },
    },
  },
  '/v1/schemas/webhook-events.v1.json': {
    get: {
      summary: 'JSON Schema of every outbound webhook payload (one object per event type)',
      responses: { '200': ok('JSON Schema', 'JsonDocument') },
    },
  },
};
