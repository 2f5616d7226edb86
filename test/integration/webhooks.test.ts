import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { startFakeGraph } from '../fixtures/fake-graph';
import { startTestStack, waitFor, webhookApi } from '../fixtures/local-api';
import { queuesDrained } from '../fixtures/queues';

/** Ad-platform webhooks on the whole local stack, with a fake Graph API on 127.0.0.1. */
let stack: LocalStack;
let web: ReturnType<typeof webhookApi>;
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
const APP_SECRET = 'meta-app-secret-for-tests';
const GOOGLE_KEY = 'google-key-for-tests';

beforeAll(async () => {
  graph = await startFakeGraph();
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'WARN',
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: 'verify-me',
    META_ACCESS_TOKEN: 'page-token',
    META_GRAPH_URL: graph.url,
    GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
  });
  stack = await startTestStack();
  web = webhookApi(stack);
}, 30_000);
afterAll(async () => {
  await stack?.stop();
  await graph?.stop();
});

const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
// Meta's documented leadgen delivery.
const metaDelivery = (leadgenId: string) =>
  JSON.stringify({
    object: 'page',
    entry: [
      {
        id: '153125381133',
        time: 1764230400,
        changes: [
          {
            field: 'leadgen',
            value: {
              leadgen_id: leadgenId,
              page_id: '153125381133',
              form_id: '981273649',
              ad_id: '238471',
              adgroup_id: '998877',
              created_time: 1764230400,
            },
          },
        ],
      },
    ],
  });

describe('Meta Lead Ads', () => {
  it('answers the subscription check with the challenge, and 403 for a wrong verify token', async () => {
    const ok = await fetch(
      `${stack.apiUrl}/v1/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(
      `${stack.apiUrl}/v1/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
  });

  it('answers a signed delivery at once and captures the lead fetched from the Graph API', async () => {
    graph.addLead('444000111', {
      email: 'Meta.Person@acme-industries.de',
      full_name: 'Mia Meta',
      phone_number: '+49 30 1234567',
      company_name: 'Acme Industries',
      job_title: 'Head of Marketing',
      'What is your budget?': '10k-50k',
    });
    const body = metaDelivery('444000111');
    const res = await web.post('/v1/webhooks/meta', body, { 'x-hub-signature-256': sign(body) });
    expect(res.status).toBe(200);
    const stored = await waitFor('the ad-leads consumer to capture the lead', () =>
      web.captured('meta.person@acme-industries.de'),
    );
    expect(stored.profile).toMatchObject({
      firstName: 'Mia',
      lastName: 'Meta',
      phone: '+49301234567',
      company: 'Acme Industries',
      jobTitle: 'Head of Marketing',
      what_is_your_budget: '10k-50k',
    });
    expect(stored.timeline[0]).toMatchObject({
      type: 'form_submitted',
      source: 'meta',
      formId: 'meta:981273649',
      attribution: expect.objectContaining({
        utm_source: 'meta',
        form_id: '981273649',
        ad_id: '238471',
        adgroup_id: '998877',
      }),
    });
  });

  it('refuses bad signatures with 401 and stores nothing: wrong key, truncated, re-serialized JSON', async () => {
    const before = (await web.deliveries()).length;
    const body = metaDelivery('444000222');
    const reserialized = JSON.stringify(JSON.parse(body), null, 2);
    for (const [payload, signature] of [
      [body, sign(body, 'wrong-secret')],
      [body, sign(body).slice(0, 40)],
      [reserialized, sign(body)],
      [body, ''],
    ] as const) {
      const res = await web.post(
        '/v1/webhooks/meta',
        payload,
        signature ? { 'x-hub-signature-256': signature } : {},
      );
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    expect((await web.deliveries()).length).toBe(before);
  });

  it('answers a redelivered delivery with 200 and stores nothing new', async () => {
    graph.addLead('444000333', { email: 'twice@acme-industries.de', first_name: 'Tw', last_name: 'Ice' });
    const body = metaDelivery('444000333');
    expect((await web.post('/v1/webhooks/meta', body, { 'x-hub-signature-256': sign(body) })).status).toBe(
      200,
    );
    // The lead is written before its activity: wait for both.
    const first = await waitFor('capture', async () => {
      const found = await web.lead('twice@acme-industries.de');
      return found?.timeline.length === 1 ? found : undefined;
    });
    const calls = graph.calls.length;
    expect((await web.post('/v1/webhooks/meta', body, { 'x-hub-signature-256': sign(body) })).status).toBe(
      200,
    );
    // Whatever the redelivery queued has been handled by the ad-leads consumer.
    await queuesDrained(stack, ['ad-leads']);
    expect(graph.calls.length).toBe(calls);
    expect((await web.lead('twice@acme-industries.de')).timeline).toHaveLength(first.timeline.length);
  });

  it('loses no lead when the Graph API fails: the queue retries the fetch', async () => {
    graph.addLead('444000444', { email: 'retry@acme-industries.de', first_name: 'Re', last_name: 'Try' });
    graph.failNextCalls(1);
    const body = metaDelivery('444000444');
    expect((await web.post('/v1/webhooks/meta', body, { 'x-hub-signature-256': sign(body) })).status).toBe(
      200,
    );
    const stored = await waitFor('the retried fetch', () => web.captured('retry@acme-industries.de'), 15_000);
    expect(stored.profile.firstName).toBe('Re');
  }, 20_000);
});

describe('Google Ads lead forms', () => {
  const googleLead = (leadId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      lead_id: leadId,
      api_version: '1.0',
      form_id: 40000000,
      campaign_id: 12345,
      adgroup_id: 67890,
      creative_id: 13579,
      gcl_id: 'EAIaIQobChMI',
      google_key: GOOGLE_KEY,
      is_test: false,
      lead_submit_time: '2026-11-27 09:00:00.000+00:00',
      user_column_data: [
        { column_name: 'Full Name', string_value: 'Gus Google', column_id: 'FULL_NAME' },
        { column_name: 'User Email', string_value: `${leadId}@initech.de`, column_id: 'EMAIL' },
        { column_name: 'User Phone', string_value: '+1 415 555 2671', column_id: 'PHONE_NUMBER' },
        { column_name: 'Company Name', string_value: 'Initech', column_id: 'COMPANY_NAME' },
        { column_name: 'Job title', string_value: 'VP Engineering', column_id: 'JOB_TITLE' },
        { column_name: 'Country', string_value: 'DE', column_id: 'COUNTRY' },
      ],
      ...extra,
    });

  it('captures a lead with the campaign, ad group, creative and form as attribution', async () => {
    const res = await web.post('/v1/webhooks/google', googleLead('g-lead-1'));
    expect(res.status).toBe(200);
    const stored = await web.lead('g-lead-1@initech.de');
    expect(stored.profile).toMatchObject({
      firstName: 'Gus',
      lastName: 'Google',
      phone: '+14155552671',
      jobTitle: 'VP Engineering',
      country: 'DE',
    });
    expect(stored.timeline[0].attribution).toMatchObject({
      utm_source: 'google',
      campaign_id: '12345',
      adgroup_id: '67890',
      ad_id: '13579',
      form_id: '40000000',
      gclid: 'EAIaIQobChMI',
    });
  });

  it('replays a kept delivery with `leadflow webhooks replay`, adding no second activity', async () => {
    const { json } = await web.post('/v1/webhooks/google', googleLead('g-replay'));
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      ['bin/leadflow.mjs', 'webhooks', 'replay', json.deliveryId],
      {
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    );
    expect(stdout).toContain(`replayed google delivery ${json.deliveryId}: 1 lead(s)`);
    expect((await web.lead('g-replay@initech.de')).timeline).toHaveLength(1);
  });

  it('answers 403 to a wrong google_key and stores nothing', async () => {
    const before = (await web.deliveries()).length;
    const res = await web.post('/v1/webhooks/google', googleLead('g-lead-2', { google_key: 'wrong' }));
    expect(res.status).toBe(403);
    expect(await web.lead('g-lead-2@initech.de')).toBeUndefined();
    expect((await web.deliveries()).length).toBe(before);
  });

  it('dedupes on lead_id and never keeps the google_key', async () => {
    await web.post('/v1/webhooks/google', googleLead('g-lead-3'));
    await web.post('/v1/webhooks/google', googleLead('g-lead-3'));
    expect((await web.lead('g-lead-3@initech.de')).timeline).toHaveLength(1);
    expect(JSON.stringify(await web.deliveries())).not.toContain(GOOGLE_KEY);
  });

  it('stores a test lead as a test lead: never handed off, however hot', async () => {
    await web.post('/v1/webhooks/google', googleLead('g-test', { is_test: true }));
    const stored = await web.lead('g-test@initech.de');
    expect(stored.handoff).toBeNull();
  });

  it('answers 400 for bodies that are not leads, never 5xx', async () => {
    for (const body of [
      'not json',
      '[]',
      '{}',
      JSON.stringify({ google_key: GOOGLE_KEY }),
      JSON.stringify({ google_key: GOOGLE_KEY, lead_id: 'x', user_column_data: 'oops' }),
    ]) {
      const res = await web.post('/v1/webhooks/google', body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
  });
});
