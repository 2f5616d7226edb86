import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBroadcastStore } from '../../functions/adapters/dynamodb/broadcast-store';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { DynamoSuppressionStore } from '../../functions/adapters/dynamodb/suppression-store';
import { newId } from '../../functions/core/kernel/ids';
import { processBroadcastPage, startBroadcast } from '../../functions/core/nurture/broadcast';
import { leadPlace, testVariant } from '../../functions/core/nurture/broadcast-ab';
import { cancelBroadcast } from '../../functions/core/nurture/broadcast-lifecycle';
import type { LocalStack } from '../../functions/local/stack';
import { accessTokenFor, api, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { sesStore, type TimelineEntry } from '../fixtures/nurture';

/**
 * Broadcasts on the local stack (real emulators, the real tick and send-email): the list, drafts,
 * cancel (nothing goes out after it, a page in flight included) and an A/B subject test whose
 * winner is chosen from opens posted through the local SES events route.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let token: string;
const tag = Date.now().toString(36);
const leadIds: string[] = [];
const segment = { stages: ['subscriber'], consent: true };
const CHECK_IN = /^Still losing leads/;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 1000, perEmailPerMinute: 1000 },
  });
  http = api(stack);
  token = await accessTokenFor(stack, 'maya');
  // The shipped cap is one marketing email a day: the welcome email would hold every broadcast a day.
  const active = (await http.get('/v1/admin/nurture', token)).json;
  const config = structuredClone(active.active.document);
  config.settings.frequencyCap = { perDay: 10, perWeek: 20 };
  const version = await http.post('/v1/admin/nurture/versions', { config }, token);
  expect(version.status).toBe(201);
  expect(
    (await http.post(`/v1/admin/nurture/versions/${version.json.version}/activate`, {}, token)).status,
  ).toBe(200);
  for (let i = 0; i < 12; i += 1) {
    const res = await http.submit('newsletter', {
      email: `ada.bc${i}.${tag}@acme-industries.de`,
      firstName: 'Ada',
      consent: true,
    });
    expect(res.status).toBe(202);
    leadIds.push(res.json.leadId);
  }
}, 60_000);
afterAll(async () => stack?.stop());

const put = async (path: string, body: unknown) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
};
const timeline = async (leadId: string): Promise<TimelineEntry[]> =>
  (await http.get(`/v1/admin/leads/${leadId}`, token)).json.timeline;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('broadcast list and drafts', () => {
  it('keeps a draft, edits it, schedules it, lists it by status, cancels it; sales may not', async () => {
    const draft = await http.post(
      '/v1/admin/broadcasts',
      { name: 'Spring check-in', template: 'check-in', segment, draft: true },
      token,
    );
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({
      status: 'draft',
      name: 'Spring check-in',
      by: { name: expect.any(String), username: 'maya' },
    });
    const id = draft.json.broadcastId;
    const edited = await put(`/v1/admin/broadcasts/${id}`, {
      name: 'Spring check-in (v2)',
      template: 'check-in',
      segment,
    });
    expect(edited.json).toMatchObject({
      status: 'draft',
      name: 'Spring check-in (v2)',
      editedBy: { username: 'maya' },
    });
    expect(
      (await http.get('/v1/admin/broadcasts?status=draft', token)).json.broadcasts.map(
        (b: Json) => b.broadcastId,
      ),
    ).toEqual([id]);

    const scheduled = await http.post(
      `/v1/admin/broadcasts/${id}/schedule`,
      { sendAt: inSeconds(3600) },
      token,
    );
    expect(scheduled).toMatchObject({
      status: 202,
      json: { status: 'scheduled', scheduledBy: { username: 'maya' } },
    });
    expect((await put(`/v1/admin/broadcasts/${id}`, { template: 'check-in', segment })).json.error.code).toBe(
      'broadcast_not_draft',
    );
    expect(
      (await http.get('/v1/admin/broadcasts?status=scheduled', token)).json.broadcasts[0]?.broadcastId,
    ).toBe(id);

    const sales = await accessTokenFor(stack, 'ravi');
    expect((await http.get('/v1/admin/broadcasts', sales)).status).toBe(403);
    expect((await http.post(`/v1/admin/broadcasts/${id}/cancel`, {}, sales)).status).toBe(403);

    const cancelled = await http.post(`/v1/admin/broadcasts/${id}/cancel`, {}, token);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', cancelledBy: { username: 'maya' } });
    const again = await http.post(`/v1/admin/broadcasts/${id}/cancel`, {}, token);
    expect([again.status, again.json.error.code]).toEqual([409, 'broadcast_not_cancellable']);
    expect((await http.get('/v1/admin/broadcasts?status=scheduled', token)).json.broadcasts).toEqual([]);
    expect(
      (await http.get('/v1/admin/broadcasts?status=cancelled', token)).json.broadcasts[0]?.broadcastId,
    ).toBe(id);
    const bad = await http.get('/v1/admin/broadcasts?status=sent&cursor=nope', token);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: Json) => d.path)).toEqual(['status']);
    expect((await http.get('/v1/admin/broadcasts?cursor=nope', token)).json.error.details).toEqual([
      { path: 'cursor', message: 'is not a cursor this list gave' },
    ]);
  });

  it('pages newest first with a cursor', async () => {
    for (let i = 0; i < 3; i += 1)
      await http.post(
        '/v1/admin/broadcasts',
        { name: `Page ${i}`, template: 'check-in', segment, draft: true },
        token,
      );
    const first = await http.get('/v1/admin/broadcasts?limit=2', token);
    expect(first.json.broadcasts.map((b: Json) => b.name)).toEqual(['Page 2', 'Page 1']);
    const next = await http.get(`/v1/admin/broadcasts?limit=2&cursor=${first.json.cursor}`, token);
    expect(next.json.broadcasts[0].name).toBe('Page 0');
  });
});

describe('cancel', () => {
  it('sends nothing after a cancel: enrolled recipients are skipped (broadcast_cancelled), a page in flight enrolls but sends nothing, a late page message enrolls nobody', async () => {
    const sendAt = inSeconds(8);
    const started = await http.post(
      '/v1/admin/broadcasts',
      { name: 'To cancel', template: 'check-in', segment, sendAt, ignoreSendWindow: true },
      token,
    );
    const id = started.json.broadcastId;
    await waitFor('the page enrolled', async () => {
      const b = (await http.get(`/v1/admin/broadcasts/${id}`, token)).json;
      return b.enrolled === leadIds.length ? b : undefined;
    });
    expect((await http.post(`/v1/admin/broadcasts/${id}/cancel`, {}, token)).json.status).toBe('cancelled');

    // A page in flight: read while running, cancelled while its leads are enrolled.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const broadcasts = new DynamoBroadcastStore(db, stack.tableName);
    const leads = new DynamoLeadStore(db, stack.tableName);
    const inFlight = newId('bc');
    const by = { name: 'Maya', username: 'maya' };
    const deps = {
      leads: {
        load: (leadId: string) => leads.load(leadId),
        replace: (l: Parameters<typeof leads.replace>[0], v: number) => leads.replace(l, v),
        page: async (cursor: string | null, limit: number) => {
          const page = await leads.page(cursor, limit);
          await cancelBroadcast({ broadcasts }, inFlight, by, new Date());
          return page;
        },
      },
      suppressions: new DynamoSuppressionStore(db, stack.tableName),
      broadcasts,
      requestPage: async () => {
        throw new Error('a cancelled broadcast queues no page');
      },
      clock: { now: () => new Date() },
      sleep: async () => {},
    };
    await startBroadcast(
      { broadcasts, requestPage: async () => {} },
      {
        broadcastId: inFlight,
        template: 'check-in',
        segment: { stages: ['subscriber'], consent: true },
        sendAt: new Date(sendAt),
        ignoreSendWindow: true,
      },
      by,
      new Date(),
    );
    expect(await processBroadcastPage(deps, inFlight, null)).toBeUndefined();
    expect((await broadcasts.get(inFlight))?.status).toBe('cancelled');

    // A page message delivered after the cancel (a retry): nobody is enrolled by it.
    const late = newId('bc');
    await startBroadcast(
      { broadcasts, requestPage: async () => {} },
      {
        broadcastId: late,
        template: 'check-in',
        segment: { stages: ['subscriber'], consent: true },
        sendAt: new Date(sendAt),
        ignoreSendWindow: true,
      },
      by,
      new Date(),
    );
    await cancelBroadcast({ broadcasts }, late, by, new Date());
    await new SQSClient({}).send(
      new SendMessageCommand({
        QueueUrl: stack.queues['email-jobs'],
        MessageBody: JSON.stringify({ broadcast: late, cursor: null }),
      }),
    );

    // Past sendAt: every recipient of both is skipped on the timeline, no check-in email went out.
    const lead = leadIds[0] ?? '';
    const skipped = await waitFor(
      'the cancelled sends skipped',
      async () => {
        const found = (await timeline(lead)).filter(
          (e) => e.type === 'email_skipped' && e.properties?.reason === 'broadcast_cancelled',
        );
        return found.length === 2 ? found : undefined;
      },
      30_000,
    );
    expect(skipped.map((e) => e.properties?.broadcastId).sort()).toEqual([id, inFlight].sort());
    await stack.afterTicks(2);
    expect((await sesStore(stack.endpoints.ses)).filter((m) => CHECK_IN.test(m.subject))).toEqual([]);
    const lateEnrolled = (await leads.load(lead))?.nurture?.enrollments[`broadcast:${late}`];
    expect(lateEnrolled).toBeUndefined();
    const results = await waitFor('the skips counted', async () => {
      const r = (await http.get(`/v1/admin/broadcasts/${id}/results`, token)).json;
      return r.progress.skipped === leadIds.length ? r : undefined;
    });
    expect(results).toMatchObject({
      status: 'cancelled',
      progress: { enrolled: leadIds.length, sent: 0, pending: 0 },
      results: { skippedBroadcastCancelled: leadIds.length },
    });
    db.destroy();
  }, 60_000);
});

describe('A/B subject test', () => {
  it('sends the test share split by lead, picks the variant with more unique opens after the wait, and sends the rest the winner', async () => {
    const abTest = {
      variants: [
        { id: 'a', subject: 'Variant A for {{ firstName | default: "you" }}' },
        { id: 'b', subject: 'Variant B: spring pricing' },
      ],
      testShare: 50,
      metric: 'opened',
      waitHours: 0.006, // about 22 s: the local stack's tick runs every second
    };
    const started = await http.post(
      '/v1/admin/broadcasts',
      { name: 'A/B spring', template: 'check-in', segment, ignoreSendWindow: true, abTest },
      token,
    );
    expect(started.status).toBe(202);
    const id = started.json.broadcastId;
    const planned = new Map(
      leadIds.map((leadId) => [leadId, testVariant(abTest as never, leadPlace(id, leadId))?.id]),
    );
    const inTest = [...planned.values()].filter(Boolean).length;
    const variantMail = async () =>
      (await sesStore(stack.endpoints.ses)).filter((m) => /^Variant [AB]/.test(m.subject));
    await waitFor(
      'the test share sent',
      async () => ((await variantMail()).length === inTest ? true : undefined),
      20_000,
    );

    // Open every B send (or A's when B got nobody): that variant must win.
    const favourite = [...planned.values()].includes('b') ? 'b' : 'a';
    for (const [leadId, variant] of planned) {
      if (variant !== favourite) continue;
      const sent = (await timeline(leadId)).find(
        (e) => e.type === 'email_sent' && e.properties?.broadcastId === id,
      );
      expect(sent?.properties).toMatchObject({ variant, step: `variant-${variant}` });
      const opened = await http.post('/local/ses/events', {
        messageId: sent?.properties?.messageId,
        event: 'open',
      });
      expect(opened.status).toBe(202);
    }
    const decided = await waitFor(
      'the winner',
      async () => {
        const r = (await http.get(`/v1/admin/broadcasts/${id}/results`, token)).json;
        return r.abTest?.winner ? r : undefined;
      },
      45_000,
    );
    expect(decided.abTest.winner).toBe(favourite);
    const all = await waitFor(
      'the rest sent',
      async () => {
        const mail = await variantMail();
        return mail.length === leadIds.length ? mail : undefined;
      },
      20_000,
    );
    const winnerSubject = favourite === 'b' ? /^Variant B/ : /^Variant A/;
    expect(all.filter((m) => winnerSubject.test(m.subject))).toHaveLength(
      leadIds.length - inTest + [...planned.values()].filter((v) => v === favourite).length,
    );

    const results = await waitFor('every send counted', async () => {
      const r = (await http.get(`/v1/admin/broadcasts/${id}/results`, token)).json;
      return r.progress.sent === leadIds.length ? r : undefined;
    });
    expect(results).toMatchObject({ status: 'done', progress: { enrolled: leadIds.length, pending: 0 } });
    const row = results.abTest.variants.find((v: Json) => v.id === favourite);
    expect(row).toMatchObject({
      winner: true,
      opened: [...planned.values()].filter((v) => v === favourite).length,
    });
    expect(results.abTest.significance.label).toMatch(/95%/);
  }, 120_000);
});
