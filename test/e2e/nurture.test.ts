import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import type { Settings } from '../../functions/core/nurture/config-schema';
import type { LocalStack } from '../../functions/local/stack';
import { api, hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import {
  entries,
  headerOf,
  mailTo,
  type SentEmail,
  skippedSteps,
  type TimelineEntry,
} from '../fixtures/nurture';
import { queuesDrained } from '../fixtures/queues';

/**
 * Nurture end to end on the local stack (`startLocalStack`, tick every second): the real form,
 * tick, email-jobs, send-email, SES emulator, local SES events and unsubscribe paths. Steps
 * that wait days are brought forward by moving the lead's due step to now (the only thing
 * the test writes itself); test/integration/nurture.test.ts runs whole sequences on a fake clock.
 */
let stack: LocalStack;
let settings: Settings;
let leads: DynamoLeadStore;
let http: ReturnType<typeof api>;
const run = Date.now().toString(36);
const WAIT_MS = 10_000;

beforeAll(async () => {
  const shipped = await readNurtureConfig(resolve('config'));
  if (!shipped) throw new Error('config/settings.yaml is missing');
  settings = shipped.config.settings;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  stack = await startTestStack({ tickSeconds: 1 });
  http = api(stack);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  leads = new DynamoLeadStore(db, stack.tableName);
});
afterAll(async () => stack?.stop());

async function signUp(email: string, consent: boolean): Promise<string> {
  const res = await http.submit('newsletter', { email, firstName: 'Ada', consent });
  expect(res.status).toBe(202);
  return res.json.leadId;
}

async function timeline(leadId: string): Promise<TimelineEntry[]> {
  return (await leadView(leadId)).timeline;
}

async function leadView(leadId: string): Promise<Json> {
  const res = await http.get(`/v1/admin/leads/${leadId}`, stack.tokens.marketing);
  expect(res.status).toBe(200);
  return res.json;
}

/** Waits until the lead's timeline has an entry of this type matching `where`. */
function timelineEntry(leadId: string, type: string, where: (e: TimelineEntry) => boolean = () => true) {
  return waitFor(
    `${type} on ${leadId}`,
    async () => (await timeline(leadId)).find((e) => e.type === type && where(e)),
    WAIT_MS,
  );
}

function welcomeMail(to: string): Promise<SentEmail> {
  return waitFor(
    `the welcome email to ${to}`,
    async () => (await mailTo(stack.endpoints.ses, to))[0],
    WAIT_MS,
  );
}

let witnesses = 0;

/**
 * A tick round has run since this call, and every email job queued so far has been handled: the
 * stack's own progress, not a guess at how long two ticks take. A fresh consenting sign-up (the
 * witness) gets its welcome email only from a tick round that queried due steps after it signed
 * up, so that round saw every step due before; the email-jobs queue is then drained. A "nothing
 * more went out" check after it cannot pass just because no tick ran yet.
 */
async function tickRoundPassed(): Promise<void> {
  witnesses += 1;
  const witness = `witness.${witnesses}.${run}@acme-industries.de`;
  await signUp(witness, true);
  await welcomeMail(witness);
  await queuesDrained(stack, ['email-jobs'], WAIT_MS);
}

/** Time travel: the lead's pending step is due now, as if its days of waiting had passed. */
async function bringDueStepForward(leadId: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const lead = await leads.load(leadId);
    const enrollment = lead?.nurture?.enrollments.welcome;
    if (!lead?.nurture || !enrollment?.dueAt) throw new Error('no step is scheduled');
    const now = new Date().toISOString();
    const moved = {
      ...lead.nurture.enrollments,
      welcome: { ...enrollment, dueAt: now, waitFrom: undefined },
    };
    const next = { ...lead, version: lead.version + 1, nurture: { ...lead.nurture, enrollments: moved } };
    if (await leads.replace(next, lead.version)) return;
  }
  throw new Error('the lead kept changing');
}

describe('nurture on the local stack', () => {
  it('sends the welcome email with one-click unsubscribe headers, and the unsubscribe ends the sequence', async () => {
    const email = `ada.${run}@acme-industries.de`;
    const leadId = await signUp(email, true);

    // Prepare: the welcome email is in the SES store, as sent by the settings' sender.
    const mail = await welcomeMail(email);
    expect(mail.from).toBe(`${settings.sender.name} <${settings.sender.email}>`);
    expect(mail.subject).toBe('Welcome to Leadflow');
    const listUnsubscribe = headerOf(mail, 'List-Unsubscribe') ?? '';
    const link = /^<(http:\/\/localhost:\d+\/v1\/unsubscribe\?t=[A-Za-z0-9._%-]+)>$/.exec(
      listUnsubscribe,
    )?.[1];
    expect(link, `List-Unsubscribe: ${listUnsubscribe}`).toBeDefined();
    expect(link?.startsWith(stack.apiUrl)).toBe(true);
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.body.html).toContain(`href="${link}"`);
    expect(mail.body.html).toContain(settings.postalAddress);
    expect(mail.body.text).toContain(`Unsubscribe at any time: ${link}`);
    expect(mail.body.text).toContain(settings.postalAddress);

    // The timeline shows the send with SES's message id, then the (local) SES delivery event.
    const sent = await timelineEntry(leadId, 'email_sent');
    expect(sent.properties).toMatchObject({
      sequenceId: 'welcome',
      step: 'welcome',
      template: 'welcome',
      messageId: mail.messageId,
    });
    const delivered = await timelineEntry(leadId, 'email_delivered');
    expect(delivered).toMatchObject({ source: 'ses', properties: { messageId: mail.messageId } });

    // Act: RFC 8058 one-click unsubscribe, exactly as a mailbox provider posts it.
    const res = await fetch(link ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);

    // Assess: the remaining steps are skipped as unsubscribed within a few ticks; nothing else goes out.
    const exited = await timelineEntry(leadId, 'sequence_exited');
    expect(exited.properties).toMatchObject({ sequenceId: 'welcome', reason: 'unsubscribed', skipped: 2 });
    const view = await leadView(leadId);
    expect(skippedSteps(view.timeline)).toEqual([
      { step: 'getting-started', reason: 'unsubscribed' },
      { step: 'case-study', reason: 'unsubscribed' },
    ]);
    expect(view.suppressed).toMatchObject({ reason: 'unsubscribed' });
    expect(view.enrollments).toMatchObject([
      { sequenceId: 'welcome', status: 'exited', step: 1, dueAt: null, reason: 'unsubscribed' },
    ]);
    expect(view.marketingConsent).toMatchObject({ granted: false, source: 'unsubscribe' });
    expect(entries(view.timeline, 'unsubscribed')).toHaveLength(1);
    await tickRoundPassed();
    expect(await mailTo(stack.endpoints.ses, email)).toHaveLength(1);
    expect(entries(await timeline(leadId), 'email_sent')).toHaveLength(1);
  });

  it('neither enrolls nor emails a sign-up without consent', async () => {
    const email = `no.consent.${run}@acme-industries.de`;
    const leadId = await signUp(email, false);
    await tickRoundPassed();

    expect(await mailTo(stack.endpoints.ses, email)).toEqual([]);
    const lead = await leads.load(leadId);
    expect(lead?.marketingConsent?.granted).not.toBe(true);
    expect(lead?.nurture?.enrollments ?? {}).toEqual({});
    const view = await leadView(leadId);
    expect(view.enrollments).toEqual([]);
    expect(view.timeline.map((e: TimelineEntry) => e.type)).toEqual(['form_submitted']);
    expect(view.timeline[0].effect?.enrolled).toBeUndefined();
  });

  it('suppresses a bounced address from the local SES event, and skips its later steps as suppressed', async () => {
    const email = `bounce+${run}@simulator.amazonses.com`;
    const leadId = await signUp(email, true);
    const mail = await welcomeMail(email);
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    // The mailbox simulator bounces it: the local SES event suppresses the address.
    const suppressed = await waitFor(
      'the bounce suppression',
      async () => (await leadView(leadId)).suppressed ?? undefined,
      WAIT_MS,
    );
    expect(suppressed.reason).toBe('bounced');
    const view = await leadView(leadId);
    expect(entries(view.timeline, 'email_sent')).toHaveLength(1);
    expect(entries(view.timeline, 'email_delivered')).toEqual([]);

    // Two days later, the next step is due: it is skipped as suppressed, and so is the rest.
    await bringDueStepForward(leadId);
    const exited = await timelineEntry(leadId, 'sequence_exited');
    expect(exited.properties).toMatchObject({ reason: 'suppressed', skipped: 2 });
    expect(skippedSteps(await timeline(leadId))).toEqual([
      { step: 'getting-started', reason: 'suppressed' },
      { step: 'case-study', reason: 'suppressed' },
    ]);
    await tickRoundPassed();
    expect(await mailTo(stack.endpoints.ses, email)).toHaveLength(1);
  });

  it('records the delivery, then suppresses the address on the complaint (complaint@ of the mailbox simulator)', async () => {
    const email = `complaint+${run}@simulator.amazonses.com`;
    const leadId = await signUp(email, true);
    const mail = await welcomeMail(email);
    const suppressed = await waitFor(
      'the complaint suppression',
      async () => (await leadView(leadId)).suppressed ?? undefined,
      WAIT_MS,
    );
    expect(suppressed.reason).toBe('complained');
    const delivered = entries((await leadView(leadId)).timeline, 'email_delivered');
    expect(delivered.map((e) => e.properties?.messageId)).toEqual([mail.messageId]);
  });

  it('ends the sequence with a hand-off when a demo request makes the subscriber hot', async () => {
    const email = `vera.price.${run}@initech.de`;
    const leadId = await signUp(email, true);
    await welcomeMail(email);
    await timelineEntry(leadId, 'email_sent');

    const res = await http.submit('demo-request', hotDemoRequest(email));
    expect(res.status).toBe(202);
    expect(res.json.leadId).toBe(leadId);

    const exited = await timelineEntry(leadId, 'sequence_exited');
    expect(exited.properties).toMatchObject({ sequenceId: 'welcome', reason: 'handoff', skipped: 2 });
    const view = await leadView(leadId);
    expect(view.ownedBySales).toBe(true);
    expect(view.enrollments).toMatchObject([{ sequenceId: 'welcome', status: 'exited', reason: 'handoff' }]);
    expect(skippedSteps(view.timeline)).toEqual([
      { step: 'getting-started', reason: 'exited' },
      { step: 'case-study', reason: 'exited' },
    ]);
    expect(entries(view.timeline, 'email_skipped').map((e) => e.properties?.exit)).toEqual([
      'handoff',
      'handoff',
    ]);
    await tickRoundPassed();
    expect(await mailTo(stack.endpoints.ses, email)).toHaveLength(1);
  });
});

describe('double opt-in on the local stack', () => {
  it('sends the confirmation email on sign-up, and the welcome email only after the link is clicked', async () => {
    const email = `ada.doi.${run}@acme-industries.de`;
    const res = await http.submit('newsletter-eu', { email, firstName: 'Ada', consent: true });
    expect(res.status).toBe(202);
    const leadId: string = res.json.leadId;

    // The confirmation email arrives in the SES store, with the signed link to this server.
    const confirmation = await waitFor(
      `the confirmation email to ${email}`,
      async () => (await mailTo(stack.endpoints.ses, email))[0],
      WAIT_MS,
    );
    expect(confirmation.subject).toBe('Please confirm your subscription');
    const link = /href="(http:\/\/localhost:\d+\/v1\/confirm\?t=[A-Za-z0-9._%-]+)"/.exec(
      confirmation.body.html ?? '',
    )?.[1];
    expect(link, confirmation.body.html).toBeDefined();
    expect(link?.startsWith(stack.apiUrl)).toBe(true);
    const pending = await leadView(leadId);
    expect(pending.marketingConsent).toBe(null);
    expect(pending.optIn).toMatchObject({ formId: 'newsletter-eu', status: 'pending' });

    // Nothing else goes out while the sign-up is unconfirmed; opening the link changes nothing.
    await tickRoundPassed();
    expect(await mailTo(stack.endpoints.ses, email)).toHaveLength(1);
    const page = await fetch(link ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Confirm my subscription');
    expect((await leadView(leadId)).optIn.status).toBe('pending');

    // The page's button: a form POST to the same link.
    const confirmed = await fetch(link ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are subscribed');

    // The welcome series for the form starts: its first email arrives within a tick or two.
    const welcome = await waitFor(
      `the welcome email to ${email}`,
      async () => (await mailTo(stack.endpoints.ses, email))[1],
      WAIT_MS,
    );
    expect(welcome.subject).toBe('Welcome to Leadflow');
    const sent = await timelineEntry(leadId, 'email_sent', (e) => e.properties?.sequenceId === 'welcome-eu');
    expect(sent.properties).toMatchObject({ step: 'welcome', messageId: welcome.messageId });
    const view = await leadView(leadId);
    expect(view.marketingConsent).toMatchObject({ granted: true, source: 'form:newsletter-eu' });
    expect(view.optIn).toMatchObject({ status: 'confirmed' });
    expect(view.consent[0]).toMatchObject({ granted: true, doubleOptIn: true, source: 'form:newsletter-eu' });
    expect(entries(view.timeline, 'consent_confirmed')).toHaveLength(1);

    // A second click: nothing new.
    const again = await fetch(link ?? '', { method: 'POST', headers: { accept: 'application/json' } });
    expect(await again.json()).toEqual({ status: 'already_confirmed' });
    await tickRoundPassed();
    expect(entries((await leadView(leadId)).timeline, 'consent_confirmed')).toHaveLength(1);
    expect(await mailTo(stack.endpoints.ses, email)).toHaveLength(2);
  });
});
