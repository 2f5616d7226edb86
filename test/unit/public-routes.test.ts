import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/handlers/public';
import { EMBED_SCRIPT } from '../../functions/shared/embed-script';
import { ROUTES } from '../../functions/shared/routes';
import { httpEvent, invoke } from '../fixtures/http-events';

describe('public routes', () => {
  it('answers unknown paths (the $default route) with 404 in the contract error body', async () => {
    const res = await invoke(handler, httpEvent({ routeKey: '$default', path: '/v2/nothing' }));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'route_not_found', message: 'No such route.', details: [] } });
  });

  it('serves an embed script that parses as JavaScript', async () => {
    const res = await invoke(handler, httpEvent({ routeKey: 'GET /v1/embed.js', path: '/v1/embed.js' }));
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(() => new Function(EMBED_SCRIPT)).not.toThrow();
  });

  it('serves an OpenAPI 3.1 document whose submission schema comes from the request schema', async () => {
    const res = await invoke(
      handler,
      httpEvent({ routeKey: 'GET /v1/openapi.json', path: '/v1/openapi.json' }),
    );
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.components.schemas.Submission.propertyNames).toEqual({ type: 'string', maxLength: 100 });
    expect(Object.keys(res.json.paths)).toContain('/v1/forms/{formId}/submissions');
  });

  it('documents every API route in the OpenAPI document', async () => {
    const res = await invoke(
      handler,
      httpEvent({ routeKey: 'GET /v1/openapi.json', path: '/v1/openapi.json' }),
    );
    const missing = ROUTES.filter((route) => !res.json.paths[route.path]?.[route.method.toLowerCase()]).map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(missing.filter((route) => !route.startsWith('OPTIONS '))).toEqual([]);
  });
});
