import { beforeAll, describe, expect, it } from 'vitest';
import { readForms, readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { type CaptureDeps, captureSubmission } from '../../functions/core/capture/capture';
import type { Form } from '../../functions/core/capture/form';
import { normalizeSubmission } from '../../functions/core/capture/submission';
import { confirmSubscription } from '../../functions/core/consent/confirm-subscription';
import { unsubscribe } from '../../functions/core/consent/unsubscribe';
import type { LeadState } from '../../functions/core/leads/lead';
import type { NurtureConfig } from '../../functions/core/nurture/config-schema';
import {
  CONFIRMATION_RESEND_MS,
  doubleOptInProblems,
  requestConfirmation,
} from '../../functions/core/nurture/confirmation';
import type { ActiveNurture } from '../../functions/core/nurture/enroll';
import { type NurtureSequence, sequenceFor } from '../../functions/core/nurture/sequences';
import { stepEmail } from '../../functions/core/nurture/step-email';
import { FakeCounters, FakeForms, FakeLeads, FakeLimiter, FakeModels } from '../fixtures/fakes';

/**
 * Double opt-in in the core, with the shipped forms and nurture config and in-memory ports: the
 * sign-up asks for a confirmation email instead of granting consent; the click grants it and
 * starts the form's sequence, in the same lead write.
 */
let forms: Form[];
let config: NurtureConfig;
let active: ActiveNurture;
const SIGN_UP = '2026-03-02T10:00:00.000Z';

beforeAll(async () => {
  forms = await readForms('config');
  const loaded = await readNurtureConfig('config');
  if (!loaded) throw new Error('config/settings.yaml is missing');
  config = loaded.config;
  active = { config, version: 1 };
});

function world(at = SIGN_UP) {
  let now = new Date(at);
  const leads = new FakeLeads();
  const deps: CaptureDeps = {
    leads,
    models: new FakeModels(),
    nurture: { active: async () => active },
    clock: { now: () => new Date(now) },
    forms: new FakeForms(forms),
    limiter: new FakeLimiter(),
    counters: new FakeCounters(),
    limits: { perIpPerMinute: 100, perEmailPerMinute: 100 },
  };
  return {
    leads,
    deps,
    at: (iso: string) => {
      now = new Date(iso);
    },
    signUp: async (formId: string, email = 'ada@example.de', consent: boolean | string = true) =>
      (
        await captureSubmission(deps, {
          formId,
          body: { email, firstName: 'Ada', consent },
          ip: '203.0.113.9',
        })
      ).leadId,
    lead: async (leadId: string) => (await leads.load(leadId)) as LeadState,
    timeline: (leadId: string) =>
      [...leads.activities.values()]
        .filter((a) => a.leadId === leadId)
        .sort((a, b) => a.at.localeCompare(b.at)),
  };
}

describe('a sign-up on a double opt-in form', () => {
  it('keeps the consent record, pending confirmation, on the activity', async () => {
    const form = forms.find((f) => f.id === 'newsletter-eu') as Form;
    const input = await normalizeSubmission(
      form,
      { email: 'ada@example.de', consent: 'on' },
      { at: SIGN_UP },
    );
    expect(input.consent).toEqual({
      granted: true,
      text: form.consent?.text,
      at: SIGN_UP,
      source: 'form:newsletter-eu',
      pendingConfirmation: true,
    });
  });

  it('grants no marketing consent and enrolls in no sequence, but asks for a confirmation email due now', async () => {
    const w = world();
    const leadId = await w.signUp('newsletter-eu');
    const lead = await w.lead(leadId);
    expect(lead.marketingConsent).toBeUndefined();
    expect(lead.optIn).toEqual({
      formId: 'newsletter-eu',
      text: forms.find((f) => f.id === 'newsletter-eu')?.consent?.text,
      requestedAt: SIGN_UP,
      status: 'pending',
    });
    expect(Object.keys(lead.nurture?.enrollments ?? {})).toEqual(['confirm:newsletter-eu']);
    expect(lead.nurture?.enrollments['confirm:newsletter-eu']).toEqual({
      sequenceId: 'confirm:newsletter-eu',
      number: 1,
      status: 'active',
      enrolledAt: SIGN_UP,
      step: 0,
      dueAt: SIGN_UP,
      transactional: { kind: 'confirm', formId: 'newsletter-eu', template: 'confirm-subscription' },
    });
    const [submitted] = w.timeline(leadId);
    expect(submitted?.consent).toMatchObject({ granted: true, pendingConfirmation: true });
    expect(submitted?.effect?.enrolled).toEqual(['confirm:newsletter-eu']);
  });

  it('runs the confirmation as a one-step transactional sequence with the settings template', async () => {
    const w = world();
    const lead = await w.lead(await w.signUp('newsletter-eu'));
    const enrollment = lead.nurture?.enrollments['confirm:newsletter-eu'];
    if (!enrollment) throw new Error('no confirmation enrollment');
    expect(sequenceFor(config, enrollment)).toEqual({
      id: 'confirm:newsletter-eu',
      enabled: true,
      requireConsent: false,
      transactional: true,
      steps: [
        {
          id: 'confirm',
          template: 'confirm-subscription',
          wait: { days: 0, hours: 0, minutes: 0 },
          ignoreSendWindow: true,
        },
      ],
    });
  });

  it('marks the confirmation email transactional (its own SES configuration set), and a sequence email not', async () => {
    const w = world();
    const lead = await w.lead(await w.signUp('newsletter-eu'));
    const enrollment = lead.nurture?.enrollments['confirm:newsletter-eu'];
    if (!enrollment) throw new Error('no confirmation enrollment');
    const confirm = sequenceFor(config, enrollment);
    const welcome = sequenceFor(config, { ...enrollment, sequenceId: 'welcome', transactional: undefined });
    if (!confirm || !welcome) throw new Error('no such sequence');
    const rendered = { subject: 's', html: '<p>h</p>', text: 't' };
    const email = (sequence: NurtureSequence) => {
      const step = sequence.steps[0];
      if (!step) throw new Error(`${sequence.id} has no steps`);
      return stepEmail({ lead, sequence, step, settings: config.settings, rendered, unsubscribeUrl: 'u' });
    };
    expect(email(confirm).transactional).toBe(true);
    expect(email(welcome).transactional).toBeUndefined();
  });

  it('asks a known subscriber nothing: consent stands, the form’s sequence starts at once', async () => {
    const w = world();
    const leadId = await w.signUp('newsletter');
    w.at('2026-03-03T10:00:00.000Z');
    await w.signUp('newsletter-eu');
    const lead = await w.lead(leadId);
    expect(lead.marketingConsent).toMatchObject({ granted: true, source: 'form:newsletter' });
    expect(lead.optIn).toBeUndefined();
    expect(Object.keys(lead.nurture?.enrollments ?? {}).sort()).toEqual(['welcome', 'welcome-eu']);
  });

  it('sends another confirmation for a repeated sign-up at most once an hour, never while one is on its way', () => {
    const now = new Date(SIGN_UP);
    const first = requestConfirmation(undefined, 'newsletter-eu', active, now);
    expect(first.enrolled).toBe('confirm:newsletter-eu');
    expect(
      requestConfirmation(first.nurture, 'newsletter-eu', active, new Date(now.getTime() + 7200_000))
        .enrolled,
    ).toBeUndefined();
    const sent = structuredClone(first.nurture);
    const done = sent?.enrollments['confirm:newsletter-eu'];
    if (!sent || !done) throw new Error('fixture');
    sent.enrollments['confirm:newsletter-eu'] = { ...done, status: 'completed', dueAt: undefined };
    const soon = new Date(now.getTime() + CONFIRMATION_RESEND_MS - 1);
    expect(requestConfirmation(sent, 'newsletter-eu', active, soon).enrolled).toBeUndefined();
    const later = requestConfirmation(
      sent,
      'newsletter-eu',
      active,
      new Date(now.getTime() + CONFIRMATION_RESEND_MS),
    );
    expect(later.enrolled).toBe('confirm:newsletter-eu');
    expect(later.nurture?.enrollments['confirm:newsletter-eu']).toMatchObject({
      number: 2,
      status: 'active',
    });
    expect(requestConfirmation(undefined, 'newsletter-eu', undefined, now)).toEqual({ nurture: undefined });
  });

  it('asks for at most one confirmation an hour per address, across double opt-in forms', () => {
    const now = new Date(SIGN_UP);
    const first = requestConfirmation(undefined, 'newsletter-eu', active, now);
    const sent = structuredClone(first.nurture);
    const done = sent?.enrollments['confirm:newsletter-eu'];
    if (!sent || !done) throw new Error('fixture');
    sent.enrollments['confirm:newsletter-eu'] = { ...done, status: 'completed', dueAt: undefined };
    const soon = new Date(now.getTime() + 60_000);
    expect(requestConfirmation(sent, 'events-eu', active, soon)).toEqual({ nurture: sent });
    expect(requestConfirmation(first.nurture, 'events-eu', active, soon).enrolled).toBeUndefined();
    const later = new Date(now.getTime() + CONFIRMATION_RESEND_MS);
    expect(requestConfirmation(sent, 'events-eu', active, later).enrolled).toBe('confirm:events-eu');
  });

  it('asks nothing of an ad platform’s test lead', async () => {
    const w = world();
    const form = forms.find((f) => f.id === 'newsletter-eu') as Form;
    const input = await normalizeSubmission(
      form,
      { email: 'test@example.de', consent: true },
      { at: SIGN_UP },
    );
    const { recordActivity } = await import('../../functions/core/leads/record-activity');
    await recordActivity(
      w.deps,
      {
        leadId: input.leadId,
        email: input.email,
        merge: { ...input, test: true },
        activity: {
          activityId: 'act_test',
          leadId: input.leadId,
          type: 'form_submitted',
          at: SIGN_UP,
          source: 'form:newsletter-eu',
          formId: 'newsletter-eu',
          consent: input.consent,
        },
      },
      { createIfMissing: true },
    );
    expect((await w.lead(input.leadId)).nurture?.enrollments ?? {}).toEqual({});
  });
});

describe('the click on the confirmation link', () => {
  it('grants marketing consent, confirms the opt-in and starts the form’s sequence in the same lead write', async () => {
    const w = world();
    const leadId = await w.signUp('newsletter-eu');
    const click = '2026-03-02T10:20:00.000Z';
    w.at(click);
    expect(await confirmSubscription(w.deps, { leadId, formId: 'newsletter-eu', ip: '198.51.100.7' })).toBe(
      'confirmed',
    );
    const lead = await w.lead(leadId);
    expect(lead.marketingConsent).toEqual({ granted: true, at: click, source: 'form:newsletter-eu' });
    expect(lead.optIn).toMatchObject({ status: 'confirmed', requestedAt: SIGN_UP, confirmedAt: click });
    expect(lead.nurture?.enrollments['welcome-eu']).toMatchObject({
      status: 'active',
      step: 0,
      dueAt: click,
    });
    expect(lead.nurture?.enrollments.welcome).toBeUndefined();
    const confirmed = w.timeline(leadId).find((a) => a.type === 'consent_confirmed');
    expect(confirmed).toMatchObject({
      formId: 'newsletter-eu',
      source: 'form:newsletter-eu',
      consent: {
        granted: true,
        text: forms.find((f) => f.id === 'newsletter-eu')?.consent?.text,
        at: click,
        source: 'form:newsletter-eu',
        doubleOptIn: true,
        ip: '198.51.100.7',
      },
      properties: { requestedAt: SIGN_UP },
      effect: { enrolled: ['welcome-eu'] },
    });
  });

  it('changes nothing on a second click', async () => {
    const w = world();
    const leadId = await w.signUp('newsletter-eu');
    await confirmSubscription(w.deps, { leadId, formId: 'newsletter-eu' });
    const lead = await w.lead(leadId);
    const entries = w.timeline(leadId).length;
    w.at('2026-03-03T10:00:00.000Z');
    expect(await confirmSubscription(w.deps, { leadId, formId: 'newsletter-eu' })).toBe('already_confirmed');
    expect(await w.lead(leadId)).toEqual(lead);
    expect(w.timeline(leadId)).toHaveLength(entries);
  });

  it('confirms nothing after an unsubscribe, for another form, or for a lead that is gone', async () => {
    const w = world();
    const leadId = await w.signUp('newsletter-eu');
    expect(await confirmSubscription(w.deps, { leadId, formId: 'newsletter' })).toBe('not_pending');
    const suppressed: string[] = [];
    await unsubscribe(
      {
        leads: w.leads,
        clock: w.deps.clock,
        suppressions: {
          suppress: async (email, reason, source, at = SIGN_UP) => {
            suppressed.push(email);
            return { reason, source, at };
          },
        },
      },
      leadId,
    );
    expect((await w.lead(leadId)).optIn?.status).toBe('withdrawn');
    expect((await w.lead(leadId)).nurture?.enrollments['confirm:newsletter-eu']?.exit).toBe('unsubscribed');
    expect(await confirmSubscription(w.deps, { leadId, formId: 'newsletter-eu' })).toBe('not_pending');
    expect((await w.lead(leadId)).marketingConsent).toMatchObject({ granted: false, source: 'unsubscribe' });
    expect(
      await confirmSubscription(w.deps, { leadId: 'ld_000000000000000000000000', formId: 'newsletter-eu' }),
    ).toBe('not_pending');
    expect(w.timeline(leadId).map((a) => a.type)).not.toContain('consent_confirmed');
  });
});

describe('config checks', () => {
  it('refuses a double opt-in form when the nurture config has no confirmation template', () => {
    expect(doubleOptInProblems(forms, config)).toEqual([]);
    const withoutTemplate = {
      ...config,
      templates: config.templates.filter((t) => t.id !== 'confirm-subscription'),
    };
    expect(doubleOptInProblems(forms, withoutTemplate)).toEqual([
      'form newsletter-eu: consent.doubleOptIn needs the confirmation template "confirm-subscription" (settings.doubleOptIn.template) in the nurture config',
    ]);
    expect(doubleOptInProblems(forms, undefined)).toHaveLength(1);
    expect(
      doubleOptInProblems(
        forms.filter((f) => f.id !== 'newsletter-eu'),
        undefined,
      ),
    ).toEqual([]);
  });
});
