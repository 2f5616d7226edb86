import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../functions/core/leads/lead';
import { toLeadView } from '../../functions/core/leads/lead-view';
import { recordActivity } from '../../functions/core/leads/record-activity';
import { type Mailer, MailerError } from '../../functions/core/nurture/mailer';
import { processDueSteps } from '../../functions/core/nurture/send-step';
import { sesEventsEmulator } from '../../functions/local/ses-events-emulator';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { waitFor } from '../fixtures/local-api';
import { headerOf, mailTo, type NurtureHarness, nurtureHarness, STEP_ORDER } from '../fixtures/nurture';

/**
 * Nurture over the real emulators (DynamoDB, SQS, SES) with a clock the test moves: tick's
 * nurture part (queueDueSteps) and send-email's core (processDueSteps) wired as on AWS, so a
 * sequence runs its days in milliseconds. Emails are read back from the SES emulator's store.
 * The shipped settings: Mon–Fri 09:00–17:00 America/New_York, at most 1 email a day, 3 a week.
 */
let env: EmulatorEnv;
let ses: string;
const run = Date.now().toString(36);
const KEY = 'unsubscribe-key-for-nurture-tests';

beforeAll(async () => {
  env = await emulatorEnv({ LEADFLOW_UNSUBSCRIBE_KEY: KEY, LEADFLOW_PUBLIC_URL: 'https://leadflow.example' });
  ses = process.env.AWS_ENDPOINT_URL_SESV2 ?? '';
});
afterAll(async () => env?.stop());

/** Entries of one instant in the order they were written: a step's outcome, then the sequence's end. */
const rank = (a: Activity) =>
  (a.type.startsWith('sequence_') ? 100 : 0) + STEP_ORDER.indexOf(String(a.properties?.step));

/** The lead's nurture entries, oldest first, as `type step reason` lines with their times. */
async function nurtureLog(h: NurtureHarness, leadId: string) {
  return (await h.timeline(leadId))
    .filter((a) => a.source === 'nurture')
    .sort((a, b) => a.at.localeCompare(b.at) || rank(a) - rank(b))
    .map((a) => {
      const p = a.properties ?? {};
      return {
        at: a.at,
        entry: [a.type, p.step, p.reason ?? p.error].filter((x) => x !== undefined).join(' '),
        ...(p.until ? { until: p.until } : {}),
      };
    });
}

const subjects = async (to: string) => (await mailTo(ses, to)).map((m) => m.subject);

describe('the welcome sequence over days (fake clock)', () => {
  it('sends the welcome at once, moves a step due at night or on a weekend to the window’s opening, and completes', async () => {
    const h = await nurtureHarness(env, 'nurture-days');
    const to = `ada.days.${run}@acme-industries.de`;
    // Thursday 9 January 2025, 03:00 in New York: outside the window, but the welcome ignores it.
    const signUp = '2025-01-09T08:00:00.000Z';
    h.clock.set(signUp);
    const leadId = await h.signUp(to);

    expect((await h.tick()).leadIds).toEqual([leadId]);
    expect(await subjects(to)).toEqual(['Welcome to Leadflow']);
    // The next step waits 2 days from the send: Saturday 03:00 in New York.
    expect(await h.enrollment(leadId)).toMatchObject({ step: 1, dueAt: '2025-01-11T08:00:00.000Z' });

    h.clock.set('2025-01-11T07:59:59.000Z');
    expect((await h.tick()).leadIds).toEqual([]);
    h.clock.set('2025-01-11T08:00:00.000Z');
    await h.tick();
    // Saturday: moved to Monday 09:00 in New York (14:00 UTC in winter), not sent.
    expect(await h.enrollment(leadId)).toMatchObject({ step: 1, dueAt: '2025-01-13T14:00:00.000Z' });
    expect(await subjects(to)).toHaveLength(1);

    h.clock.set('2025-01-13T13:59:00.000Z');
    expect((await h.tick()).leadIds).toEqual([]);
    h.clock.set('2025-01-13T14:00:00.000Z');
    await h.tick();
    // Sent at the opening; the case study waits 5 days: Saturday 18 January 09:00, moved to Monday 20th.
    expect(await h.enrollment(leadId)).toMatchObject({ step: 2, dueAt: '2025-01-18T14:00:00.000Z' });
    h.clock.set('2025-01-18T14:00:00.000Z');
    await h.tick();
    h.clock.set('2025-01-20T14:00:00.000Z');
    await h.tick();

    expect(await nurtureLog(h, leadId)).toEqual([
      { at: signUp, entry: 'email_sent welcome' },
      {
        at: '2025-01-11T08:00:00.000Z',
        entry: 'email_rescheduled getting-started send_window',
        until: '2025-01-13T14:00:00.000Z',
      },
      { at: '2025-01-13T14:00:00.000Z', entry: 'email_sent getting-started' },
      {
        at: '2025-01-18T14:00:00.000Z',
        entry: 'email_rescheduled case-study send_window',
        until: '2025-01-20T14:00:00.000Z',
      },
      { at: '2025-01-20T14:00:00.000Z', entry: 'email_sent case-study' },
      { at: '2025-01-20T14:00:00.000Z', entry: 'sequence_completed' },
    ]);
    expect(await subjects(to)).toEqual([
      'Welcome to Leadflow',
      'Your first lead in 10 minutes, Ada',
      'How a 12-person SaaS team stopped losing leads between marketing and sales',
    ]);
    const mails = await mailTo(ses, to);
    const sent = (await h.timeline(leadId)).filter((a) => a.type === 'email_sent');
    expect(sent.map((a) => a.properties?.messageId)).toEqual(mails.map((m) => m.messageId));
    expect(await h.enrollment(leadId)).toMatchObject({
      status: 'completed',
      endedAt: '2025-01-20T14:00:00.000Z',
    });
    expect((await h.enrollment(leadId))?.dueAt).toBeUndefined();

    // Completed: nothing is due any more, whenever tick runs.
    h.clock.set('2025-03-01T14:00:00.000Z');
    expect((await h.tick()).queued.queued).toBe(0);
  });

  it('holds a second sequence’s email for the frequency cap (1 a day) and sends it the next day', async () => {
    // The shipped config plus a product-tips sequence on the same sign-up, its one email an hour later.
    const h = await nurtureHarness(env, 'nurture-cap', {
      nurture: (config) => ({
        ...config,
        sequences: [
          ...config.sequences,
          {
            id: 'product-tips',
            name: 'Product tips',
            enabled: true,
            trigger: { on: 'form_submitted', formId: 'newsletter' },
            entry: { requireConsent: true, reentry: 'never' },
            steps: [
              {
                id: 'tips',
                template: 'getting-started',
                wait: { days: 0, hours: 1, minutes: 0 },
                ignoreSendWindow: false,
              },
            ],
            exit: { onHandoff: true, stages: [], activities: [] },
          },
        ],
      }),
    });
    const to = `ada.cap.${run}@acme-industries.de`;
    // Tuesday 14 January 2025, 10:00 in New York.
    h.clock.set('2025-01-14T15:00:00.000Z');
    const leadId = await h.signUp(to);
    await h.tick();
    h.clock.set('2025-01-14T16:00:00.000Z');
    await h.tick();
    expect(await h.enrollment(leadId, 'product-tips')).toMatchObject({
      step: 0,
      dueAt: '2025-01-15T15:00:00.000Z',
    });
    expect(await subjects(to)).toEqual(['Welcome to Leadflow']);
    h.clock.set('2025-01-15T15:00:00.000Z');
    await h.tick();

    expect(await nurtureLog(h, leadId)).toEqual([
      { at: '2025-01-14T15:00:00.000Z', entry: 'email_sent welcome' },
      {
        at: '2025-01-14T16:00:00.000Z',
        entry: 'email_rescheduled tips frequency_cap',
        until: '2025-01-15T15:00:00.000Z',
      },
      { at: '2025-01-15T15:00:00.000Z', entry: 'email_sent tips' },
      { at: '2025-01-15T15:00:00.000Z', entry: 'sequence_completed' },
    ]);
    expect(await subjects(to)).toEqual(['Welcome to Leadflow', 'Your first lead in 10 minutes, Ada']);
    // The welcome's next step is due 2 days after its send, exactly when the cap lets one more through.
    expect(await h.enrollment(leadId)).toMatchObject({ step: 1, dueAt: '2025-01-16T15:00:00.000Z' });
    h.clock.set('2025-01-16T15:00:00.000Z');
    await h.tick();
    expect(await subjects(to)).toHaveLength(3);
  });
});

describe('suppression from SES events', () => {
  it('suppresses a bounced address (local SES event) and skips its later steps as suppressed, never sending them', async () => {
    // The ses-events handler writes to the env's table: this harness uses that table.
    const h = await nurtureHarness(env, TABLE);
    const { handler } = await import('../../functions/handlers/ses-events');
    const events = sesEventsEmulator(ses, (event) => handler(event));
    await events.poll(); // whatever earlier tests sent is published now, not mixed into the counts below
    const to = `bounce+${run}@simulator.amazonses.com`;
    // Monday 6 January 2025, 10:00 in New York.
    h.clock.set('2025-01-06T15:00:00.000Z');
    const leadId = await h.signUp(to);
    await h.tick();
    const [welcome] = await mailTo(ses, to);
    expect(headerOf(welcome ?? ({} as never), 'List-Unsubscribe')).toMatch(
      /^<https:\/\/leadflow\.example\/v1\/unsubscribe\?t=[^>]+>$/,
    );

    expect(await events.poll()).toBe(1);
    expect(await h.send.suppressions.lookup(to)).toMatchObject({ reason: 'bounced' });

    // Wednesday, in the window: the next step is due, and the address is suppressed.
    h.clock.set('2025-01-08T15:00:00.000Z');
    expect((await h.tick()).tallies).toEqual([
      { sent: 0, skipped: 2, failed: 0, rescheduled: 0, throttled: 0, ended: 1 },
    ]);
    expect(await nurtureLog(h, leadId)).toEqual([
      { at: '2025-01-06T15:00:00.000Z', entry: 'email_sent welcome' },
      { at: '2025-01-08T15:00:00.000Z', entry: 'email_skipped getting-started suppressed' },
      { at: '2025-01-08T15:00:00.000Z', entry: 'email_skipped case-study suppressed' },
      { at: '2025-01-08T15:00:00.000Z', entry: 'sequence_exited suppressed' },
    ]);
    expect(await mailTo(ses, to)).toHaveLength(1);
    expect(await events.poll()).toBe(0);
  });
});

/** A mailer that sends through the SES emulator, then never answers: the invocation dies mid-send. */
function dyingAfterSend(real: Mailer, sent: string[]): Mailer {
  return {
    async send(email) {
      const result = await real.send(email);
      sent.push(result.messageId);
      return new Promise(() => {});
    },
  };
}

describe('at most once, and every step ends (faults injected)', () => {
  it('a send-email that dies after SES took the message: the rerun sends nothing and ends the step failed (outcome_unknown)', async () => {
    const h = await nurtureHarness(env, 'nurture-crash-send');
    const to = `ada.crash.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    expect((await h.queue()).queued).toBe(1);
    const [job] = await h.takeJobs();
    const sent: string[] = [];
    // The job's run is abandoned mid-call (a Lambda timeout): its promise never settles.
    void processDueSteps({ ...h.send, mailer: dyingAfterSend(h.sesMailer, sent) }, job ?? '');
    await waitFor('the email in the SES store', async () => (sent.length > 0 ? sent : undefined));

    // The claim keeps the lead from tick until a send-email run must have ended.
    h.clock.set('2025-01-07T15:01:00.000Z');
    expect((await h.tick()).leadIds).toEqual([]);
    h.clock.set('2025-01-07T15:05:00.000Z');
    expect((await h.tick()).leadIds).toEqual([leadId]);

    expect(await mailTo(ses, to)).toHaveLength(1);
    const log = await nurtureLog(h, leadId);
    expect(log).toEqual([{ at: '2025-01-07T15:05:00.000Z', entry: 'email_failed welcome outcome_unknown' }]);
    // The step ended; the sequence goes on (the next step 2 days after the failure).
    expect(await h.enrollment(leadId)).toMatchObject({ step: 1, dueAt: '2025-01-09T15:05:00.000Z' });
    expect((await h.enrollment(leadId))?.sending).toBeUndefined();
  });

  it('a crash after email_sent was stored but before the lead write: the rerun ends the step sent, one email', async () => {
    const h = await nurtureHarness(env, 'nurture-crash-write');
    const to = `ada.crash2.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    await h.queue();
    const [job] = await h.takeJobs();
    let crashed = false;
    const leads = Object.create(h.leads) as typeof h.leads;
    let sentStored = false;
    leads.putActivity = async (activity) => {
      const stored = await h.leads.putActivity(activity);
      if (activity.type === 'email_sent') sentStored = true;
      return stored;
    };
    leads.replace = async (lead, version) => {
      if (sentStored && !crashed) {
        crashed = true;
        throw new Error('the process died');
      }
      return h.leads.replace(lead, version);
    };
    await expect(processDueSteps({ ...h.send, leads }, job ?? '')).rejects.toThrow('the process died');
    expect(await h.enrollment(leadId)).toMatchObject({ step: 0, sending: { step: 0 } });

    h.clock.set('2025-01-07T15:05:00.000Z');
    expect((await h.tick()).leadIds).toEqual([leadId]);
    const mails = await mailTo(ses, to);
    expect(mails).toHaveLength(1);
    const timeline = await h.timeline(leadId);
    expect(timeline.filter((a) => a.type.startsWith('email_')).map((a) => a.type)).toEqual(['email_sent']);
    expect(timeline.find((a) => a.type === 'email_sent')?.properties?.messageId).toBe(mails[0]?.messageId);
    expect(await h.enrollment(leadId)).toMatchObject({ step: 1, dueAt: '2025-01-09T15:05:00.000Z' });
  });

  it('a mailer that fails after SES took the message ends the step failed with its error, and never sends it again', async () => {
    const h = await nurtureHarness(env, 'nurture-lost-answer');
    const to = `ada.lost.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    const lostAnswer: Mailer = {
      async send(email) {
        await h.sesMailer.send(email);
        throw new MailerError('unknown', 'TimeoutError', 'socket hang up');
      },
    };
    expect((await h.tick({ ...h.send, mailer: lostAnswer })).tallies).toMatchObject([{ sent: 0, failed: 1 }]);
    h.clock.set('2025-01-07T15:10:00.000Z');
    await h.tick();
    expect(await mailTo(ses, to)).toHaveLength(1);
    expect(await nurtureLog(h, leadId)).toEqual([
      { at: '2025-01-07T15:00:00.000Z', entry: 'email_failed welcome TimeoutError' },
    ]);
  });

  it('the goal reached while a step is being sent ends the sequence: the exit is not lost', async () => {
    const h = await nurtureHarness(env, 'nurture-goal-in-flight');
    const to = `ada.goal.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    // While SES takes the welcome, the lead starts a trial: the sequence's goal.
    const trialDuringSend: Mailer = {
      async send(email) {
        const sent = await h.sesMailer.send(email);
        await recordActivity(
          h.capture,
          {
            leadId,
            email: to,
            activity: {
              activityId: `act_trial_${run}`,
              leadId,
              type: 'trial_started',
              at: h.clock.now().toISOString(),
              source: 'api:test',
            },
          },
          { createIfMissing: false },
        );
        return sent;
      },
    };
    await h.tick({ ...h.send, mailer: trialDuringSend });
    // The exit survives the step's settlement; the same job then records it (not after the 2-day wait).
    expect(await h.enrollment(leadId)).toMatchObject({ status: 'exited', reason: 'goal_met', step: 1 });
    expect(await nurtureLog(h, leadId)).toEqual([
      { at: '2025-01-07T15:00:00.000Z', entry: 'email_sent welcome' },
      { at: '2025-01-07T15:00:00.000Z', entry: 'email_skipped getting-started exited' },
      { at: '2025-01-07T15:00:00.000Z', entry: 'email_skipped case-study exited' },
      { at: '2025-01-07T15:00:00.000Z', entry: 'sequence_exited goal_met' },
    ]);
    expect(await mailTo(ses, to)).toHaveLength(1);
  });

  it('a decision that loses its write to a concurrent activity leaves no entry on the timeline', async () => {
    // One sequence whose step goes only to webinar attendees; the webinar lands just as the skip is written.
    const h = await nurtureHarness(env, 'nurture-race', {
      nurture: (config) => ({
        ...config,
        sequences: [
          {
            id: 'webinar-recording',
            name: 'Webinar recording',
            enabled: true,
            trigger: { on: 'form_submitted', formId: 'newsletter' },
            entry: { requireConsent: true, reentry: 'never' },
            steps: [
              {
                id: 'recording',
                template: 'getting-started',
                wait: { days: 0, hours: 0, minutes: 0 },
                ignoreSendWindow: true,
                when: { activity: 'webinar_attended', happened: true },
              },
            ],
            exit: { onHandoff: true, stages: [], activities: [] },
          },
        ],
      }),
    });
    const to = `ada.race.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    let raced = false;
    const racing: typeof h.send = {
      ...h.send,
      leads: {
        load: (id) => h.leads.load(id),
        putActivity: (activity) => h.leads.putActivity(activity),
        hasActivity: (id, activityId) => h.leads.hasActivity(id, activityId),
        async replace(lead, version) {
          // The write of the decision on the step (skipped: the lead has not attended yet).
          if (!raced && lead.nurture?.enrollments['webinar-recording']?.status === 'completed') {
            raced = true;
            await recordActivity(
              h.capture,
              {
                leadId,
                email: to,
                activity: {
                  activityId: `act_webinar_${run}`,
                  leadId,
                  type: 'webinar_attended',
                  at: h.clock.now().toISOString(),
                  source: 'api:test',
                },
              },
              { createIfMissing: false },
            );
          }
          return h.leads.replace(lead, version);
        },
      },
    };
    await processDueSteps(racing, leadId);
    expect(raced).toBe(true);
    const log = (await h.timeline(leadId)).filter((a) => a.source === 'nurture').map((a) => a.type);
    expect(log).toEqual(expect.arrayContaining(['email_sent', 'sequence_completed']));
    expect(log).not.toContain('email_skipped');
    expect(await mailTo(ses, to)).toHaveLength(1);
  });

  it('a run that dies after writing a decision but before storing its entries: the lead view shows them, the next run stores them', async () => {
    const h = await nurtureHarness(env, 'nurture-outbox');
    const to = `ada.outbox.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    await h.tick();
    // Two days later the step is due on a Thursday night: the reschedule is written, then the run dies.
    h.clock.set('2025-01-10T03:00:00.000Z');
    const dying: typeof h.send = {
      ...h.send,
      leads: {
        load: (id) => h.leads.load(id),
        replace: (lead, version) => h.leads.replace(lead, version),
        hasActivity: (id, activityId) => h.leads.hasActivity(id, activityId),
        async putActivity() {
          throw new Error('killed');
        },
      },
    };
    await h.queue();
    await h.takeJobs();
    await expect(processDueSteps(dying, leadId)).rejects.toThrow('killed');
    const found = await h.leads.find(leadId);
    expect(found?.activities.some((a) => a.type === 'email_rescheduled')).toBe(false);
    if (!found) throw new Error('the lead is gone');
    const view = toLeadView(found.lead, found.activities);
    expect(view.timeline.map((e) => e.type)).toContain('email_rescheduled');
    await processDueSteps(h.send, leadId);
    expect((await h.timeline(leadId)).map((a) => a.type)).toContain('email_rescheduled');
  });

  it('sends nothing to a lead whose erase has begun', async () => {
    const h = await nurtureHarness(env, 'nurture-erasing');
    const to = `ada.erasing.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    const lead = await h.leads.load(leadId);
    if (!lead) throw new Error('no lead');
    expect(
      await h.leads.replace(
        { ...lead, erasing: h.clock.now().toISOString(), version: lead.version + 1 },
        lead.version,
      ),
    ).toBe(true);
    expect((await h.tick()).tallies).toEqual([
      { sent: 0, skipped: 0, failed: 0, rescheduled: 0, throttled: 0, ended: 0 },
    ]);
    expect(await mailTo(ses, to)).toEqual([]);
  });

  it('a second job for the lead while its email is in flight leaves the claim to the sender', async () => {
    const h = await nurtureHarness(env, 'nurture-in-flight');
    const to = `ada.flight.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    await h.queue();
    expect(await h.takeJobs()).toEqual([leadId]);
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Mailer = {
      async send(email) {
        const result = await h.sesMailer.send(email);
        await answered;
        return result;
      },
    };
    const first = processDueSteps({ ...h.send, mailer: slow }, leadId);
    await waitFor('the email in the SES store', async () =>
      (await mailTo(ses, to)).length ? true : undefined,
    );
    // Meanwhile: a tick, and a duplicate job (SQS delivers at least once).
    h.clock.set('2025-01-07T15:00:30.000Z');
    expect((await h.tick()).leadIds).toEqual([]);
    expect(await processDueSteps(h.send, leadId)).toMatchObject({ sent: 0, failed: 0 });
    release();
    expect(await first).toMatchObject({ sent: 1 });
    expect(await nurtureLog(h, leadId)).toEqual([
      { at: '2025-01-07T15:00:00.000Z', entry: 'email_sent welcome' },
    ]);
    expect(await mailTo(ses, to)).toHaveLength(1);
  });

  it('SES throttling twice: the step is rescheduled with backoff, then sent once', async () => {
    const h = await nurtureHarness(env, 'nurture-throttled');
    const to = `ada.throttled.${run}@acme-industries.de`;
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadId = await h.signUp(to);
    let refusals = 0;
    const throttled: Mailer = {
      async send(email) {
        if (refusals < 2) {
          refusals += 1;
          throw new MailerError('throttled', 'TooManyRequestsException', 'Maximum sending rate exceeded');
        }
        return h.sesMailer.send(email);
      },
    };
    const deps = { ...h.send, mailer: throttled };
    expect((await h.tick(deps)).tallies).toMatchObject([{ sent: 0, throttled: 1 }]);
    const first = await h.enrollment(leadId);
    expect(first).toMatchObject({ step: 0, attempts: 1, dueAt: '2025-01-07T15:00:30.000Z' });
    expect(first?.sending).toBeUndefined();
    // Not taken off the cap: the refused send does not count against it.
    expect((await h.leads.load(leadId))?.nurture?.sent).toEqual([]);

    h.clock.set('2025-01-07T15:00:30.000Z');
    expect((await h.tick(deps)).tallies).toMatchObject([{ sent: 0, throttled: 1 }]);
    expect(await h.enrollment(leadId)).toMatchObject({
      step: 0,
      attempts: 2,
      dueAt: '2025-01-07T15:01:30.000Z',
    });
    h.clock.set('2025-01-07T15:01:30.000Z');
    expect((await h.tick(deps)).tallies).toMatchObject([{ sent: 1, throttled: 0 }]);

    expect(await mailTo(ses, to)).toHaveLength(1);
    expect(await nurtureLog(h, leadId)).toEqual([
      {
        at: '2025-01-07T15:00:00.000Z',
        entry: 'email_rescheduled welcome throttled',
        until: '2025-01-07T15:00:30.000Z',
      },
      {
        at: '2025-01-07T15:00:30.000Z',
        entry: 'email_rescheduled welcome throttled',
        until: '2025-01-07T15:01:30.000Z',
      },
      { at: '2025-01-07T15:01:30.000Z', entry: 'email_sent welcome' },
    ]);
    const after = await h.enrollment(leadId);
    expect(after).toMatchObject({ step: 1 });
    expect(after?.attempts).toBeUndefined();
    expect((await h.leads.load(leadId))?.nurture?.sent).toEqual(['2025-01-07T15:01:30.000Z']);
  });
});

describe('tick cost', () => {
  it('queues each due lead once per lease, and queues a lead whose job was lost again when the lease ends', async () => {
    const h = await nurtureHarness(env, 'nurture-tick', { leaseSeconds: 900, pageSize: 10 });
    h.clock.set('2025-01-07T15:00:00.000Z');
    const leadIds: string[] = [];
    for (let i = 0; i < 25; i += 1) leadIds.push(await h.signUp(`reader.${i}.${run}@acme-industries.de`));

    const first = await h.queue();
    expect(first).toMatchObject({ queued: 25, contended: 0 });
    const jobs = await h.takeJobs();
    expect([...jobs].sort()).toEqual([...leadIds].sort());
    // Right after: every one of them is leased, so the next tick queues none.
    h.clock.set('2025-01-07T15:01:00.000Z');
    expect(await h.queue()).toMatchObject({ queued: 0, contended: 0 });
    expect(await h.takeJobs()).toEqual([]);

    // Every job but one is done; the last one is lost (its message gone, never processed).
    const [lost, ...done] = jobs;
    for (const leadId of done) await processDueSteps(h.send, leadId);
    h.clock.set('2025-01-07T15:14:59.000Z');
    expect((await h.queue()).queued).toBe(0);
    // When the lease ends, only the lead whose job was lost is due again.
    h.clock.set('2025-01-07T15:15:00.000Z');
    expect((await h.tick()).leadIds).toEqual([lost]);
    for (const leadId of leadIds) {
      expect(await mailTo(ses, `reader.${leadIds.indexOf(leadId)}.${run}@acme-industries.de`)).toHaveLength(
        1,
      );
    }
    h.clock.set('2025-01-07T15:30:00.000Z');
    expect((await h.queue()).queued).toBe(0);
  });
});
