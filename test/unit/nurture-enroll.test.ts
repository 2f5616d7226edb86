import { describe, expect, it } from 'vitest';
import { evolveLead } from '../../functions/core/leads/evolve';
import type { Activity, LeadInput, LeadState } from '../../functions/core/leads/lead';
import type { NurtureConfig, Sequence } from '../../functions/core/nurture/config-schema';
import { sequenceSchema } from '../../functions/core/nurture/config-schema';
import { type ActiveNurture, enrollManually } from '../../functions/core/nurture/enroll';
import { dueIndexTime, type Enrollment } from '../../functions/core/nurture/enrollment';

const now = new Date('2026-11-27T10:00:00.000Z');
const leadId = 'ld_000000000000000000000001';

function sequence(overrides: Record<string, unknown> = {}): Sequence {
  return sequenceSchema.parse({
    id: 'welcome',
    name: 'Welcome',
    trigger: { on: 'form_submitted', formId: 'newsletter' },
    steps: [
      { id: 'one', template: 'welcome', ignoreSendWindow: true },
      { id: 'two', template: 'welcome', wait: { days: 2 } },
    ],
    exit: { stages: ['customer'], goal: 'trial_started', activities: ['demo_booked'] },
    ...overrides,
  });
}

const nurture = (...sequences: Sequence[]): ActiveNurture => ({
  version: 3,
  config: { sequences } as unknown as NurtureConfig,
});

const activity = (n: number, type = 'form_submitted', formId?: string): Activity => ({
  activityId: `act_${n}`,
  leadId,
  type,
  at: now.toISOString(),
  source: formId ? `form:${formId}` : 'api:test',
  ...(formId ? { formId } : {}),
});

const signUp = (consent: boolean): LeadInput => ({
  leadId,
  email: 'ada@example.com',
  fields: { email: 'ada@example.com' },
  attribution: {},
  stage: 'subscriber',
  ...(consent
    ? { consent: { granted: true, text: 'Yes', at: now.toISOString(), source: 'form:newsletter' } }
    : {}),
});

function evolve(prev: LeadState | undefined, act: Activity, active: ActiveNurture, merge?: LeadInput) {
  const result = evolveLead(
    prev,
    { leadId, email: 'ada@example.com', activity: act, merge },
    undefined,
    now,
    active,
  );
  if (result.kind !== 'changed') throw new Error(result.kind);
  return result;
}

describe('enrollment in the activity lead write', () => {
  it('enrolls a consenting sign-up from the trigger form, due now with the wait still to resolve', () => {
    const result = evolve(
      undefined,
      activity(1, 'form_submitted', 'newsletter'),
      nurture(sequence()),
      signUp(true),
    );
    expect(result.effect.enrolled).toEqual(['welcome']);
    const enrollment = result.next.nurture?.enrollments.welcome;
    expect(enrollment).toEqual({
      sequenceId: 'welcome',
      number: 1,
      status: 'active',
      enrolledAt: now.toISOString(),
      step: 0,
      dueAt: now.toISOString(),
      waitFrom: now.toISOString(),
    });
    expect(dueIndexTime(result.next.nurture)).toBe(now.toISOString());
  });

  it('does not enroll without consent, from another form, or a test lead', () => {
    const active = nurture(sequence());
    expect(
      evolve(undefined, activity(1, 'form_submitted', 'newsletter'), active, signUp(false)).effect.enrolled,
    ).toBeUndefined();
    expect(
      evolve(undefined, activity(1, 'form_submitted', 'demo-request'), active, signUp(true)).effect.enrolled,
    ).toBeUndefined();
    const test = evolve(undefined, activity(1, 'form_submitted', 'newsletter'), active, {
      ...signUp(true),
      test: true,
    });
    expect(test.next.nurture).toBeUndefined();
  });

  it('does not enroll twice; re-entry after exit only when the sequence allows it', () => {
    const once = nurture(sequence());
    const first = evolve(undefined, activity(1, 'form_submitted', 'newsletter'), once, signUp(true)).next;
    const again = evolve(first, activity(2, 'form_submitted', 'newsletter'), once, signUp(true));
    expect(again.effect.enrolled).toBeUndefined();
    const ended: LeadState = {
      ...first,
      nurture: {
        ...(first.nurture as NonNullable<LeadState['nurture']>),
        enrollments: { welcome: { ...(first.nurture?.enrollments.welcome as Enrollment), status: 'exited' } },
      },
    };
    expect(
      evolve(ended, activity(3, 'form_submitted', 'newsletter'), once, signUp(true)).effect.enrolled,
    ).toBeUndefined();
    const reentry = nurture(sequence({ entry: { reentry: 'after_exit' } }));
    const back = evolve(ended, activity(4, 'form_submitted', 'newsletter'), reentry, signUp(true));
    expect(back.effect.enrolled).toEqual(['welcome']);
    expect(back.next.nurture?.enrollments.welcome?.number).toBe(2);
  });

  it('fires exit rules on the activity: the goal, an exit activity, a stage — due now so the skips are recorded', () => {
    const active = nurture(sequence());
    const enrolled = evolve(
      undefined,
      activity(1, 'form_submitted', 'newsletter'),
      active,
      signUp(true),
    ).next;
    const goal = evolve(enrolled, activity(2, 'trial_started'), active);
    expect(goal.effect.exiting).toEqual(['welcome']);
    expect(goal.next.nurture?.enrollments.welcome).toMatchObject({
      exit: 'goal_met',
      dueAt: now.toISOString(),
    });
    expect(evolve(enrolled, activity(3, 'demo_booked'), active).next.nurture?.enrollments.welcome?.exit).toBe(
      'activity',
    );
    expect(evolve(enrolled, activity(4, 'page_viewed'), active).effect.exiting).toBeUndefined();
  });

  it('other triggers: a stage reached, an activity type; manual never fires on an activity', () => {
    const byActivity = nurture(
      sequence({ id: 'trial', trigger: { on: 'activity', type: 'trial_started' }, exit: {} }),
    );
    const lead = evolve(
      undefined,
      activity(1, 'form_submitted', 'newsletter'),
      byActivity,
      signUp(true),
    ).next;
    expect(evolve(lead, activity(2, 'trial_started'), byActivity).effect.enrolled).toEqual(['trial']);
    const manual = nurture(sequence({ id: 'manual', trigger: { on: 'manual' } }));
    expect(
      evolve(lead, activity(3, 'form_submitted', 'newsletter'), manual, signUp(true)).effect.enrolled,
    ).toBeUndefined();
    const mql = nurture(sequence({ id: 'mql', trigger: { on: 'stage_reached', stage: 'mql' } }));
    const reached = evolve({ ...lead, stage: 'lead' }, activity(4, 'page_viewed'), mql);
    expect(reached.effect.enrolled).toBeUndefined();
  });

  it('keeps the activity types seen, for step conditions', () => {
    const active = nurture(sequence());
    const lead = evolve(undefined, activity(1, 'form_submitted', 'newsletter'), active, signUp(true)).next;
    const next = evolve(lead, activity(2, 'webinar_attended'), active).next;
    expect(next.nurture?.seen).toEqual(['form_submitted', 'webinar_attended']);
  });

  it('manual enrollment applies the entry rules and says why it refuses', () => {
    const seq = sequence({ trigger: { on: 'manual' } });
    const lead = evolve(undefined, activity(1, 'form_submitted', 'newsletter'), nurture(), signUp(true)).next;
    const enrolled = enrollManually(lead, seq, now);
    expect('enrollment' in enrolled && enrolled.enrollment.status).toBe('active');
    const noConsent = evolve(
      undefined,
      activity(1, 'form_submitted', 'newsletter'),
      nurture(),
      signUp(false),
    ).next;
    expect(enrollManually(noConsent, seq, now)).toEqual({ refused: 'no_consent' });
    const hot: LeadState = {
      ...lead,
      handoff: { number: 1, status: 'sent', becameHotAt: now.toISOString(), rules: [] },
    };
    expect(enrollManually(hot, seq, now)).toEqual({ refused: 'owned_by_sales' });
  });
});
