import { resolve } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBroadcastStore } from '../../functions/adapters/dynamodb/broadcast-store';
import { DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { CachedNurtureConfigs, NURTURE_CONFIG_ID } from '../../functions/adapters/dynamodb/nurture-configs';
import { DynamoSuppressionStore } from '../../functions/adapters/dynamodb/suppression-store';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { SesMailer } from '../../functions/adapters/ses/ses-mailer';
import { signConfirmationToken } from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { leadIdFor } from '../../functions/core/kernel/email';
import { newId } from '../../functions/core/kernel/ids';
import type { LeadState, Stage } from '../../functions/core/leads/lead';
import {
  type BroadcastDeps,
  processBroadcastPage,
  type Segment,
  startBroadcast,
} from '../../functions/core/nurture/broadcast';
import type { NurtureConfig } from '../../functions/core/nurture/config-schema';
import { processDueSteps, type SendDeps } from '../../functions/core/nurture/send-step';
import { emptyAggregate } from '../../functions/core/scoring/score';
import { lambdaContext } from '../../functions/local/api-gateway';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { httpEvent, invoke } from '../fixtures/http-events';
import type { Json } from '../fixtures/local-api';

/** The nurture admin API over the real emulators: config versions, previews, proofs, enrollment, broadcasts. */
const KEY = 'unsubscribe-key-for-nurture-admin-tests';
const PUBLIC_URL = 'https://leadflow.example';
let env: EmulatorEnv;
let admin: Parameters<typeof invoke>[0];
let sendEmail: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
let token: string;
let shipped: NurtureConfig;
let leads: DynamoLeadStore;
let suppressions: DynamoSuppressionStore;

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_UNSUBSCRIBE_KEY: KEY,
    LEADFLOW_PUBLIC_URL: PUBLIC_URL,
    LEADFLOW_CONFIG_CACHE_SECONDS: '1',
  });
  const config = await readNurtureConfig(resolve('config'));
  if (!config) throw new Error('config/settings.yaml is missing');
  shipped = config.config;
  await new DynamoConfigStore(env.db, TABLE).publish('nurture', NURTURE_CONFIG_ID, shipped);
  token = await env.token('marketing');
  leads = new DynamoLeadStore(env.db, TABLE);
  suppressions = new DynamoSuppressionStore(env.db, TABLE);
  ({ handler: admin } = await import('../../functions/handlers/admin-nurture'));
  ({ handler: sendEmail } = await import('../../functions/handlers/send-email'));
});
afterAll(async () => env?.stop());

/** Calls the handler as API Gateway does: the route key, and the path built from its parameters. */
function call(
  routeKey: string,
  params: Record<string, string> = {},
  body?: unknown,
  auth = token,
  headers: Record<string, string> = {},
) {
  const path = routeKey.split(' ')[1]?.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '') ?? '';
  return invoke(
    admin,
    httpEvent({
      routeKey,
      path,
      pathParameters: params,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const at = '2026-10-01T10:00:00.000Z';
async function storeLead(
  email: string,
  options: { stage?: Stage; consent?: boolean; test?: boolean; sales?: boolean; timezone?: string } = {},
): Promise<LeadState> {
  const lead: LeadState = {
    leadId: leadIdFor(email),
    email,
    stage: options.stage ?? 'subscriber',
    profile: {
      firstName: { value: email.split('@')[0] ?? 'x', source: 'form:newsletter', at },
      ...(options.timezone ? { timezone: { value: options.timezone, source: 'form:newsletter', at } } : {}),
    },
    ...(options.consent === false
      ? {}
      : { marketingConsent: { granted: true, at, source: 'form:newsletter' } }),
    createdAt: at,
    updatedAt: at,
    version: 1,
    aggregate: emptyAggregate(),
    score: null,
    ...(options.test ? { test: true } : {}),
    ...(options.sales
      ? {
          handoff: {
            number: 1,
            status: 'sent' as const,
            becameHotAt: at,
            rules: ['demo_request'],
            sentAt: at,
          },
        }
      : {}),
  };
  const created = await leads.create(lead);
  if (!created.created) throw new Error(`${email} exists`);
  return lead;
}

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  headers?: { name: string; value: string }[];
  body: { html?: string; text?: string };
}
async function sentEmails(): Promise<StoredEmail[]> {
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

/** The local event source mapping, by hand: feeds email-jobs to send-email until the queue is empty. */
async function drainEmailJobs(): Promise<string[]> {
  const queueUrl = env.queues['email-jobs'] ?? '';
  const bodies: string[] = [];
  for (let round = 0; round < 50; round += 1) {
    const { Messages = [] } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
    await sendEmail(
      {
        Records: Messages.map((m) => ({
          messageId: m.MessageId ?? '',
          receiptHandle: m.ReceiptHandle ?? '',
          body: m.Body ?? '',
          attributes: {} as SQSEvent['Records'][number]['attributes'],
          messageAttributes: {},
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test-email-jobs',
          awsRegion: 'us-east-1',
        })),
      },
      lambdaContext('send-email'),
    );
    await env.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  throw new Error('email-jobs never ran dry');
}

/** send-email's dependencies, as functions/shared/wiring/nurture.ts builds them, over the emulators. */
function sendDeps(): SendDeps {
  return {
    leads,
    nurture: new CachedNurtureConfigs(new DynamoConfigStore(env.db, TABLE), 0),
    suppressions,
    broadcasts: new DynamoBroadcastStore(env.db, TABLE),
    mailer: new SesMailer(new SESv2Client({ maxAttempts: 1 }), 'leadflow-test'),
    unsubscribeUrl: async (leadId, now) =>
      `${PUBLIC_URL}/v1/unsubscribe?t=${encodeURIComponent(signUnsubscribeToken(leadId, KEY, now))}`,
    confirmUrl: async (leadId, formId, now, days) =>
      `${PUBLIC_URL}/v1/confirm?t=${encodeURIComponent(signConfirmationToken({ leadId, formId }, KEY, now, days))}`,
    clock: { now: () => new Date() },
  };
}

const springSale = {
  id: 'spring-sale',
  name: 'Spring sale (broadcast)',
  subject: 'Spring pricing for {{ company | default: "your team" }}',
  html: '<p>Hi {{ firstName | default: "there" }}, annual plans are 20% off until Friday.</p>',
  text: 'Hi {{ firstName | default: "there" }}, annual plans are 20% off until Friday.',
};
const itemsButTokens = async () => (await env.items()).filter((item) => item.entity !== 'token');

describe('nurture config as versions', () => {
  it('shows the active config and its history', async () => {
    const res = await call('GET /v1/admin/nurture');
    expect(res.status).toBe(200);
    expect(res.json.active).toMatchObject({ version: 1, document: { settings: shipped.settings } });
    expect(res.json.versions.map((v: Json) => v.version)).toEqual([1]);
  });

  it('validates a config: errors with paths (a step naming a missing template), warnings otherwise', async () => {
    const broken = {
      ...shipped,
      sequences: [{ ...shipped.sequences[0], steps: [{ id: 'one', template: 'nope' }] }],
    };
    const bad = await call('POST /v1/admin/nurture/validate', {}, { config: broken });
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({
      valid: false,
      errors: [{ path: 'sequences.0.steps.0.template', message: 'no template "nope"' }],
    });
    const good = await call('POST /v1/admin/nurture/validate', {}, { config: shipped });
    expect(good.json).toEqual({ valid: true, warnings: [] });
  });

  it('refuses an invalid version with a 400 and the path of each error, storing nothing', async () => {
    const before = await itemsButTokens();
    const res = await call(
      'POST /v1/admin/nurture/versions',
      {},
      { config: { ...shipped, layout: { html: '<p>{{ content }}</p>', text: '{{ content }}' } } },
    );
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
    expect(res.json.error.details.map((d: Json) => d.path)).toContain('config.layout.html');
    expect(await itemsButTokens()).toEqual(before);
  });

  it('adds a version, diffs it against the active one, and activates it (404 for unknown versions)', async () => {
    const next = { ...shipped, templates: [...shipped.templates, springSale] };
    const added = await call('POST /v1/admin/nurture/versions', {}, { config: next });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ version: 2, warnings: [] });
    const diff = await call('GET /v1/admin/nurture/versions/{version}/diff/{other}', {
      version: '1',
      other: '2',
    });
    expect(diff.json).toMatchObject({
      from: 1,
      to: 2,
      templates: { added: ['spring-sale'], removed: [], changed: [] },
      sequences: { added: [], removed: [], changed: [] },
      settings: { added: [], removed: [], changed: [] },
      layout: { changed: false },
    });
    expect((await call('POST /v1/admin/nurture/versions/{version}/activate', { version: '9' })).status).toBe(
      404,
    );
    expect((await call('POST /v1/admin/nurture/versions/{version}/activate', { version: 'x1' })).status).toBe(
      400,
    );
    const activated = await call('POST /v1/admin/nurture/versions/{version}/activate', { version: '2' });
    expect(activated.status).toBe(200);
    expect(activated.json.active.version).toBe(2);
    expect((await call('GET /v1/admin/nurture')).json.active.version).toBe(2);
  });

  it('answers 401 without a token and 403 for a sales token', async () => {
    expect((await call('GET /v1/admin/nurture', {}, undefined, 'not-a-real-token-at-all')).status).toBe(401);
    expect((await call('GET /v1/admin/nurture', {}, undefined, await env.token('sales'))).status).toBe(403);
  });
});

describe('sequence preview', () => {
  it('renders every step for a stored lead with its real unsubscribe link, headers, times and conditions, writing nothing', async () => {
    const lead = await storeLead('preview.reader@example.com', { timezone: 'Europe/Berlin' });
    const before = await itemsButTokens();
    const res = await call(
      'POST /v1/admin/sequences/{id}/preview',
      { id: 'welcome' },
      { leadId: lead.leadId },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: 2, sequenceId: 'welcome', subject: 'lead' });
    const [first, second, third] = res.json.steps as Json[];
    expect(first).toMatchObject({
      stepId: 'welcome',
      template: 'welcome',
      text: expect.stringContaining('preview.reader'),
    });
    const link = first.headers.find((h: Json) => h.name === 'List-Unsubscribe').value.slice(1, -1);
    expect(link.startsWith(`${PUBLIC_URL}/v1/unsubscribe?t=`)).toBe(true);
    expect(verifyUnsubscribeToken(new URL(link).searchParams.get('t') ?? '', KEY)?.leadId).toBe(lead.leadId);
    expect(first.html).toContain(link.replace(/&/g, '&amp;'));
    expect(first.headers.map((h: Json) => h.name)).toEqual([
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
      'From',
      'Reply-To',
    ]);
    // The first step goes at once; the later ones wait, then fall inside the window.
    expect(Math.abs(Date.parse(first.when) - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(second.when) - Date.parse(first.when)).toBeGreaterThanOrEqual(
      2 * 24 * 3600_000 - 3600_000,
    );
    expect(third.condition).toEqual({ holds: true });
    expect(second.condition).toBeUndefined();
    expect(await itemsButTokens()).toEqual(before);
  });

  it('renders the sample profile with an obviously fake unsubscribe link, and a sketched profile as given', async () => {
    const sample = await call('POST /v1/admin/sequences/{id}/preview', { id: 'welcome' }, {});
    expect(sample.status).toBe(200);
    expect(sample.json.subject).toBe('sample');
    expect(sample.json.steps[0].text).toContain('Hi Ada,');
    expect(sample.json.steps[0].headers[0].value).toMatch(/\.invalid\//);
    const sketched = await call(
      'POST /v1/admin/sequences/{id}/preview',
      { id: 'welcome' },
      { profile: { firstName: '<b>Bo</b>', company: 'Initech' }, version: 1 },
    );
    expect(sketched.json.version).toBe(1);
    // The text body is text: not escaped.
    expect(sketched.json.steps[0].text).toContain('Hi <b>Bo</b>,');
    expect(sketched.json.steps[0].html).toContain('Hi &lt;b&gt;Bo&lt;/b&gt;');
  });

  it('answers 404 for an unknown sequence, lead or version, and 400 for a lead and a profile at once', async () => {
    const unknownLead = leadIdFor('nobody@example.com');
    expect((await call('POST /v1/admin/sequences/{id}/preview', { id: 'nope' }, {})).json.error.code).toBe(
      'sequence_not_found',
    );
    const noLead = await call(
      'POST /v1/admin/sequences/{id}/preview',
      { id: 'welcome' },
      { leadId: unknownLead },
    );
    expect([noLead.status, noLead.json.error.code]).toEqual([404, 'lead_not_found']);
    const noVersion = await call('POST /v1/admin/sequences/{id}/preview', { id: 'welcome' }, { version: 42 });
    expect([noVersion.status, noVersion.json.error.code]).toEqual([404, 'version_not_found']);
    const both = await call(
      'POST /v1/admin/sequences/{id}/preview',
      { id: 'welcome' },
      { leadId: unknownLead, profile: { firstName: 'A' } },
    );
    expect(both.status).toBe(400);
    const typo = await call(
      'POST /v1/admin/sequences/{id}/preview',
      { id: 'welcome' },
      { lead: unknownLead },
    );
    expect(typo.json.error.details).toEqual([{ path: '(body)', message: 'unknown field: lead' }]);
  });
});

describe('proofs (test sends)', () => {
  it('sends a [Proof] to any address through SES without touching the lead', async () => {
    const lead = await storeLead('proof.subject@example.com', { consent: false });
    const before = await itemsButTokens();
    const res = await call(
      'POST /v1/admin/templates/{id}/test-send',
      { id: 'welcome' },
      { to: 'marketer@leadflow.example', leadId: lead.leadId },
    );
    expect(res.status).toBe(202);
    expect(res.json.messageId).toEqual(expect.any(String));
    const proof = (await sentEmails()).find((e) => e.destination.to.includes('marketer@leadflow.example'));
    expect(proof?.subject).toBe('[Proof] Welcome to Leadflow');
    expect(proof?.body.text).toContain('proof.subject');
    expect(proof?.headers).toEqual(
      expect.arrayContaining([{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }]),
    );
    // No enrollment, no timeline entry, no frequency-cap count: the table is as it was.
    expect(await itemsButTokens()).toEqual(before);
  });

  it('refuses a suppressed address (400 suppressed_address) and an unknown template (404)', async () => {
    await suppressions.suppress('bounced.marketer@leadflow.example', 'bounced', 'ses:bounce');
    const suppressed = await call(
      'POST /v1/admin/templates/{id}/test-send',
      { id: 'welcome' },
      { to: 'Bounced.Marketer@leadflow.example' },
    );
    expect([suppressed.status, suppressed.json.error.code]).toEqual([400, 'suppressed_address']);
    const unknown = await call(
      'POST /v1/admin/templates/{id}/test-send',
      { id: 'nope' },
      { to: 'a@b.example' },
    );
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'template_not_found']);
    expect(
      (await sentEmails()).some((e) => e.destination.to.includes('bounced.marketer@leadflow.example')),
    ).toBe(false);
  });
});

describe('manual enrollment', () => {
  it('enrolls a lead under the entry rules, with a timeline entry, and refuses a second time with 409', async () => {
    const lead = await storeLead('manual.enroll@example.com');
    const res = await call(
      'POST /v1/admin/sequences/{id}/enrollments',
      { id: 'welcome' },
      { leadId: lead.leadId },
    );
    expect(res.status).toBe(201);
    expect(res.json.enrollment).toMatchObject({
      sequenceId: 'welcome',
      number: 1,
      status: 'active',
      step: 0,
    });
    const stored = await leads.find(lead.leadId);
    expect(stored?.lead.version).toBe(2);
    expect(stored?.lead.nurture?.enrollments.welcome?.status).toBe('active');
    expect(stored?.activities.map((a) => a.type)).toEqual(['sequence_enrolled']);
    expect(stored?.activities[0]?.source).toBe('admin:test marketing');
    const again = await call(
      'POST /v1/admin/sequences/{id}/enrollments',
      { id: 'welcome' },
      { leadId: lead.leadId },
    );
    expect([again.status, again.json.error.code]).toEqual([409, 'already_enrolled']);
  });

  it('refuses a lead without consent (409 no_consent) and names unknown leads and sequences (404)', async () => {
    const lead = await storeLead('no.consent@example.com', { consent: false });
    const refused = await call(
      'POST /v1/admin/sequences/{id}/enrollments',
      { id: 'welcome' },
      { leadId: lead.leadId },
    );
    expect([refused.status, refused.json.error.code]).toEqual([409, 'no_consent']);
    expect((await leads.load(lead.leadId))?.version).toBe(1);
    const noLead = await call(
      'POST /v1/admin/sequences/{id}/enrollments',
      { id: 'welcome' },
      { leadId: leadIdFor('ghost@example.com') },
    );
    expect(noLead.status).toBe(404);
    const noSequence = await call(
      'POST /v1/admin/sequences/{id}/enrollments',
      { id: 'nope' },
      { leadId: lead.leadId },
    );
    expect([noSequence.status, noSequence.json.error.code]).toEqual([404, 'sequence_not_found']);
  });
});

describe('broadcasts', () => {
  const segment: Segment = { stages: ['customer'], consent: true };
  const customers: Record<string, LeadState> = {};

  beforeAll(async () => {
    customers.first = await storeLead('first.customer@example.com', { stage: 'customer' });
    customers.second = await storeLead('second.customer@example.com', { stage: 'customer' });
    customers.bounced = await storeLead('bounced.customer@example.com', { stage: 'customer' });
    customers.noConsent = await storeLead('quiet.customer@example.com', {
      stage: 'customer',
      consent: false,
    });
    customers.test = await storeLead('test.customer@example.com', { stage: 'customer', test: true });
    customers.sales = await storeLead('renewal.customer@example.com', { stage: 'customer', sales: true });
    await storeLead('mql.lead@example.com', { stage: 'mql' });
    await storeLead('just.subscribed@example.com', { stage: 'subscriber' });
    await suppressions.suppress('bounced.customer@example.com', 'bounced', 'ses:bounce');
  });

  it('previews who a segment reaches and why the rest is left out', async () => {
    const res = await call('POST /v1/admin/broadcasts/preview', {}, { template: 'spring-sale', segment });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      recipients: 2,
      excluded: { suppressed: 1, noConsent: 1, ownedBySales: 1, test: 1 },
      complete: true,
    });
  });

  it('refuses a segment without consent: true, a misspelt key, and an unknown template', async () => {
    const noConsent = await call(
      'POST /v1/admin/broadcasts',
      {},
      { template: 'spring-sale', segment: { stages: ['customer'] } },
    );
    expect(noConsent.status).toBe(400);
    expect(noConsent.json.error.details.map((d: Json) => d.path)).toEqual(['segment.consent']);
    const typo = await call(
      'POST /v1/admin/broadcasts',
      {},
      { template: 'spring-sale', segment: { stage: ['customer'], consent: true } },
    );
    expect(typo.json.error.details).toEqual([{ path: 'segment', message: 'unknown field: stage' }]);
    const unknown = await call('POST /v1/admin/broadcasts', {}, { template: 'nope', segment });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'template_not_found']);
  });

  it('reaches exactly the segment minus suppressed addresses, through the same gate as sequences', async () => {
    const started = await call(
      'POST /v1/admin/broadcasts',
      {},
      { template: 'spring-sale', segment, ignoreSendWindow: true },
    );
    expect(started.status).toBe(202);
    const { broadcastId } = started.json;
    expect(started.json).toMatchObject({ status: 'running', template: 'spring-sale', enrolled: 0 });

    // send-email takes the page message off email-jobs and enrolls the page's recipients.
    const messages = await drainEmailJobs();
    expect(messages).toEqual([JSON.stringify({ broadcast: broadcastId, cursor: null })]);
    const progress = await call('GET /v1/admin/broadcasts/{id}', { id: broadcastId });
    expect(progress.json).toMatchObject({
      status: 'done',
      pages: 1,
      enrolled: 2,
      excluded: { suppressed: 1, noConsent: 1, ownedBySales: 1, test: 1 },
      finishedAt: expect.any(String),
    });
    expect(progress.json.cursor).toBeUndefined();

    // A redelivered page changes nothing.
    await sendEmail(
      {
        Records: [
          {
            messageId: 'again',
            receiptHandle: 'again',
            body: JSON.stringify({ broadcast: broadcastId, cursor: null }),
            attributes: {} as SQSEvent['Records'][number]['attributes'],
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test-email-jobs',
            awsRegion: 'us-east-1',
          },
        ],
      },
      lambdaContext('send-email'),
    );
    expect((await call('GET /v1/admin/broadcasts/{id}', { id: broadcastId })).json).toEqual(progress.json);

    // Between enrollment and sending, the second customer complains: the gate must still stop it.
    await suppressions.suppress('second.customer@example.com', 'complained', 'ses:complaint');
    const key = `broadcast:${broadcastId}`;
    for (const lead of Object.values(customers)) {
      const stored = await leads.load(lead.leadId);
      const enrolled = stored?.nurture?.enrollments[key] !== undefined;
      expect([lead.email, enrolled]).toEqual([
        lead.email,
        lead === customers.first || lead === customers.second,
      ]);
      if (enrolled) await processDueSteps(sendDeps(), lead.leadId);
    }

    const broadcastMail = (await sentEmails()).filter((e) => e.subject.startsWith('Spring pricing'));
    expect(broadcastMail.map((e) => e.destination.to)).toEqual([['first.customer@example.com']]);
    expect(broadcastMail[0]?.headers?.[0]?.name).toBe('List-Unsubscribe');

    const first = await leads.find(customers.first?.leadId ?? '');
    expect(first?.lead.nurture?.enrollments[key]).toMatchObject({ status: 'completed' });
    expect(first?.activities.find((a) => a.type === 'email_sent')?.properties).toMatchObject({
      sequenceId: key,
      step: 'broadcast',
      template: 'spring-sale',
    });
    // Suppressed after enrollment: skipped by the gate, visible on the timeline (invariant 3).
    const second = await leads.find(customers.second?.leadId ?? '');
    expect(second?.activities.find((a) => a.type === 'email_skipped')?.properties).toMatchObject({
      sequenceId: key,
      reason: 'suppressed',
    });
    expect(second?.lead.nurture?.enrollments[key]).toMatchObject({ status: 'exited', reason: 'suppressed' });
    // Suppressed before: excluded at enrollment (counted above), so nothing was scheduled for it.
    const bounced = await leads.find(customers.bounced?.leadId ?? '');
    expect(bounced?.lead.nurture).toBeUndefined();
    expect(bounced?.activities).toEqual([]);
  });

  it('starts one broadcast for a retried POST with the same Idempotency-Key (a double click mails nobody twice)', async () => {
    const sendAt = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
    const request = { template: 'spring-sale', segment, sendAt };
    const key = { 'idempotency-key': 'launch-next-month' };
    const first = await call('POST /v1/admin/broadcasts', {}, request, token, key);
    const again = await call('POST /v1/admin/broadcasts', {}, request, token, key);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.json.broadcastId).toBe(first.json.broadcastId);
    expect(first.json.broadcastId).toMatch(/^bc_[0-9A-HJKMNP-TV-Z]{26}$/);
    // Page messages for the one broadcast only (the retry queues its first page again, in case the first
    // request died before queueing it: a duplicate first page is a no-op); another key is another broadcast.
    expect(new Set(await drainEmailJobs())).toEqual(
      new Set([JSON.stringify({ broadcast: first.json.broadcastId, cursor: null })]),
    );
    const other = await call('POST /v1/admin/broadcasts', {}, request, token, { 'idempotency-key': 'other' });
    expect(other.json.broadcastId).not.toBe(first.json.broadcastId);
    await drainEmailJobs();
  });

  it('counts every page once and enrolls each lead once when pages are delivered twice', async () => {
    const broadcasts = new DynamoBroadcastStore(env.db, TABLE);
    const requested: (string | null)[] = [];
    const deps: BroadcastDeps = {
      // Pages of three leads, so the job spans several pages.
      leads: {
        load: (id) => leads.load(id),
        replace: (l, v) => leads.replace(l, v),
        page: (c) => leads.page(c, 3),
      },
      suppressions,
      broadcasts,
      requestPage: async (_id, cursor) => {
        requested.push(cursor);
      },
      clock: { now: () => new Date() },
      sleep: async () => {},
    };
    const broadcastId = newId('bc');
    await startBroadcast(
      deps,
      {
        broadcastId,
        template: 'spring-sale',
        segment,
        sendAt: new Date(Date.now() + 86_400_000),
        ignoreSendWindow: false,
      },
      'test',
      new Date(),
    );
    for (let i = 0; i < requested.length; i += 1) {
      const cursor = requested[i] ?? null;
      await processBroadcastPage(deps, broadcastId, cursor);
      // Redelivered: counts nothing, enrolls nobody twice.
      await processBroadcastPage(deps, broadcastId, cursor);
      if (i > 20) throw new Error('the broadcast never finished');
    }
    const progress = await broadcasts.get(broadcastId);
    const allLeads = (await env.items()).filter((item) => item.entity === 'lead').length;
    expect(progress).toMatchObject({
      status: 'done',
      scanned: allLeads,
      // The second customer complained in the test above: suppressed now.
      enrolled: 1,
      excluded: { suppressed: 2, noConsent: 1, ownedBySales: 1, test: 1 },
    });
    expect(progress?.pages).toBeGreaterThan(1);
    const first = await leads.load(customers.first?.leadId ?? '');
    expect(first?.nurture?.enrollments[`broadcast:${broadcastId}`]).toMatchObject({
      dueAt: progress?.sendAt,
      broadcast: { id: broadcastId, template: 'spring-sale', ignoreSendWindow: false },
    });
  });

  it('answers 404 for an unknown broadcast id', async () => {
    expect((await call('GET /v1/admin/broadcasts/{id}', { id: newId('bc') })).status).toBe(404);
    expect((await call('GET /v1/admin/broadcasts/{id}', { id: '../etc' })).status).toBe(404);
  });
});

describe('bad input', () => {
  /**
   * Per route: mostly-plausible bodies with hostile values (so the property reaches the 2xx
   * paths too), any JSON, and bytes that are not JSON. Built inside the test: the shipped
   * config is read in beforeAll.
   */
  function requests() {
    const leadId = leadIdFor('first.customer@example.com');
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(leadId, 'welcome', 'spring-sale', '__proto__', 'ld_zz', 1, -1, 2 ** 60, null, true, ''),
    );
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 3 }, value);
    const config = fc.oneof(
      fc.constant(shipped),
      fc
        .record({ key: fc.constantFrom('settings', 'layout', 'templates', 'sequences', 'extra'), v: value })
        .map(({ key, v }) => ({ ...shipped, [key]: v })),
      value,
    );
    const segment = fc.record(
      {
        stages: maybe(fc.constant(['customer'])),
        consent: maybe(fc.constant(true)),
        fields: maybe(fc.dictionary(fc.string({ maxLength: 70 }), value, { maxKeys: 3 })),
      },
      { requiredKeys: [] },
    );
    const shapes: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
      'POST /v1/admin/nurture/validate': fc.record({ config }),
      'POST /v1/admin/nurture/versions': fc.record({ config }),
      'POST /v1/admin/sequences/{id}/preview': fc.record(
        {
          leadId: maybe(fc.constant(leadId)),
          profile: maybe(fc.dictionary(fc.string({ maxLength: 70 }), value, { maxKeys: 4 })),
          version: maybe(fc.constantFrom(1, 2, 0, 1.5, 1e6)),
        },
        { requiredKeys: [] },
      ),
      'POST /v1/admin/sequences/{id}/enrollments': fc.record({ leadId: maybe(fc.constant(leadId)) }),
      'POST /v1/admin/templates/{id}/test-send': fc.record(
        {
          to: fc.constantFrom(
            'proof@leadflow.example',
            'bounced.marketer@leadflow.example',
            'not an email',
            'a@b',
          ),
          leadId: maybe(fc.constant(leadId)),
          version: maybe(fc.constantFrom(1, 2, 7)),
        },
        { requiredKeys: ['to'] },
      ),
      'POST /v1/admin/broadcasts/preview': fc.record({
        template: maybe(fc.constantFrom('spring-sale', 'welcome', 'Nope!')),
        segment: maybe(segment),
      }),
      'POST /v1/admin/broadcasts': fc.record(
        {
          template: maybe(fc.constantFrom('spring-sale', 'nope')),
          segment: maybe(segment),
          sendAt: maybe(fc.constantFrom('2031-01-01T00:00:00Z', '2020-01-01T00:00:00+02:00', 'tomorrow')),
          ignoreSendWindow: value,
        },
        { requiredKeys: ['template', 'segment'] },
      ),
    };
    const version = fc.oneof(fc.constantFrom('1', '2', '0', '007', '1e3', '-1', '', '999999'), fc.string());
    const id = fc.oneof(fc.constantFrom('welcome', 'spring-sale', 'nope', ''), fc.string({ maxLength: 100 }));
    const body = (route: string) =>
      fc.oneof(
        { arbitrary: (shapes[route] ?? fc.constant({})).map((o) => JSON.stringify(o)), weight: 3 },
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc.string({ unit: 'binary', maxLength: 200 }),
      );
    return fc.oneof(
      ...Object.keys(shapes).map((route) => fc.tuple(fc.constant(route), fc.record({ id }), body(route))),
      fc.tuple(
        fc.constant('POST /v1/admin/nurture/versions/{version}/activate'),
        fc.record({ version }),
        body(''),
      ),
      fc.tuple(
        fc.constant('GET /v1/admin/nurture/versions/{version}/diff/{other}'),
        fc.record({ version, other: version }),
        fc.constant(''),
      ),
      fc.tuple(fc.constant('GET /v1/admin/broadcasts/{id}'), fc.record({ id }), fc.constant('')),
    );
  }

  it('never answers 5xx, whatever the body or path', async () => {
    await fc.assert(
      fc.asyncProperty(requests(), async ([routeKey, params, raw]) => {
        const res = await call(routeKey, params as Record<string, string>, raw);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.error.code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 300 },
    );
  });
});

// Last: the leads it stores would change the broadcast tests' counts above.
describe('sequence preview of a lead who would get nothing', () => {
  it("says why a stored lead would get nothing, by the sender's gate: no consent, owned by sales, suppressed", async () => {
    const preview = (leadId: string) =>
      call('POST /v1/admin/sequences/{id}/preview', { id: 'welcome' }, { leadId });
    const willing = await storeLead('preview.willing@example.com');
    expect((await preview(willing.leadId)).json.wouldNotSend).toBeUndefined();
    // No consent and owned by sales: the gate asks consent first, as send-email does.
    const both = await storeLead('preview.no-consent@example.com', { consent: false, sales: true });
    expect((await preview(both.leadId)).json.wouldNotSend).toEqual({
      reason: 'no_consent',
      message: expect.stringContaining('No marketing consent'),
    });
    const sales = await storeLead('preview.sales@example.com', { sales: true });
    expect((await preview(sales.leadId)).json.wouldNotSend?.reason).toBe('owned_by_sales');
    const bounced = await storeLead('preview.bounced@example.com');
    await suppressions.suppress(bounced.email, 'bounced', 'test');
    expect((await preview(bounced.leadId)).json.wouldNotSend?.reason).toBe('suppressed');
    // The sample says nothing about a lead it is not.
    expect(
      (await call('POST /v1/admin/sequences/{id}/preview', { id: 'welcome' }, {})).json.wouldNotSend,
    ).toBe(undefined);
  });
});
