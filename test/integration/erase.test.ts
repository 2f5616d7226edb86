import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { sqs } from '../../functions/shared/aws/sqs';
import { startFakeGraph } from '../fixtures/fake-graph';
import { LINKEDIN_FORM_ID, startFakeLinkedin } from '../fixtures/fake-linkedin';
import {
  api,
  hotDemoRequest,
  type Json,
  startTestStack,
  tableItems,
  waitFor,
  webhookApi,
} from '../fixtures/local-api';
import { queuesDrained } from '../fixtures/queues';

/**
 * GDPR erase (DESIGN invariant 7) on the whole local stack: a person who came in through every
 * channel leaves nothing behind but the keyed suppression entry, and no route, platform retry,
 * replay or CLI brings them back.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let web: ReturnType<typeof webhookApi>;
let linkedin: Awaited<ReturnType<typeof startFakeLinkedin>>;
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
const SECRETS = {
  LINKEDIN_CLIENT_SECRET: 'linkedin-client-secret-for-tests',
  LINKEDIN_ACCESS_TOKEN: 'linkedin-access-token-for-tests',
  TIKTOK_WEBHOOK_SECRET: 'tiktok-secret-for-tests',
  META_APP_SECRET: 'meta-app-secret-for-tests',
  META_VERIFY_TOKEN: 'verify-me',
  GOOGLE_ADS_WEBHOOK_KEY: 'google-key-for-tests',
};

beforeAll(async () => {
  linkedin = await startFakeLinkedin();
  graph = await startFakeGraph();
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...SECRETS,
    LINKEDIN_API_URL: linkedin.url,
    META_GRAPH_URL: graph.url,
  });
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 } });
  http = api(stack);
  web = webhookApi(stack);
}, 30_000);
afterAll(async () => {
  await stack?.stop();
  await linkedin?.stop();
  await graph?.stop();
});

const hmac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');

const EMAIL = 'erin.erased@initech.de';
const PERSONAL = ['erin.erased', 'Erased', 'Erin', '1234567', '7654321', '5552671'];

const deliveries = {
  meta: JSON.stringify({
    object: 'page',
    entry: [
      {
        id: '153125381133',
        time: 1764230400,
        changes: [
          {
            field: 'leadgen',
            value: {
              leadgen_id: '555000111',
              page_id: '153125381133',
              form_id: '981273649',
              created_time: 1764230400,
            },
          },
        ],
      },
    ],
  }),
  google: JSON.stringify({
    lead_id: 'g-erase-1',
    api_version: '1.0',
    form_id: 40000000,
    campaign_id: 12345,
    google_key: SECRETS.GOOGLE_ADS_WEBHOOK_KEY,
    is_test: false,
    lead_submit_time: '2026-11-27 09:00:00.000+00:00',
    user_column_data: [
      { column_name: 'Full Name', string_value: 'Erin Erased', column_id: 'FULL_NAME' },
      { column_name: 'User Email', string_value: EMAIL, column_id: 'EMAIL' },
      { column_name: 'User Phone', string_value: '+1 415 555 2671', column_id: 'PHONE_NUMBER' },
    ],
  }),
  linkedin: JSON.stringify({
    type: 'LEAD_ACTION',
    leadGenFormResponse: 'urn:li:leadGenFormResponse:li-erase-1',
    leadGenForm: `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:${LINKEDIN_FORM_ID},1)`,
    owner: { sponsoredAccount: 'urn:li:sponsoredAccount:522529623' },
    leadType: 'SPONSORED',
    leadAction: 'CREATED',
    occurredAt: 1764230400000,
  }),
  tiktok: JSON.stringify({
    client_key: 'aw1234567890abcd',
    event: 'lead.create',
    create_time: 1764230400,
    content: JSON.stringify({
      lead_id: 'tt-erase-1',
      advertiser_id: '7000000000000000001',
      create_time: 1764230400,
      lead_data: { Name: 'Erin Erased', Email: EMAIL, 'Phone number': '+49 30 7654321' },
    }),
  }),
};

function post(provider: keyof typeof deliveries) {
  const body = deliveries[provider];
  const t = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    meta: { 'x-hub-signature-256': `sha256=${hmac(SECRETS.META_APP_SECRET, body)}` },
    google: {},
    linkedin: { 'x-li-signature': hmac(SECRETS.LINKEDIN_CLIENT_SECRET, body) },
    tiktok: { 'tiktok-signature': `t=${t},s=${hmac(SECRETS.TIKTOK_WEBHOOK_SECRET, `${t}.${body}`)}` },
  }[provider];
  return web.post(`/v1/webhooks/${provider}`, body, headers);
}

const table = () => tableItems(stack);

/** Items that hold anything of the person: their data, their lead id, a delivery or a link. */
const traces = (items: Record<string, unknown>[], leadId: string) =>
  items.filter((item) => {
    const text = JSON.stringify(item);
    return text.includes(leadId) || PERSONAL.some((value) => text.includes(value));
  });

describe('GDPR erase of a person who came in through every channel', () => {
  let leadId: string;
  let deliveryIds: string[];

  it('captures them from a form, every ad platform and product events, with a hand-off in flight', async () => {
    expect(
      (await http.submit('demo-request', { ...hotDemoRequest(EMAIL), firstName: 'Erin', lastName: 'Erased' }))
        .status,
    ).toBe(202);
    expect(
      (
        await http.post(
          '/v1/activities',
          { email: EMAIL, type: 'page_viewed', properties: { path: '/pricing' }, idempotencyKey: 'erase-pv' },
          stack.tokens.ingest,
        )
      ).status,
    ).toBe(202);
    graph.addLead('555000111', { email: EMAIL, first_name: 'Erin', last_name: 'Erased' });
    linkedin.addResponse('li-erase-1', { EMAIL, FIRST_NAME: 'Erin', LAST_NAME: 'Erased' });
    for (const provider of ['meta', 'google', 'linkedin', 'tiktok'] as const)
      expect((await post(provider)).status).toBe(200);
    const lead: Json = await waitFor('every channel on the timeline', async () => {
      const found = await web.lead(EMAIL);
      const sources = new Set(found?.timeline.map((a: Json) => a.source));
      return ['form:demo-request', 'meta', 'google', 'linkedin', 'tiktok'].every((s) => sources.has(s))
        ? found
        : undefined;
    });
    leadId = lead.leadId;
    expect(lead.handoff).toMatchObject({ number: 1 });
    deliveryIds = (await web.deliveries())
      .filter((d) => String(d.deliveryId).startsWith('dlv_'))
      .map((d) => String(d.deliveryId));
    expect(deliveryIds).toHaveLength(4);
    expect(traces(await table(), leadId).length).toBeGreaterThan(8);
  });

  it('erases it all: only the suppression entry stays, with no clear address and no lead id', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.tokens.marketing}` },
    });
    expect(res.status).toBe(200);
    // The four deliveries and LinkedIn's reference from its response to the lead.
    expect(await res.json()).toMatchObject({ leadId, erased: true, deliveries: 5 });
    const items = await table();
    expect(traces(items, leadId)).toEqual([]);
    expect(
      items.filter((i) => ['lead', 'activity', 'delivery', 'delivery-link'].includes(String(i.entity))),
    ).toEqual([]);
    const suppressions = items.filter((i) => i.entity === 'suppression');
    expect(suppressions).toHaveLength(1);
    expect(suppressions[0]).toMatchObject({ reason: 'erased', erasedAt: expect.any(String) });
    expect((await http.get(`/v1/admin/leads/${leadId}`, stack.tokens.marketing)).status).toBe(404);
    expect((await http.get(`/v1/admin/leads?email=${EMAIL}`, stack.tokens.marketing)).status).toBe(404);
  });

  it('tells a direct consumer of the hot-lead queue to forget them, after the hand-off they may hold', async () => {
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queues['hot-leads'],
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: 1,
        }),
      );
    const first = (await receive()).Messages?.[0];
    expect(JSON.parse(first?.Body ?? '{}')).toMatchObject({ schema: 'leadflow.hot-lead.v1', leadId });
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: stack.queues['hot-leads'], ReceiptHandle: first?.ReceiptHandle }),
    );
    const second = (await receive()).Messages?.[0];
    expect(JSON.parse(second?.Body ?? '{}')).toEqual({
      schema: 'leadflow.lead-erased.v1',
      leadId,
      erasedAt: expect.any(String),
    });
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: stack.queues['hot-leads'], ReceiptHandle: second?.ReceiptHandle }),
    );
  });

  it('is not brought back by the platforms retrying their deliveries', async () => {
    for (const provider of ['meta', 'google', 'linkedin', 'tiktok'] as const)
      expect((await post(provider)).status).toBe(200);
    // The queued fetches (Meta, LinkedIn) ran and captured nothing: the fake APIs were asked again.
    await waitFor('the queued fetches to run', async () =>
      graph.calls.filter((id) => id === '555000111').length >= 2 &&
      linkedin.calls.filter((c) => c.path.endsWith('li-erase-1')).length >= 2
        ? true
        : undefined,
    );
    // ... and the consumer has finished with them: nothing it does later can be missed here.
    await queuesDrained(stack, ['ad-leads']);
    expect(traces(await table(), leadId)).toEqual([]);
    expect((await http.get(`/v1/admin/leads/${leadId}`, stack.tokens.marketing)).status).toBe(404);
  });

  it('is not brought back by a replay from the CLI: the deliveries are gone', async () => {
    const run = promisify(execFile);
    for (const deliveryId of deliveryIds) {
      await expect(
        run(process.execPath, ['bin/leadflow.mjs', 'webhooks', 'replay', deliveryId], { env: process.env }),
      ).rejects.toMatchObject({ stderr: expect.stringContaining('No kept delivery') });
    }
    expect(traces(await table(), leadId)).toEqual([]);
  });
});

describe('GDPR erase racing a form post', () => {
  it('does not let a post that read the lead before the erase bring the person back', async () => {
    const email = 'rachel.racer@initech.de';
    expect((await http.submit('newsletter', { email, firstName: 'Rachel', consent: true })).status).toBe(202);
    const leadId = (await web.lead(email)).leadId;
    // The racing post's lead write is held (after its read) until the erase has deleted everything.
    let release: () => void = () => {};
    const erased = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Item?: Record<string, unknown>; ConditionExpression?: string };
        if (
          !held &&
          context.commandName === 'PutItemCommand' &&
          input.Item?.email === email &&
          input.Item?.entity === 'lead' &&
          !input.Item?.erasing &&
          input.ConditionExpression?.startsWith('version')
        ) {
          held = true;
          await erased;
        }
        return next(args);
      },
      { step: 'initialize', name: 'hold-racing-post' },
    );
    try {
      const racing = http.submit('newsletter', {
        email,
        firstName: 'Rachel',
        lastName: 'Racer',
        consent: true,
      });
      await waitFor('the racing post to reach its lead write', async () => (held ? true : undefined));
      const erase = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${stack.tokens.marketing}` },
      });
      expect(erase.status).toBe(200);
      release();
      const answer = await racing;
      expect(answer.json).toMatchObject({ error: { code: 'lead_being_erased' } });
      expect(answer.status).toBe(409);
      expect(answer.json.error.code).toBe('lead_being_erased');
    } finally {
      release();
      dynamo.middlewareStack.remove('hold-racing-post');
    }
    const left = (await table()).filter((item) => {
      const text = JSON.stringify(item);
      return text.includes(leadId) || text.includes('rachel.racer') || text.includes('Racer');
    });
    expect(left).toEqual([]);
    // A sign-up after the erase is a new act of the person's own: it is taken (and stays suppressed).
    expect((await http.submit('newsletter', { email, consent: true })).status).toBe(202);
  });
});
