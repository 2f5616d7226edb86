import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdFor } from '../../functions/core/kernel/email';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { testForm } from '../fixtures/fakes';
import { httpEvent, invoke, submission } from '../fixtures/http-events';

let env: EmulatorEnv;
let admin: Parameters<typeof invoke>[0];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  env = await emulatorEnv();
  await env.publishForm(testForm());
  for (const role of ['marketing', 'sales', 'ingest'] as const) tokens[role] = await env.token(role);
  const form = await import('../../functions/handlers/form-submission');
  ({ handler: admin } = await import('../../functions/handlers/admin-leads'));
  const post = (body: Record<string, unknown>) =>
    invoke(form.handler, submission('demo-request', body, { origin: 'https://example.com' }));
  await post({
    email: 'Ada.Lovelace@gmail.com',
    firstName: 'Ada',
    consent: true,
    _page: 'https://example.com/?utm_source=x',
  });
  await post({ email: 'adalovelace+later@gmail.com', firstName: 'Ada', lastName: 'Lovelace', country: 'GB' });
});
afterAll(async () => env?.stop());

const byId = (leadId: string, token?: string) =>
  httpEvent({
    routeKey: 'GET /v1/admin/leads/{leadId}',
    path: `/v1/admin/leads/${leadId}`,
    pathParameters: { leadId },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
const byEmail = (email: string, token?: string) =>
  httpEvent({
    routeKey: 'GET /v1/admin/leads',
    path: '/v1/admin/leads',
    query: { email },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('GET /v1/admin/leads', () => {
  it('returns the lead view by id to marketing: merged profile, consent, timeline newest first', async () => {
    const res = await invoke(admin, byId(leadIdFor('adalovelace@gmail.com'), tokens.marketing));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      leadId: leadIdFor('adalovelace@gmail.com'),
      email: 'adalovelace+later@gmail.com',
      stage: 'lead',
      profile: { firstName: 'Ada', lastName: 'Lovelace', country: 'GB' },
      consent: [
        { granted: false, source: 'form:demo-request' },
        { granted: true, text: 'Send me product news.', source: 'form:demo-request' },
      ],
      marketingConsent: { granted: true },
      firstTouch: { utm_source: 'x', page: 'https://example.com/?utm_source=x' },
      enrollments: [],
    });
    expect(res.json.timeline).toHaveLength(2);
    expect(res.json.timeline[0].at >= res.json.timeline[1].at).toBe(true);
    expect(res.json.timeline[0]).toMatchObject({ type: 'form_submitted', formId: 'demo-request' });
  });

  it('finds the same lead by any spelling of the email, for sales too', async () => {
    const res = await invoke(admin, byEmail('A.D.A.Lovelace@googlemail.com', tokens.sales));
    expect(res.status).toBe(200);
    expect(res.json.leadId).toBe(leadIdFor('adalovelace@gmail.com'));
  });

  it('answers 404 for an unknown lead and 400 for a malformed id', async () => {
    expect((await invoke(admin, byEmail('nobody@example.com', tokens.marketing))).json.error.code).toBe(
      'lead_not_found',
    );
    const bad = await invoke(admin, byId('../etc', tokens.marketing));
    expect(bad.status).toBe(400);
  });

  it('answers 401 without a token or with an unknown one, 403 for the ingest role', async () => {
    expect((await invoke(admin, byEmail('a@example.com'))).status).toBe(401);
    expect((await invoke(admin, byEmail('a@example.com', 'lf_marketing_not-a-real-token-123'))).status).toBe(
      401,
    );
    const forbidden = await invoke(admin, byEmail('a@example.com', tokens.ingest));
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('forbidden');
  });
});
