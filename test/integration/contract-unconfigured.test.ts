import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { answerOf, contractChecker } from '../fixtures/contract';
import { startTestStack } from '../fixtures/local-api';

/**
 * The documented 404 webhook_not_configured, on a stack of its own: webhook secrets are read once
 * per process (functions/shared/webhook-secrets.ts), so contract.test.ts, which configures every
 * provider, cannot observe it. Here Meta, LinkedIn and TikTok have no secret; Google has its key.
 */
let stack: LocalStack;
let checker: Awaited<ReturnType<typeof contractChecker>>;
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
  checker = await contractChecker(stack.apiUrl);
}, 60_000);
afterAll(async () => stack?.stop());

/** Sends `route` and checks the answer against the served document (test/fixtures/contract.ts). */
async function call(route: string, body?: string) {
  const [method, path] = route.split(' ') as [string, string];
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const answer = await answerOf(res);
  checker.expectDocumented(route, answer);
  return answer;
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
