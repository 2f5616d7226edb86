import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { startFakeGraph } from '../fixtures/fake-graph';
import { LINKEDIN_FORM_ID, startFakeLinkedin } from '../fixtures/fake-linkedin';
import { httpEvent, invoke } from '../fixtures/http-events';
import { type Json, startTestStack, waitFor, webhookApi } from '../fixtures/local-api';
import { queuesDrained } from '../fixtures/queues';

/** LinkedIn Lead Sync and TikTok lead webhooks on the whole local stack, with a fake LinkedIn API on 127.0.0.1. */
let stack: LocalStack;
let web: ReturnType<typeof webhookApi>;
let linkedin: Awaited<ReturnType<typeof startFakeLinkedin>>;
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
const LINKEDIN_SECRET = 'linkedin-client-secret-for-tests';
const LINKEDIN_TOKEN = 'linkedin-access-token-for-tests';
const TIKTOK_SECRET = 'tiktok-secret-for-tests';
const META_SECRET = 'meta-app-secret-for-tests';
const GOOGLE_KEY = 'google-key-for-tests';

beforeAll(async () => {
  linkedin = await startFakeLinkedin();
  graph = await startFakeGraph();
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    LINKEDIN_CLIENT_SECRET: LINKEDIN_SECRET,
    LINKEDIN_ACCESS_TOKEN: LINKEDIN_TOKEN,
    LINKEDIN_API_URL: linkedin.url,
    TIKTOK_WEBHOOK_SECRET: TIKTOK_SECRET,
    META_APP_SECRET: META_SECRET,
    META_VERIFY_TOKEN: 'verify-me',
    META_GRAPH_URL: graph.url,
    GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
  });
  stack = await startTestStack();
  web = webhookApi(stack);
}, 30_000);
afterAll(async () => {
  await stack?.stop();
  await linkedin?.stop();
  await graph?.stop();
});

const hmac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');
const liSign = (body: string, secret = LINKEDIN_SECRET) => hmac(secret, body);
const ttSign = (body: string, t = Math.floor(Date.now() / 1000), secret = TIKTOK_SECRET) =>
  `t=${t},s=${hmac(secret, `${t}.${body}`)}`;

// LinkedIn's documented Lead Sync notification (learn.microsoft.com/linkedin/marketing/lead-sync).
const notification = (responseId: string, leadAction: 'CREATED' | 'DELETED' = 'CREATED') =>
  JSON.stringify({
    type: 'LEAD_ACTION',
    leadGenFormResponse: `urn:li:leadGenFormResponse:${responseId}`,
    leadGenForm: `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:${LINKEDIN_FORM_ID},1)`,
    owner: { sponsoredAccount: 'urn:li:sponsoredAccount:522529623' },
    associatedEntity: { sponsoredCreative: 'urn:li:sponsoredCreative:241257736' },
    leadType: 'SPONSORED',
    leadAction,
    occurredAt: 1764230400000,
  });
/** Signed unless `signature` says otherwise (null: no header at all). */
const postLinkedin = (body: string, signature: string | null = liSign(body)) =>
  web.post('/v1/webhooks/linkedin', body, signature === null ? {} : { 'x-li-signature': signature });

describe('LinkedIn Lead Sync', () => {
  it('answers the validation challenge with the HMAC of the code, and 400 without one', async () => {
    const challengeCode = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const res = await fetch(`${stack.apiUrl}/v1/webhooks/linkedin?challengeCode=${challengeCode}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      challengeCode,
      challengeResponse: hmac(LINKEDIN_SECRET, challengeCode),
    });
    expect((await fetch(`${stack.apiUrl}/v1/webhooks/linkedin`)).status).toBe(400);
  });

  it('is no signing oracle: a challenge code that is not a UUID is refused, so no body can be signed through it', async () => {
    const forged = notification('li-resp-forged', 'DELETED');
    const asked = await fetch(
      `${stack.apiUrl}/v1/webhooks/linkedin?challengeCode=${encodeURIComponent(forged)}`,
    );
    expect(asked.status).toBe(400);
    expect((await asked.json()).error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'challengeCode', message: expect.stringContaining('UUID') }],
    });
    for (const code of [`hmacsha256=${forged}`, 'a'.repeat(36), '890e4665-4dfe-4ab1-b689-ed553bceeed0 ']) {
      const res = await fetch(
        `${stack.apiUrl}/v1/webhooks/linkedin?challengeCode=${encodeURIComponent(code)}`,
      );
      expect(res.status).toBe(400);
    }
  });

  it('CREATED: answers at once, fetches the form response and its form, and captures the lead', async () => {
    linkedin.addResponse('li-resp-1', {
      FIRST_NAME: 'Lina',
      LAST_NAME: 'Linked',
      EMAIL: 'Lina.Linked@initech.de',
      COMPANY_NAME: 'Initech',
      JOB_TITLE: 'Head of Growth',
      PHONE_NUMBER: '+49 30 1234567',
      'What is your budget?': '50k+',
      'Team size': [3],
    });
    const res = await postLinkedin(notification('li-resp-1'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true });
    const stored = await waitFor('the ad-leads consumer to capture the LinkedIn lead', () =>
      web.captured('lina.linked@initech.de'),
    );
    expect(stored.profile).toMatchObject({
      firstName: 'Lina',
      lastName: 'Linked',
      company: 'Initech',
      jobTitle: 'Head of Growth',
      phone: '+49301234567',
      what_is_your_budget: '50k+',
      team_size: '51-200',
    });
    expect(stored.timeline[0]).toMatchObject({
      type: 'form_submitted',
      source: 'linkedin',
      formId: `linkedin:${LINKEDIN_FORM_ID}`,
      attribution: expect.objectContaining({
        utm_source: 'linkedin',
        form_id: LINKEDIN_FORM_ID,
        campaign_id: '367378525',
        ad_id: '241257736',
      }),
    });
    const calls = linkedin.calls.filter(
      (c) => c.path.endsWith('li-resp-1') || c.path.startsWith('/rest/leadForms/'),
    );
    expect(calls.map((c) => c.path)).toEqual([
      '/rest/leadFormResponses/li-resp-1',
      `/rest/leadForms/${LINKEDIN_FORM_ID}`,
    ]);
    expect(calls[0]).toMatchObject({ authorization: `Bearer ${LINKEDIN_TOKEN}`, restli: '2.0.0' });
    expect(calls[0]?.version).toMatch(/^\d{6}$/);
  });

  it('accepts the hmacsha256= prefix form, upper-case hex and a response that carries its form', async () => {
    linkedin.addResponse('li-resp-2', { EMAIL: 'prefix@initech.de', FIRST_NAME: 'Pre' }, { embedForm: true });
    const body = notification('li-resp-2');
    const formCalls = linkedin.calls.filter((c) => c.path.startsWith('/rest/leadForms/')).length;
    expect((await postLinkedin(body, `hmacsha256=${liSign(body).toUpperCase()}`)).status).toBe(200);
    const stored = await waitFor('capture', () => web.captured('prefix@initech.de'));
    expect(stored.profile.firstName).toBe('Pre');
    expect(linkedin.calls.filter((c) => c.path.startsWith('/rest/leadForms/')).length).toBe(formCalls);
    // The other reading of LinkedIn's docs: the HMAC over "hmacsha256=" + body.
    const ignored = JSON.stringify({ type: 'LEAD_ACTION', leadAction: 'UPDATED' });
    expect((await postLinkedin(ignored, hmac(LINKEDIN_SECRET, `hmacsha256=${ignored}`))).status).toBe(200);
  });

  it('DELETED: erases what LinkedIn gave the lead, keeps other sources, records it without personal data', async () => {
    // The same person came from Google first (country), then LinkedIn (names, company, job title).
    const google = JSON.stringify({
      lead_id: 'g-for-erase',
      google_key: GOOGLE_KEY,
      form_id: 4000,
      lead_submit_time: '2026-11-01 08:00:00.000+00:00',
      user_column_data: [
        { column_id: 'EMAIL', string_value: 'erase.me@initech.de' },
        { column_id: 'COUNTRY', string_value: 'DE' },
      ],
    });
    expect((await web.post('/v1/webhooks/google', google)).status).toBe(200);
    linkedin.addResponse('li-resp-erase', {
      EMAIL: 'erase.me@initech.de',
      FIRST_NAME: 'Erin',
      LAST_NAME: 'Erasable',
      COMPANY_NAME: 'Forget Me GmbH',
      JOB_TITLE: 'Privacy Officer',
    });
    const created = notification('li-resp-erase');
    expect((await postLinkedin(created)).status).toBe(200);
    await waitFor('the LinkedIn capture', async () =>
      (await web.deliveries()).find((d) => d.body === created && d.status === 'processed'),
    );

    const res = await postLinkedin(notification('li-resp-erase', 'DELETED'));
    expect(res.status).toBe(200);
    const after = await web.lead('erase.me@initech.de');
    expect(after.profile.country).toBe('DE');
    for (const field of ['firstName', 'lastName', 'company', 'jobTitle'])
      expect(after.profile[field]).toBeUndefined();
    expect(after.timeline.find((a: Json) => a.type === 'lead_source_erased')).toMatchObject({
      type: 'lead_source_erased',
      source: 'linkedin',
      properties: expect.objectContaining({ providerLeadId: 'li-resp-erase' }),
    });
    expect(JSON.stringify(after.timeline)).not.toMatch(/Erin|Erasable|Forget Me|Privacy Officer/);
    // A redelivered DELETED changes nothing more.
    expect((await postLinkedin(notification('li-resp-erase', 'DELETED'))).status).toBe(200);
    expect((await web.lead('erase.me@initech.de')).timeline).toHaveLength(after.timeline.length);
  });

  it('DELETED before the fetch: the queued response is never captured', async () => {
    linkedin.addResponse('li-resp-gone', { EMAIL: 'gone@initech.de', FIRST_NAME: 'Gone' });
    expect((await postLinkedin(notification('li-resp-gone', 'DELETED'))).status).toBe(200);
    const created = notification('li-resp-gone');
    expect((await postLinkedin(created)).status).toBe(200);
    await waitFor('the CREATED delivery to be handled', async () => {
      const all = await web.deliveries();
      return all.find((d) => d.body === created && d.status === 'processed');
    });
    expect(await web.lead('gone@initech.de')).toBeUndefined();
    expect(linkedin.calls.some((c) => c.path.endsWith('li-resp-gone'))).toBe(false);
  });

  it('refuses bad signatures with 401 and stores nothing: wrong key, truncated, re-serialized JSON, none', async () => {
    const before = (await web.deliveries()).length;
    const body = notification('li-resp-bad');
    const reserialized = JSON.stringify(JSON.parse(body), null, 2);
    for (const [payload, signature] of [
      [body, liSign(body, 'wrong-secret')],
      [body, `hmacsha256=${liSign(body, 'wrong-secret')}`],
      [body, liSign(body).slice(0, 40)],
      [body, `sha256=${liSign(body)}`],
      [reserialized, liSign(body)],
      [body, null],
    ] as const) {
      const res = await postLinkedin(payload, signature);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    expect((await web.deliveries()).length).toBe(before);
    expect(linkedin.calls.some((c) => c.path.endsWith('li-resp-bad'))).toBe(false);
  });

  it('answers a redelivered notification with 200 and stores, fetches and records nothing new', async () => {
    linkedin.addResponse('li-resp-twice', { EMAIL: 'twice.li@initech.de', FIRST_NAME: 'Twice' });
    const body = notification('li-resp-twice');
    expect((await postLinkedin(body)).status).toBe(200);
    const first = await waitFor('capture', () => web.captured('twice.li@initech.de'));
    const calls = linkedin.calls.length;
    const stored = (await web.deliveries()).length;
    expect((await postLinkedin(body)).status).toBe(200);
    // Whatever the redelivery queued has been handled by the ad-leads consumer.
    await queuesDrained(stack, ['ad-leads']);
    expect(linkedin.calls.length).toBe(calls);
    expect((await web.deliveries()).length).toBe(stored);
    expect((await web.lead('twice.li@initech.de')).timeline).toHaveLength(first.timeline.length);
  });

  it('loses no lead when the LinkedIn API fails: the queue retries the fetch', async () => {
    linkedin.addResponse('li-resp-retry', { EMAIL: 'retry.li@initech.de', FIRST_NAME: 'Retry' });
    linkedin.failNextCalls(1);
    expect((await postLinkedin(notification('li-resp-retry'))).status).toBe(200);
    const stored = await waitFor('the retried fetch', () => web.captured('retry.li@initech.de'), 15_000);
    expect(stored.profile.firstName).toBe('Retry');
  }, 20_000);
});

describe('TikTok lead generation', () => {
  // TikTok's documented envelope; `content` is the lead serialized as a JSON string.
  const tiktokDelivery = (leadId: string, email: string) =>
    JSON.stringify({
      client_key: 'aw1234567890abcd',
      event: 'lead.create',
      create_time: 1764230400,
      user_openid: 'act.example1234567890',
      content: JSON.stringify({
        lead_id: leadId,
        advertiser_id: '7000000000000000001',
        campaign_id: '1780000000000001',
        adgroup_id: '1780000000000002',
        ad_id: '1780000000000003',
        page_id: '7300000000000000004',
        create_time: 1764230400,
        lead_data: {
          Name: 'Tia Tok',
          Email: email,
          'Phone number': '+49 30 7654321',
          'Company name': 'Initech',
          'What do you want to automate?': 'Onboarding',
        },
      }),
    });
  const postTiktok = (body: string, signature: string | null = ttSign(body)) =>
    web.post('/v1/webhooks/tiktok', body, signature === null ? {} : { 'tiktok-signature': signature });

  it('captures a signed lead at once, with the campaign, ad group, ad and form as attribution', async () => {
    const res = await postTiktok(tiktokDelivery('tt-lead-1', 'Tia.Tok@initech.de'));
    expect(res.status).toBe(200);
    const stored = await web.lead('tia.tok@initech.de');
    expect(stored.profile).toMatchObject({
      firstName: 'Tia',
      lastName: 'Tok',
      phone: '+49307654321',
      company: 'Initech',
      what_do_you_want_to_automate: 'Onboarding',
    });
    expect(stored.timeline[0]).toMatchObject({
      type: 'form_submitted',
      source: 'tiktok',
      formId: 'tiktok:7300000000000000004',
      attribution: expect.objectContaining({
        utm_source: 'tiktok',
        campaign_id: '1780000000000001',
        adgroup_id: '1780000000000002',
        ad_id: '1780000000000003',
        form_id: '7300000000000000004',
      }),
    });
  });

  it('refuses stale and future-skewed timestamps, wrong keys and re-serialized JSON with 401, storing nothing', async () => {
    const before = (await web.deliveries()).length;
    const body = tiktokDelivery('tt-lead-bad', 'bad.tt@initech.de');
    const now = Math.floor(Date.now() / 1000);
    const reserialized = JSON.stringify(JSON.parse(body), null, 2);
    for (const [payload, signature] of [
      [body, ttSign(body, now - 6 * 60)],
      [body, ttSign(body, now + 6 * 60)],
      [body, ttSign(body, now, 'wrong-secret')],
      [body, ttSign(body).slice(0, 50)],
      [reserialized, ttSign(body, now)],
      [body, null],
    ] as const) {
      const res = await postTiktok(payload, signature);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    expect(await web.lead('bad.tt@initech.de')).toBeUndefined();
    expect((await web.deliveries()).length).toBe(before);
  });

  it('answers a retried delivery (new timestamp, same body) with 200 and stores nothing new', async () => {
    const body = tiktokDelivery('tt-lead-2', 'twice.tt@initech.de');
    expect((await postTiktok(body, ttSign(body, Math.floor(Date.now() / 1000) - 60))).status).toBe(200);
    const stored = (await web.deliveries()).length;
    expect((await postTiktok(body)).status).toBe(200);
    expect((await web.deliveries()).length).toBe(stored);
    expect((await web.lead('twice.tt@initech.de')).timeline).toHaveLength(1);
  });

  it('answers 400 to signed bodies that carry no lead', async () => {
    for (const body of [
      'not json',
      '[]',
      JSON.stringify({ event: 'lead.create', content: '{broken' }),
      JSON.stringify({ event: 'lead.create', content: JSON.stringify({ lead_data: {} }) }),
      JSON.stringify({
        event: 'lead.create',
        content: JSON.stringify({ lead_id: 'x', lead_data: { Name: 'No Mail' } }),
      }),
    ]) {
      const res = await postTiktok(body);
      expect(res.status, body).toBe(400);
    }
  });
});

describe('replay of kept deliveries (leadflow webhooks replay)', () => {
  it("replays LinkedIn and TikTok deliveries through today's mapping without a second activity", async () => {
    const { replayDelivery } = await import('../../functions/core/webhooks/receive');
    const { webhookDeps } = await import('../../functions/shared/wiring/webhooks');
    const deps = webhookDeps();
    const all = await web.deliveries();
    const tiktok = all.find((d) => d.provider === 'tiktok' && String(d.body).includes('tt-lead-1'));
    const created = all.find((d) => d.body === notification('li-resp-1'));
    expect(await replayDelivery(deps, String(tiktok?.deliveryId))).toEqual({
      provider: 'tiktok',
      leads: 1,
      erased: 0,
    });
    expect((await web.lead('tia.tok@initech.de')).timeline).toHaveLength(1);
    expect(await replayDelivery(deps, String(created?.deliveryId))).toEqual({
      provider: 'linkedin',
      leads: 1,
      erased: 0,
    });
    expect((await web.lead('lina.linked@initech.de')).timeline).toHaveLength(1);
    const ref = all.find((d) => String(d.deliveryId).startsWith('ref_linkedin_'));
    await expect(replayDelivery(deps, String(ref?.deliveryId))).rejects.toThrow(/not a delivery/);
  });
});

describe('no body with a valid signature makes a webhook route answer 5xx', () => {
  type Handler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  let handler: Handler;
  beforeAll(async () => {
    handler = (await import('../../functions/handlers/webhooks')).handler as unknown as Handler;
  });

  const idish = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[a-z0-9-]{1,24}$/), fc.integer());
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const raw = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json(),
  );
  const linkedinBody = fc.oneof(
    raw,
    fc
      .record(
        {
          type: fc.oneof(fc.constant('LEAD_ACTION'), anyJson),
          leadAction: fc.oneof(fc.constantFrom('CREATED', 'DELETED', 'UPDATED'), anyJson),
          leadGenFormResponse: fc.oneof(
            idish.map((id) => `urn:li:leadGenFormResponse:${id}`),
            anyJson,
          ),
          leadGenForm: fc.oneof(
            idish.map((id) => `urn:li:leadGenForm:${id}`),
            anyJson,
          ),
          owner: anyJson,
          associatedEntity: anyJson,
          occurredAt: fc.oneof(fc.integer(), fc.double(), anyJson),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  const tiktokContent = fc.oneof(
    fc.string({ maxLength: 100 }),
    anyJson.map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          lead_id: idish,
          meta_data: anyJson,
          lead_data: fc.oneof(
            fc.dictionary(
              fc.constantFrom('Email', 'Name', 'Phone number', 'Country', 'x'),
              fc.oneof(fc.emailAddress(), anyJson),
            ),
            fc.array(anyJson, { maxLength: 3 }),
            anyJson,
          ),
          create_time: fc.oneof(fc.integer(), fc.double(), anyJson),
          page_id: idish,
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  // Nearly real leads, so the capture path (not only the refusals) meets arbitrary values.
  const nearTiktokLead = fc
    .record({
      lead_id: fc.stringMatching(/^[0-9]{1,19}$/),
      create_time: fc.oneof(fc.integer(), fc.double(), fc.string()),
      campaign_id: idish,
      lead_data: fc.record(
        {
          Email: fc.oneof(
            fc.stringMatching(/^[a-z][a-z0-9]{0,15}@[a-z]{2,12}\.(de|com|io)$/),
            fc.emailAddress(),
          ),
          Name: fc.string({ maxLength: 60 }),
          'Phone number': fc.string({ maxLength: 30 }),
          Country: fc.string({ maxLength: 10 }),
          'Anything else?': fc.string({ maxLength: 60 }),
        },
        { requiredKeys: ['Email'] },
      ),
    })
    .map((v) => JSON.stringify(v));
  const tiktokBody = fc.oneof(
    raw,
    nearTiktokLead.map((content) => JSON.stringify({ event: 'lead.create', content })),
    fc
      .record({ event: anyJson, create_time: anyJson, content: fc.oneof(tiktokContent, anyJson) })
      .map((v) => JSON.stringify(v)),
  );
  const metaBody = fc.oneof(
    raw,
    fc
      .record({
        object: fc.constant('page'),
        entry: fc.oneof(
          fc.array(
            fc.record({
              changes: fc.oneof(
                fc.array(fc.record({ field: fc.constantFrom('leadgen', 'feed'), value: anyJson })),
                anyJson,
              ),
            }),
            { maxLength: 2 },
          ),
          anyJson,
        ),
      })
      .map((v) => JSON.stringify(v)),
  );
  const googleBody = fc.oneof(
    raw,
    fc
      .record({
        lead_id: idish,
        user_column_data: fc.oneof(fc.array(anyJson, { maxLength: 3 }), anyJson),
        is_test: anyJson,
      })
      .map((v) => JSON.stringify({ ...v, google_key: GOOGLE_KEY })),
  );

  const call = async (routeKey: string, body: string, headers: Record<string, string>) => {
    const path = routeKey.split(' ')[1] ?? '';
    const res = await invoke(handler, httpEvent({ routeKey, path, headers, body }));
    return res.status;
  };
  const runs = { numRuns: 40 };

  it('LinkedIn', async () => {
    await fc.assert(
      fc.asyncProperty(linkedinBody, fc.constantFrom(0, 1, 2), async (body, form) => {
        const signature = [
          liSign(body),
          `hmacsha256=${liSign(body)}`,
          hmac(LINKEDIN_SECRET, `hmacsha256=${body}`),
        ][form] as string;
        expect(await call('POST /v1/webhooks/linkedin', body, { 'x-li-signature': signature })).toBeLessThan(
          500,
        );
      }),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (challengeCode) => {
        const res = await invoke(
          handler,
          httpEvent({
            routeKey: 'GET /v1/webhooks/linkedin',
            path: '/v1/webhooks/linkedin',
            query: { challengeCode },
          }),
        );
        expect(res.status).toBeLessThan(500);
      }),
      runs,
    );
  }, 60_000);

  it('TikTok', async () => {
    await fc.assert(
      fc.asyncProperty(tiktokBody, async (body) => {
        expect(
          await call('POST /v1/webhooks/tiktok', body, { 'tiktok-signature': ttSign(body) }),
        ).toBeLessThan(500);
      }),
      runs,
    );
  }, 60_000);

  it('Meta', async () => {
    await fc.assert(
      fc.asyncProperty(metaBody, async (body) => {
        const signature = `sha256=${hmac(META_SECRET, body)}`;
        expect(await call('POST /v1/webhooks/meta', body, { 'x-hub-signature-256': signature })).toBeLessThan(
          500,
        );
      }),
      runs,
    );
  }, 60_000);

  it('Google', async () => {
    await fc.assert(
      fc.asyncProperty(googleBody, async (body) => {
        expect(await call('POST /v1/webhooks/google', body, {})).toBeLessThan(500);
      }),
      runs,
    );
  }, 60_000);
});
