import {
  ENDPOINT_BODY_BYTES,
  endpointCreateSchema,
  endpointPatchSchema,
} from '../core/integrations/webhook-endpoint';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  retryDelivery,
  rotateSecret,
  testEndpoint,
  updateEndpoint,
} from '../core/integrations/webhook-endpoints';
import { authorize } from '../core/kernel/auth';
import { ValidationError } from '../core/kernel/errors';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { endpointDeps } from '../shared/wiring/integrations';
import { requestVerifier } from '../shared/wiring/request-verifier';

const tokens = requestVerifier();
const deps = endpointDeps();
const BASE = '/v1/admin/webhooks/endpoints';

function pageLimit(event: HttpEvent): number {
  const raw = event.queryStringParameters?.limit ?? '50';
  const limit = Number(raw);
  if (!/^\d{1,3}$/.test(raw) || limit < 1 || limit > 200)
    throw new ValidationError([{ path: 'limit', message: 'must be a whole number from 1 to 200' }]);
  return limit;
}

/**
 * Outbound webhook endpoints (admin only): list, create (the secret shown once), read, change,
 * delete, rotate the secret, the delivery log, replay one delivery, and a test ping.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const caller = await authorize(tokens, header(event, 'authorization'), ['admin']);
  const by = { name: caller.name, ...(caller.username ? { username: caller.username } : {}) };
  const id = event.pathParameters?.id ?? '';
  switch (event.routeKey) {
    case `GET ${BASE}`:
      return json(200, { endpoints: await listEndpoints(deps) });
    case `POST ${BASE}`: {
      const created = await createEndpoint(
        deps,
        parseJsonBody(event, endpointCreateSchema, ENDPOINT_BODY_BYTES),
        by,
      );
      logger.info('webhook endpoint created', { endpointId: created.id });
      return json(201, created, { location: `${BASE}/${created.id}` });
    }
    case `PATCH ${BASE}/{id}`: {
      const updated = await updateEndpoint(
        deps,
        id,
        parseJsonBody(event, endpointPatchSchema, ENDPOINT_BODY_BYTES),
        by,
      );
      logger.info('webhook endpoint changed', { endpointId: id, status: updated.status });
      return json(200, updated);
    }
    case `DELETE ${BASE}/{id}`:
      await deleteEndpoint(deps, id);
      logger.info('webhook endpoint deleted', { endpointId: id });
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    case `POST ${BASE}/{id}/rotate-secret`: {
      const rotated = await rotateSecret(deps, id, by);
      logger.info('webhook endpoint secret rotated', { endpointId: id });
      return json(200, rotated);
    }
    case `GET ${BASE}/{id}/deliveries`:
      return json(200, await listDeliveries(deps, id, pageLimit(event), event.queryStringParameters?.cursor));
    case `POST ${BASE}/{id}/deliveries/{deliveryId}/retry`:
      return json(202, await retryDelivery(deps, id, event.pathParameters?.deliveryId ?? ''));
    case `POST ${BASE}/{id}/test`:
      return json(200, await testEndpoint(deps, id));
    default:
      return json(200, await getEndpoint(deps, id));
  }
});
