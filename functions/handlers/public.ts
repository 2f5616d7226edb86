import { hotLeadJsonSchema, leadErasedJsonSchema } from '../core/handoff/hot-lead-schema';
import { webhookPayloadJsonSchema } from '../core/integrations/webhook-payload';
import { RouteNotFoundError } from '../core/kernel/errors';
import { EMBED_SCRIPT } from '../shared/embed-script';
import { type HttpEvent, json } from '../shared/http';
import { httpHandler } from '../shared/middleware';
import { openApiDocument } from '../shared/openapi';

let openApi: string | undefined;

/** GET /v1/health, /v1/openapi.json, /v1/embed.js: public, no table access. */
export const handler = httpHandler(async (event: HttpEvent) => {
  switch (event.routeKey) {
    case 'GET /v1/health':
      return json(200, { status: 'ok' });
    case 'GET /v1/openapi.json':
      openApi ??= JSON.stringify(openApiDocument());
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
        body: openApi,
      };
    case 'GET /v1/embed.js':
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'public, max-age=300',
          'access-control-allow-origin': '*',
        },
        body: EMBED_SCRIPT,
      };
    case 'GET /v1/schemas/hot-lead.v1.json':
      return json(200, hotLeadJsonSchema(), { 'cache-control': 'public, max-age=3600' });
    case 'GET /v1/schemas/lead-erased.v1.json':
      return json(200, leadErasedJsonSchema(), { 'cache-control': 'public, max-age=3600' });
    case 'GET /v1/schemas/webhook-events.v1.json':
      return json(200, webhookPayloadJsonSchema(), { 'cache-control': 'public, max-age=3600' });
    default:
      throw new RouteNotFoundError();
  }
});
