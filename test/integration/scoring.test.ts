import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdFor } from '../../functions/core/kernel/email';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { publishShippedConfig } from '../fixtures/config';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { httpEvent, invoke, submission } from '../fixtures/http-events';

let env: EmulatorEnv;
let form: Parameters<typeof invoke>[0];
let activities: Parameters<typeof invoke>[0];
let admin: Parameters<typeof invoke>[0];
const tokens: Record<string, string> = {};
const ORIGIN = { origin: 'https://example.com' };

beforeAll(async () => {
  env = await emulatorEnv({ LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '50' });
  await publishShippedConfig(env);
  for (const role of ['marketing', 'ingest', 'sales'] as const) tokens[role] = await env.token(role);
  ({ handler: form } = await import('../../functions/handlers/form-submission'));
  ({ handler: activities } = await import('../../functions/handlers/activities'));
  ({ handler: admin } = await import('../../functions/handlers/admin-leads'));
});
afterAll(async () => env?.stop());

const leadView = async (email: string) => {
  const res = await invoke(
    admin,
    httpEvent({
      routeKey: 'GET /v1/admin/leads',
      path: '/v1/admin/leads',
      query: { email },
      headers: { authorization: `Bearer ${tokens.marketing}` },
    }),
  );
  expect(res.status).toBe(200);
  return res.json;
};

const postActivities = (body: unknown, token = tokens.ingest) =>
  invoke(
    activities,
    httpEvent({
      routeKey: 'POST /v1/activities',
      path: '/v1/activities',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );

const vp = {
  email: 'jane.doe@acme-industries.de',
  firstName: 'Jane',
  lastName: 'Doe',
  company: 'Acme Industries',
  jobTitle: 'VP Marketing',
  country: 'DE',
  companySize: '201-1000',
  phone: '030 1234567',
};

describe('scoring on capture', () => {
  it('makes a demo request from a VP at a target-country business domain hot and hands it off at once', async () => {
    expect((await invoke(form, submission('demo-request', vp, ORIGIN))).status).toBe(202);
    const lead = await leadView(vp.email);
    expect(lead.score).toMatchObject({
      hot: true,
      mql: true,
      grade: expect.stringMatching(/^[AB]$/),
      modelVersion: 1,
    });
    expect(lead.stage).toBe('mql');
    expect(lead.handoff).toMatchObject({
      number: 1,
      status: 'sent',
      rules: expect.arrayContaining(['demo-request', 'senior-title']),
    });
    const stored = (await env.items()).find((i) => i.pk === `LEAD#${leadIdFor(vp.email)}` && i.sk === 'LEAD');
    expect(stored?.gsi1pk).toBe('HANDOFF#sent');
    expect(lead.timeline[0].effect).toMatchObject({ handoff: 1, score: { from: null, modelVersion: 1 } });
  });

  it('keeps a newsletter sign-up from a free-mail address away from sales', async () => {
    await invoke(
      form,
      submission('newsletter', { email: 'sam.student@gmail.com', firstName: 'Sam', consent: 'true' }, ORIGIN),
    );
    const lead = await leadView('sam.student@gmail.com');
    expect(lead.score).toMatchObject({ hot: false, mql: false });
    expect(lead.stage).toBe('subscriber');
    expect(lead.handoff).toBeNull();
  });

  it('explains the score: the breakdown adds up to the total', async () => {
    const { score } = await leadView(vp.email);
    const sum = score.breakdown.reduce((total: number, entry: { points: number }) => total + entry.points, 0);
    expect(Math.round(sum * 10) / 10).toBe(score.total);
    expect(score.breakdown.map((e: { rule: string }) => e.rule)).toContain('business-email');
  });

  it('costs three DynamoDB requests for a new submission with scoring on, one more when it turns hot', async () => {
    await invoke(form, submission('demo-request', { ...vp, email: 'warm@acme-industries.de' }, ORIGIN));
    const count = async (body: Record<string, string>, ip: string) => {
      let requests = 0;
      dynamo.middlewareStack.add(
        (next) => (args) => {
          requests += 1;
          return next(args);
        },
        { step: 'initialize', name: 'count' },
      );
      await invoke(form, submission('demo-request', body, ORIGIN, ip));
      dynamo.middlewareStack.remove('count');
      return requests;
    };
    const { jobTitle: _title, companySize: _size, phone: _phone, ...cold } = vp;
    expect(await count({ ...cold, email: 'counted@acme-industries.de' }, '203.0.113.50')).toBe(3);
    // Hot: the per-IP counter, the lead write with the pending hand-off, the activity, and marking it sent.
    expect(await count({ ...vp, email: 'hot@acme-industries.de' }, '203.0.113.51')).toBe(4);
  });
});

describe('POST /v1/activities', () => {
  it('adds engagement for a product event and does not count a retried event twice', async () => {
    const email = 'sam.student@gmail.com';
    const before = (await leadView(email)).score.engagement;
    const event = {
      email,
      type: 'page_viewed',
      properties: { path: '/pricing/teams' },
      idempotencyKey: 'pv-1',
    };
    const first = await postActivities(event);
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ leadId: leadIdFor(email), status: 'accepted' });
    const retry = await postActivities(event);
    expect(retry.json.status).toBe('duplicate');
    const after = await leadView(email);
    expect(after.score.engagement).toBeCloseTo(before + 10, 0);
    expect(after.timeline.filter((t: { type: string }) => t.type === 'page_viewed')).toHaveLength(1);
  });

  it('accepts a batch and reports each event, creating a lead only when asked', async () => {
    const res = await postActivities({
      activities: [
        {
          email: 'new.user@acme-industries.de',
          type: 'trial_started',
          createLead: true,
          idempotencyKey: 't-1',
        },
        { email: 'unknown@acme-industries.de', type: 'trial_started', idempotencyKey: 't-2' },
        { email: vp.email, type: 'webinar_attended', idempotencyKey: 'w-1' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'failed',
      'accepted',
    ]);
    expect(res.json.results[1].error.code).toBe('lead_not_found');
    expect((await leadView('new.user@acme-industries.de')).score.breakdown).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'trial-started' })]),
    );
  });

  it('answers 404 for an unknown lead without createLead, and stores nothing', async () => {
    const before = (await env.items()).length;
    const res = await postActivities({ email: 'ghost@acme-industries.de', type: 'page_viewed' });
    expect(res.status).toBe(404);
    expect((await env.items()).length).toBe(before);
  });

  it('refuses bad events as a whole with the path of each error', async () => {
    const res = await postActivities({
      activities: [
        { email: vp.email, type: 'page_viewed' },
        { email: vp.email, type: 'form_submitted' },
        { type: 'Bad Type' },
      ],
    });
    expect(res.status).toBe(400);
    const paths = res.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['activities.1.type', 'activities.2.type', 'activities.2.email']),
    );
    const future = await postActivities({
      email: vp.email,
      type: 'page_viewed',
      occurredAt: '2999-01-01T00:00:00Z',
    });
    expect(future.json.error.details).toEqual([{ path: 'occurredAt', message: 'is in the future' }]);
  });

  it('needs an ingest token: 401 without, 403 for sales', async () => {
    expect(
      (await postActivities({ email: vp.email, type: 'page_viewed' }, 'lf_ingest_not-a-token-0000')).status,
    ).toBe(401);
    expect((await postActivities({ email: vp.email, type: 'page_viewed' }, tokens.sales)).status).toBe(403);
  });

  it('does not hand off a lead again while its hand-off is open, however much it scores', async () => {
    await postActivities({ email: vp.email, type: 'trial_started', idempotencyKey: 'vp-trial' });
    const lead = await leadView(vp.email);
    expect(lead.handoff).toMatchObject({ number: 1, status: 'sent' });
  });
});
