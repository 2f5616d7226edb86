import { resolve } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { SCORING_MODEL_ID } from '../../functions/adapters/dynamodb/scoring-models';
import { readScoringModel } from '../../functions/adapters/files/config-dir';
import { suppressionHash } from '../../functions/core/consent/suppression';
import { signUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { leadIdFor } from '../../functions/core/kernel/email';
import { queueUrlEnv } from '../../functions/shared/routes';
import { publishShippedConfig } from '../fixtures/config';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { httpEvent, invoke, submission } from '../fixtures/http-events';
import type { Json } from '../fixtures/local-api';
import {
  click,
  complaint,
  delivery,
  open,
  permanentBounce,
  snsEvent,
  transientBounce,
} from '../fixtures/ses-events';

/** Compliance by default: one-click unsubscribe, the suppression list, SES events and GDPR erase. */
const KEY = 'unsubscribe-key-for-integration-tests';
let env: EmulatorEnv;
let form: Parameters<typeof invoke>[0];
let admin: Parameters<typeof invoke>[0];
let unsub: Parameters<typeof invoke>[0];
let sesEvents: (event: ReturnType<typeof snsEvent>) => Promise<void>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  env = await emulatorEnv({ LEADFLOW_UNSUBSCRIBE_KEY: KEY, LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '50' });
  await publishShippedConfig(env);
  // The shipped model, with a threshold a newsletter subscriber can reach by clicking an email.
  const shipped = await readScoringModel(resolve('config'));
  if (!shipped) throw new Error('config/scoring.yaml is missing');
  await new DynamoConfigStore(env.db, TABLE).publish('scoring', SCORING_MODEL_ID, {
    ...shipped.model,
    thresholds: { mql: 20, hot: 25, hotMinGrade: 'D' },
  });
  for (const role of ['marketing', 'sales'] as const) tokens[role] = await env.token(role);
  ({ handler: form } = await import('../../functions/handlers/form-submission'));
  ({ handler: admin } = await import('../../functions/handlers/admin-leads'));
  ({ handler: unsub } = await import('../../functions/handlers/unsubscribe'));
  ({ handler: sesEvents } = await import('../../functions/handlers/ses-events'));
});
afterAll(async () => env?.stop());

async function subscribe(email: string): Promise<string> {
  const res = await invoke(
    form,
    submission('newsletter', { email, firstName: 'Ada', consent: true }, { origin: 'https://example.com' }),
  );
  expect(res.status).toBe(202);
  return res.json.leadId;
}
const leadView = async (leadId: string, token = tokens.marketing) =>
  invoke(
    admin,
    httpEvent({
      routeKey: 'GET /v1/admin/leads/{leadId}',
      path: `/v1/admin/leads/${leadId}`,
      pathParameters: { leadId },
      headers: { authorization: `Bearer ${token}` },
    }),
  );
const view = async (leadId: string): Promise<Json> => {
  const res = await leadView(leadId);
  expect(res.status).toBe(200);
  return res.json;
};
const unsubscribeEvent = (
  method: 'GET' | 'POST',
  t: string | undefined,
  headers: Record<string, string> = {},
  body?: string,
) =>
  httpEvent({
    routeKey: `${method} /v1/unsubscribe`,
    path: '/v1/unsubscribe',
    query: t === undefined ? undefined : { t },
    headers,
    body,
  });
const oneClick = (t: string) =>
  unsubscribeEvent(
    'POST',
    t,
    { 'content-type': 'application/x-www-form-urlencoded' },
    'List-Unsubscribe=One-Click',
  );
/** A time just after the lead's capture, so SES events sort newest on its timeline. */
const soon = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const suppressionItem = async (email: string) =>
  (
    await env.db.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `SUPPRESS#${suppressionHash(email)}`, sk: 'SUPPRESS' } }),
    )
  ).Item;

describe('GET /v1/unsubscribe', () => {
  it('shows a small self-contained page whose button posts the same link, and changes nothing', async () => {
    const leadId = await subscribe('page.viewer@acme-industries.de');
    const t = signUnsubscribeToken(leadId, KEY, new Date());
    const before = await env.items();
    const res = await invoke(unsub, unsubscribeEvent('GET', t, { accept: 'text/html' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain(`<form method="post" action="?t=${encodeURIComponent(t)}">`);
    expect(res.body).not.toMatch(/<script|https?:\/\//);
    expect(await env.items()).toEqual(before);
  });

  it('answers an invalid token with a 400 page, or the JSON error when JSON is asked for', async () => {
    const leadId = leadIdFor('page.viewer@acme-industries.de');
    const forged = signUnsubscribeToken(leadId, 'somebody-elses-key-123456', new Date());
    const page = await invoke(unsub, unsubscribeEvent('GET', forged));
    expect(page.status).toBe(400);
    expect(page.body).toContain('This link is not valid');
    const api = await invoke(unsub, unsubscribeEvent('GET', '<script>', { accept: 'application/json' }));
    expect(api.status).toBe(400);
    expect(api.json.error.code).toBe('invalid_unsubscribe_token');
    expect(page.body).not.toContain('<script>');
  });
});

describe('POST /v1/unsubscribe (RFC 8058 one-click)', () => {
  it('honours a one-click POST at once: suppressed, consent withdrawn, on the timeline', async () => {
    const email = 'Ada.Unsub+news@gmail.com';
    const leadId = await subscribe(email);
    const res = await invoke(unsub, oneClick(signUnsubscribeToken(leadId, KEY, new Date('2025-01-01'))));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'unsubscribed' });
    const lead = await view(leadId);
    expect(lead.suppressed).toEqual({ reason: 'unsubscribed', at: expect.any(String) });
    expect(lead.marketingConsent).toEqual({ granted: false, at: expect.any(String), source: 'unsubscribe' });
    expect(lead.timeline[0]).toMatchObject({ type: 'unsubscribed', source: 'unsubscribe' });
    // One hashed entry for every spelling of the inbox; the clear address is not in it.
    const item = await suppressionItem('adaunsub@googlemail.com');
    expect(item).toMatchObject({ reason: 'unsubscribed', source: 'unsubscribe' });
    expect(JSON.stringify(item)).not.toMatch(/ada/i);
  });

  it('is idempotent: a second POST changes nothing and still answers 200', async () => {
    const leadId = await subscribe('twice@acme-industries.de');
    const t = signUnsubscribeToken(leadId, KEY, new Date());
    expect((await invoke(unsub, oneClick(t))).status).toBe(200);
    const after = await env.items();
    const again = await invoke(unsub, unsubscribeEvent('POST', t, { accept: 'text/html' }));
    expect(again.status).toBe(200);
    expect(again.body).toContain('You are unsubscribed');
    expect(await env.items()).toEqual(after);
  });

  it('refuses an invalid token with 400 and changes nothing', async () => {
    const leadId = await subscribe('keep.me@acme-industries.de');
    const t = signUnsubscribeToken(leadId, KEY, new Date());
    const before = await env.items();
    for (const bad of [
      t.slice(0, -2),
      `${t}x`,
      signUnsubscribeToken(leadId, 'wrong-key-wrong-key', new Date()),
      undefined,
    ]) {
      const res = await invoke(unsub, {
        ...oneClick(t),
        queryStringParameters: bad ? { t: bad } : undefined,
      });
      expect(res.status).toBe(400);
    }
    expect(await env.items()).toEqual(before);
    expect((await view(leadId)).marketingConsent.granted).toBe(true);
  });

  it('never answers 5xx, whatever the query string and body', async () => {
    const valid = signUnsubscribeToken(await subscribe('fuzz@acme-industries.de'), KEY, new Date());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET' as const, 'POST' as const),
        fc.option(
          fc.oneof(
            fc.string(),
            fc.constant(valid),
            fc.string().map((s) => valid + s),
          ),
          { nil: undefined },
        ),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', ''),
        fc.constantFrom('text/html', 'application/json', '*/*', ''),
        async (method, t, body, contentType, accept) => {
          const res = await invoke(
            unsub,
            unsubscribeEvent(method, t, { 'content-type': contentType, accept }, body),
          );
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('SES events (SNS → ses-events)', () => {
  it('suppresses permanently bounced and complaining recipients, and only notes a transient bounce', async () => {
    const bouncedLead = await subscribe('bounce.me@acme-industries.de');
    await sesEvents(
      snsEvent(
        permanentBounce({ to: 'bounce.me@acme-industries.de' }),
        complaint({ to: 'complains@acme-industries.de' }),
        transientBounce({ to: 'full.mailbox@acme-industries.de' }),
      ),
    );
    expect(await suppressionItem('bounce.me@acme-industries.de')).toMatchObject({ reason: 'bounced' });
    expect(await suppressionItem('complains@acme-industries.de')).toMatchObject({ reason: 'complained' });
    expect(await suppressionItem('full.mailbox@acme-industries.de')).toBe(undefined);
    expect((await view(bouncedLead)).suppressed).toMatchObject({ reason: 'bounced' });

    const fullLead = await subscribe('full.mailbox@acme-industries.de');
    await sesEvents(
      snsEvent(transientBounce({ to: 'full.mailbox@acme-industries.de', leadId: fullLead }, soon(1))),
    );
    const lead = await view(fullLead);
    expect(lead.suppressed).toBe(null);
    expect(lead.timeline[0]).toMatchObject({ type: 'email_bounced_transient', source: 'ses' });
  });

  it('records delivery, open and click on the timeline and counts them in engagement; a redelivery adds nothing', async () => {
    const to = 'engaged@acme-industries.de';
    const leadId = await subscribe(to);
    const before = (await view(leadId)).score.engagement;
    const events = snsEvent(
      delivery({ to, leadId }, soon(1)),
      open({ to, leadId }, soon(2)),
      click({ to, leadId }, soon(3), 'https://example.com/pricing'),
    );
    await sesEvents(events);
    const lead = await view(leadId);
    expect(lead.timeline.map((e: Json) => e.type).slice(0, 3)).toEqual([
      'email_clicked',
      'email_opened',
      'email_delivered',
    ]);
    expect(lead.timeline[0].properties).toMatchObject({
      link: 'https://example.com/pricing',
      messageId: expect.any(String),
    });
    expect(lead.score.engagement).toBeGreaterThan(before);

    const items = await env.items();
    await sesEvents(events);
    expect(await env.items()).toEqual(items);
  });

  it('skips malformed records without throwing, and ignores events for unknown addresses', async () => {
    const items = await env.items();
    await sesEvents(snsEvent('not json', { eventType: 'Open' }, open({ to: 'stranger@acme-industries.de' })));
    expect(await env.items()).toEqual(items);
  });

  it('hands a lead to sales when a click makes it hot', async () => {
    const to = 'almost.hot@acme-industries.de';
    const leadId = await subscribe(to);
    expect((await view(leadId)).handoff).toBe(null);
    await sesEvents(snsEvent(click({ to, leadId }, new Date().toISOString())));
    const lead = await view(leadId);
    expect(lead.timeline[0]).toMatchObject({ type: 'email_clicked', effect: { handoff: 1 } });
    expect(lead.handoff).toMatchObject({ number: 1, status: 'sent' });
    const received = await env.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: process.env[queueUrlEnv('hot-leads')],
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = (received.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(messages).toContainEqual(expect.objectContaining({ leadId, schema: 'leadflow.hot-lead.v1' }));
  });
});

describe('DELETE /v1/admin/leads/{leadId} (GDPR erase)', () => {
  const erase = (leadId: string, token: string) =>
    invoke(
      admin,
      httpEvent({
        routeKey: 'DELETE /v1/admin/leads/{leadId}',
        path: `/v1/admin/leads/${leadId}`,
        pathParameters: { leadId },
        headers: { authorization: `Bearer ${token}` },
      }),
    );

  it('deletes the lead and every activity, keeps a hashed `erased` suppression, then 404s', async () => {
    const email = 'forget.me@acme-industries.de';
    const leadId = await subscribe(email);
    await sesEvents(snsEvent(open({ to: email, leadId }, '2026-01-11T10:00:00.000Z')));
    for (let i = 0; i < 30; i += 1) {
      await sesEvents(
        snsEvent(delivery({ to: email, leadId, messageId: `m-${i}` }, '2026-01-11T11:00:00.000Z')),
      );
    }
    const res = await erase(leadId, tokens.marketing as string);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ leadId, erased: true, items: 33, deliveries: 0 });
    const left = (await env.items()).filter((item) => String(item.pk) === `LEAD#${leadId}`);
    expect(left).toEqual([]);
    expect(await suppressionItem(email)).toMatchObject({ reason: 'erased' });
    expect(JSON.stringify(await env.items())).not.toContain('forget.me');
    expect((await leadView(leadId)).status).toBe(404);
    expect((await erase(leadId, tokens.marketing as string)).status).toBe(404);
  });

  it('is for marketing only: sales gets 403 and nothing is erased; sales can still read', async () => {
    const leadId = await subscribe('sales.cannot@acme-industries.de');
    const res = await erase(leadId, tokens.sales as string);
    expect(res.status).toBe(403);
    expect((await leadView(leadId, tokens.sales)).status).toBe(200);
  });

  it('404s an unknown lead', async () => {
    expect((await erase(leadIdFor('nobody@acme-industries.de'), tokens.marketing as string)).status).toBe(
      404,
    );
  });
});
