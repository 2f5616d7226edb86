import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '../../functions/adapters/dynamodb/suppression-store';
import { captureSubmission } from '../../functions/core/capture/capture';
import { signConfirmationToken } from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { leadIdFor } from '../../functions/core/kernel/email';
import { ValidationError } from '../../functions/core/kernel/errors';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { httpEvent, invoke } from '../fixtures/http-events';
import { mailTo, type NurtureHarness, nurtureHarness, type SentEmail } from '../fixtures/nurture';

/**
 * Double opt-in over the real emulators: a sign-up on the shipped `newsletter-eu` form, the
 * confirmation email through tick's nurture part and send-email's core (read back from the SES
 * emulator's store), and the link's GET and POST through the confirm handler. The harness clock
 * follows the real one here: the handler checks the link's expiry against the real time.
 */
const KEY = 'signing-key-for-double-opt-in-tests';
const PUBLIC_URL = 'https://leadflow.example';
const run = Date.now().toString(36);
let env: EmulatorEnv;
let ses: string;
let h: NurtureHarness;
let confirm: Parameters<typeof invoke>[0];

beforeAll(async () => {
  env = await emulatorEnv({ LEADFLOW_UNSUBSCRIBE_KEY: KEY, LEADFLOW_PUBLIC_URL: PUBLIC_URL });
  ses = process.env.AWS_ENDPOINT_URL_SESV2 ?? '';
  h = await nurtureHarness(env, 'double-opt-in');
  // The confirm handler reads the table name at cold start, as on Lambda: the harness's table.
  process.env.LEADFLOW_TABLE_NAME = h.table;
  process.env.LEADFLOW_CONFIG_CACHE_SECONDS = '1';
  ({ handler: confirm } = await import('../../functions/handlers/confirm'));
});
afterAll(async () => env?.stop());

/** A sign-up on the double opt-in form at the real time, through the real capture path. */
async function signUp(email: string): Promise<string> {
  h.clock.set(new Date());
  const result = await captureSubmission(h.capture, {
    formId: 'newsletter-eu',
    body: { email, firstName: 'Ada', consent: 'on' },
    ip: '203.0.113.9',
  });
  return result.leadId;
}

/** One tick at the real time. */
async function tick() {
  h.clock.set(new Date());
  return h.tick();
}

const confirmEvent = (
  method: 'GET' | 'POST',
  t: string | undefined,
  headers: Record<string, string> = {},
  body?: string,
) =>
  httpEvent({
    routeKey: `${method} /v1/confirm`,
    path: '/v1/confirm',
    query: t === undefined ? undefined : { t },
    headers,
    body,
    ip: '198.51.100.7',
  });

/** The `t` of the confirm link in a confirmation email (the same link in both bodies). */
function linkOf(mail: SentEmail): { url: string; t: string } {
  const url = /href="(https:\/\/leadflow\.example\/v1\/confirm\?t=[^"]+)"/.exec(mail.body.html ?? '')?.[1];
  if (!url) throw new Error(`no confirm link in ${mail.body.html}`);
  expect(mail.body.text).toContain(`Confirm my subscription: ${url}`);
  return { url, t: new URL(url).searchParams.get('t') ?? '' };
}

/** Every item of the harness's table, for "changed nothing" assertions. */
async function items(): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await env.db.send(new ScanCommand({ TableName: h.table, ExclusiveStartKey }));
    all.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return all;
}

async function confirmationFor(email: string): Promise<{ leadId: string; mail: SentEmail; t: string }> {
  const leadId = await signUp(email);
  await tick();
  const [mail] = await mailTo(ses, email);
  if (!mail) throw new Error(`no confirmation email to ${email}`);
  return { leadId, mail, t: linkOf(mail).t };
}

describe('a sign-up on a double opt-in form', () => {
  it('enrolls in no marketing sequence and sends the confirmation email once, with the signed confirm link', async () => {
    const email = `ada.doi.${run}@acme-industries.de`;
    const leadId = await signUp(email);
    const lead = await h.leads.load(leadId);
    expect(lead?.marketingConsent).toBeUndefined();
    expect(lead?.optIn).toMatchObject({ formId: 'newsletter-eu', status: 'pending' });
    expect(Object.keys(lead?.nurture?.enrollments ?? {})).toEqual(['confirm:newsletter-eu']);

    const first = await tick();
    expect(first.leadIds).toEqual([leadId]);
    expect(first.tallies[0]).toMatchObject({ sent: 1, failed: 0, skipped: 0 });
    const mails = await mailTo(ses, email);
    expect(mails.map((m) => m.subject)).toEqual(['Please confirm your subscription']);
    const [mail] = mails as [SentEmail];
    const { t } = linkOf(mail);
    expect(mail.body.text).toContain('Nothing is sent to you until you confirm.');
    // A confirmation is not marketing: it leaves the frequency cap alone.
    expect((await h.leads.load(leadId))?.nurture?.sent).toEqual([]);
    // One instant: the send, then the one-step enrollment's end (sorted by type, not id).
    const sent = (await h.timeline(leadId))
      .filter((a) => a.source === 'nurture')
      .sort((a, b) => a.type.localeCompare(b.type));
    expect(sent.map((a) => [a.type, a.properties?.sequenceId, a.properties?.step])).toEqual([
      ['email_sent', 'confirm:newsletter-eu', 'confirm'],
      ['sequence_completed', 'confirm:newsletter-eu', undefined],
    ]);
    expect(sent[0]?.properties).toMatchObject({
      template: 'confirm-subscription',
      messageId: mail.messageId,
    });

    // At most once: later ticks and a repeated sign-up within the hour send nothing more.
    expect((await tick()).leadIds).toEqual([]);
    await signUp(email);
    expect((await tick()).leadIds).toEqual([]);
    expect(await mailTo(ses, email)).toHaveLength(1);
    expect(t).not.toContain(leadId);
  });

  it('never sends the confirmation to a suppressed address: skipped as suppressed on the timeline', async () => {
    const email = `bounced.doi.${run}@acme-industries.de`;
    await new DynamoSuppressionStore(env.db, h.table).suppress(email, 'bounced', 'ses:bounce');
    const leadId = await signUp(email);
    await tick();
    expect(await mailTo(ses, email)).toEqual([]);
    const skipped = (await h.timeline(leadId)).find((a) => a.type === 'email_skipped');
    expect(skipped?.properties).toMatchObject({ sequenceId: 'confirm:newsletter-eu', reason: 'suppressed' });
  });
});

describe('the double opt-in form is no mail relay', () => {
  it('answers 400 when firstName carries a URL, stores nothing and sends no mail', async () => {
    const email = `relay.doi.${run}@acme-industries.de`;
    h.clock.set(new Date());
    const error = await captureSubmission(h.capture, {
      formId: 'newsletter-eu',
      body: { email, firstName: 'URGENT: verify at https://evil.example/login', consent: 'on' },
      ip: '203.0.113.10',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details).toEqual([{ path: 'firstName', message: expect.stringMatching(/web address/) }]);
    expect(await h.leads.load(leadIdFor(email))).toBeUndefined();
    await tick();
    expect(await mailTo(ses, email)).toEqual([]);
  });

  it('greets generically: the confirmation email carries nothing the sign-up typed', async () => {
    const email = `zebulon.doi.${run}@acme-industries.de`;
    h.clock.set(new Date());
    await captureSubmission(h.capture, {
      formId: 'newsletter-eu',
      body: { email, firstName: 'Zebulon', consent: 'on' },
      ip: '203.0.113.11',
    });
    await tick();
    const [mail] = await mailTo(ses, email);
    if (!mail) throw new Error('no confirmation email');
    for (const part of [mail.subject, mail.body.html, mail.body.text]) expect(part).not.toContain('Zebulon');
    expect(mail.body.text).toMatch(/^Hello,/m);
  });

  it('keeps the submitted name out of the welcome email’s subject (newsletter, single opt-in)', async () => {
    const email = `subject.${run}@acme-industries.de`;
    h.clock.set(new Date());
    await h.signUp(email); // firstName Ada
    await tick();
    expect((await mailTo(ses, email)).map((m) => m.subject)).toEqual(['Welcome to Leadflow']);
  });

  it('sends at most the per-IP hourly number of confirmations: past it, sign-ups are answered as usual but no mail goes out', async () => {
    const capped = { ...h.capture, limits: { ...h.capture.limits, confirmationsPerIpPerHour: 2 } };
    const ip = '203.0.113.77';
    const emails = [1, 2, 3, 4].map((n) => `bomb${n}.doi.${run}@acme-industries.de`);
    h.clock.set(new Date());
    const results = [];
    for (const email of emails)
      results.push(
        await captureSubmission(capped, {
          formId: 'newsletter-eu',
          body: { email, firstName: 'Ada', consent: 'on' },
          ip,
        }),
      );
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    await tick();
    const sent = await Promise.all(emails.map(async (email) => (await mailTo(ses, email)).length));
    expect(sent).toEqual([1, 1, 0, 0]);
    // The withheld ones are stored as pending sign-ups, with no confirmation on its way.
    const third = await h.leads.load(leadIdFor(emails[2] ?? ''));
    expect(third?.optIn).toMatchObject({ formId: 'newsletter-eu', status: 'pending' });
    expect(third?.nurture?.enrollments['confirm:newsletter-eu']).toBeUndefined();
    // Another IP is not held back by this one.
    const other = `other-ip.doi.${run}@acme-industries.de`;
    await captureSubmission(capped, {
      formId: 'newsletter-eu',
      body: { email: other, consent: 'on' },
      ip: '203.0.113.78',
    });
    await tick();
    expect(await mailTo(ses, other)).toHaveLength(1);
  });
});

describe('GET and POST /v1/confirm', () => {
  it('shows a page with a button on GET and changes nothing (mail scanners prefetch links)', async () => {
    const { leadId, t } = await confirmationFor(`scanner.doi.${run}@acme-industries.de`);
    const before = await items();
    const res = await invoke(confirm, confirmEvent('GET', t, { accept: 'text/html' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain(`<form method="post" action="?t=${encodeURIComponent(t)}">`);
    expect(res.body).toContain('Confirm my subscription');
    expect(res.body).not.toMatch(/<script|https?:\/\//);
    expect(await items()).toEqual(before);
    expect((await h.leads.load(leadId))?.marketingConsent).toBeUndefined();
  });

  it('grants consent on POST and starts the form’s welcome sequence; its first email follows at once; a second POST changes nothing', async () => {
    const email = `confirmed.doi.${run}@acme-industries.de`;
    const { leadId, t } = await confirmationFor(email);

    const res = await invoke(confirm, confirmEvent('POST', t, { accept: 'text/html' }));
    expect(res.status).toBe(200);
    expect(res.body).toContain('You are subscribed');
    const lead = await h.leads.load(leadId);
    expect(lead?.marketingConsent).toMatchObject({ granted: true, source: 'form:newsletter-eu' });
    expect(lead?.optIn).toMatchObject({ formId: 'newsletter-eu', status: 'confirmed' });
    expect(lead?.nurture?.enrollments['welcome-eu']).toMatchObject({ status: 'active', step: 0 });
    const confirmed = (await h.timeline(leadId)).find((a) => a.type === 'consent_confirmed');
    expect(confirmed).toMatchObject({
      formId: 'newsletter-eu',
      consent: { granted: true, doubleOptIn: true, source: 'form:newsletter-eu', ip: '198.51.100.7' },
      effect: { enrolled: ['welcome-eu'] },
    });

    // The welcome goes out on the next tick, although the cap is one marketing email a day.
    await tick();
    expect((await mailTo(ses, email)).map((m) => m.subject)).toEqual([
      'Please confirm your subscription',
      'Welcome to Leadflow',
    ]);

    const before = await items();
    const again = await invoke(confirm, confirmEvent('POST', t, { accept: 'application/json' }));
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ status: 'already_confirmed' });
    expect(await items()).toEqual(before);
    expect((await h.timeline(leadId)).filter((a) => a.type === 'consent_confirmed')).toHaveLength(1);
  });

  it('refuses an expired link with 400 (page, or confirmation_expired for JSON) and changes nothing', async () => {
    const { leadId } = await confirmationFor(`late.doi.${run}@acme-industries.de`);
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    const expired = signConfirmationToken({ leadId, formId: 'newsletter-eu' }, KEY, eightDaysAgo, 7);
    const before = await items();
    const page = await invoke(confirm, confirmEvent('POST', expired, { accept: 'text/html' }));
    expect(page.status).toBe(400);
    expect(page.body).toContain('This link has expired');
    const api = await invoke(confirm, confirmEvent('POST', expired, { accept: 'application/json' }));
    expect(api.status).toBe(400);
    expect(api.json.error).toMatchObject({ code: 'confirmation_expired', details: [] });
    expect(await items()).toEqual(before);
    expect((await h.leads.load(leadId))?.optIn?.status).toBe('pending');
  });

  it('refuses forged, tampered and unsubscribe tokens with 400 invalid_confirmation_token, changing nothing', async () => {
    const { leadId, t } = await confirmationFor(`forged.doi.${run}@acme-industries.de`);
    const before = await items();
    for (const bad of [
      signConfirmationToken({ leadId, formId: 'newsletter-eu' }, 'somebody-elses-key-123456', new Date(), 7),
      signUnsubscribeToken(leadId, KEY, new Date()),
      t.slice(0, -2),
      `${t}x`,
      undefined,
    ]) {
      const res = await invoke(confirm, confirmEvent('POST', bad, { accept: 'application/json' }));
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_confirmation_token');
      const page = await invoke(confirm, confirmEvent('GET', bad));
      expect(page.status).toBe(400);
      expect(page.body).toContain('This link is not valid');
    }
    expect(await items()).toEqual(before);
  });

  it('answers a valid link for a lead that is gone with nothing to confirm, and creates no lead', async () => {
    const ghost = leadIdFor(`ghost.doi.${run}@acme-industries.de`);
    const t = signConfirmationToken({ leadId: ghost, formId: 'newsletter-eu' }, KEY, new Date(), 7);
    const res = await invoke(confirm, confirmEvent('POST', t, { accept: 'application/json' }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'not_pending' });
    expect(await h.leads.load(ghost)).toBeUndefined();
  });

  it('never answers 5xx, whatever the query string, body and headers', async () => {
    const { t } = await confirmationFor(`fuzz.doi.${run}@acme-industries.de`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET' as const, 'POST' as const),
        fc.option(
          fc.oneof(
            fc.string(),
            fc.constant(t),
            fc.string().map((s) => t + s),
            fc.string().map((s) => s + t),
          ),
          { nil: undefined },
        ),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', ''),
        fc.constantFrom('text/html', 'application/json', '*/*', ''),
        async (method, token, body, contentType, accept) => {
          const res = await invoke(
            confirm,
            confirmEvent(method, token, { 'content-type': contentType, accept }, body),
          );
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});
