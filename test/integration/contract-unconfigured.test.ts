import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { type Json, startTestStack } from '../fixtures/local-api';

/**
 * The documented 404 webhook_not_configured, on a stack of its own: webhook secrets are read once
 * per process (functions/shared/webhook-secrets.ts), so contract.test.ts, which configures every
 * provider, cannot observe it. Here Meta, LinkedIn and TikTok have no secret; Google has its key.
 */
let stack: LocalStack;
let doc: Json;
let validator: OpenAPIBackend;
const UNSET = [
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
  'LINKEDIN_CLIENT_SECRET',
  'TIKTOK_WEBHOOK_SECRET',
  'LEADFLOW_WEBHOOK_SECRETS_ARN',
];

beforeAll(async () => {
  for (const name of UNSET) delete process.env[name];
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    GOOGLE_ADS_WEBHOOK_KEY: 'google-key-for-unconfigured-contract',
  });
  stack = await startTestStack();
  doc = await (await fetch(`${stack.apiUrl}/v1/openapi.json`)).json();
  validator = new OpenAPIBackend({
    definition: structuredClone(doc),
    quick: true, // as in contract.test.ts: the document's validity is openapi-lint.test.ts's job
    customizeAjv: (_ajv, options) => addFormats(new Ajv2020({ ...options, strict: false, allErrors: true })),
  });
  await validator.init();
}, 60_000);
afterAll(async () => stack?.stop());

/** Sends `route` and checks the answer's status, media type and body against the served document. */
async function call(route: string, body?: string) {
  const [method, path] = route.split(' ') as [string, string];
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as Json;
  const op = doc.paths[path][method.toLowerCase()];
  const documented = op.responses[String(res.status)];
  const what = `${route} → ${res.status} ${JSON.stringify(json)}`;
  expect(documented, `${what}: status not documented`).toBeDefined();
  expect(Object.keys(documented.content), what).toContain(res.headers.get('content-type')?.split(';')[0]);
  expect(validator.validateResponse(json, op.operationId, res.status).errors ?? [], what).toEqual([]);
  return { status: res.status, json };
}

describe('a provider without its secret', () => {
  it('answers 404 webhook_not_configured on each of its routes, as documented', async () => {
    for (const route of [
      'GET /v1/webhooks/meta',
      'POST /v1/webhooks/meta',
      'GET /v1/webhooks/linkedin',
      'POST /v1/webhooks/linkedin',
      'POST /v1/webhooks/tiktok',
    ]) {
      const res = await call(route, route.startsWith('POST') ? '{}' : undefined);
      expect([route, res.status, res.json.error.code]).toEqual([route, 404, 'webhook_not_configured']);
    }
  });

  it('leaves a configured provider answering: Google checks its key (403 for a wrong one)', async () => {
    const res = await call(
      'POST /v1/webhooks/google',
      JSON.stringify({ google_key: 'wrong', lead_id: 'g-1' }),
    );
    expect([res.status, res.json.error.code]).toEqual([403, 'forbidden']);
  });
});
