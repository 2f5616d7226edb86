import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import { settingsSchema, stepSchema } from '../../functions/core/nurture/config-schema';
import type { Enrollment } from '../../functions/core/nurture/enrollment';
import {
  conditionHolds,
  decideStep,
  type GateInput,
  MAX_CAP_RESCHEDULES,
} from '../../functions/core/nurture/gate';
import type { NurtureSequence } from '../../functions/core/nurture/sequences';

// Friday 2026-11-27 15:00 UTC = 10:00 in New York: inside the Mon–Fri 09:00–17:00 window.
const now = new Date('2026-11-27T15:00:00.000Z');
const settings = settingsSchema.parse({
  sender: { email: 'hello@leadflow.example', name: 'Leadflow' },
  postalAddress: '548 Market Street, San Francisco, CA 94104',
  sendWindow: {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '09:00',
    end: '17:00',
    timezone: 'America/New_York',
  },
  frequencyCap: { perDay: 1, perWeek: 3 },
});
const steps = [
  stepSchema.parse({ id: 'one', template: 'welcome', ignoreSendWindow: true }),
  stepSchema.parse({ id: 'two', template: 'welcome', wait: { days: 2 }, when: { score: { min: 10 } } }),
];
const sequence: NurtureSequence = {
  id: 'welcome',
  enabled: true,
  requireConsent: true,
  exit: { onHandoff: true, stages: ['customer'], activities: [] },
  steps,
};
const enrollment: Enrollment = {
  sequenceId: 'welcome',
  number: 1,
  status: 'active',
  enrolledAt: now.toISOString(),
  step: 0,
  dueAt: now.toISOString(),
};
const lead: LeadState = {
  leadId: 'ld_000000000000000000000001',
  email: 'ada@example.com',
  stage: 'subscriber',
  profile: { company: { value: 'Acme', source: 'form:newsletter', at: now.toISOString() } },
  marketingConsent: { granted: true, at: now.toISOString(), source: 'form:newsletter' },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 1,
  aggregate: { rules: {}, applied: [] } as unknown as LeadState['aggregate'],
  score: null,
  nurture: { enrollments: {}, sent: [], seen: ['form_submitted'] },
};

const gate = (overrides: Partial<GateInput> = {}) =>
  decideStep({
    lead,
    enrollment,
    sequence,
    settings,
    suppression: undefined,
    zone: 'America/New_York',
    now,
    ...overrides,
  });

describe('pre-send gate', () => {
  it('sends the first step at once when nothing stands in the way', () => {
    expect(gate()).toEqual({ kind: 'send', step: steps[0] });
  });

  it('ends the enrollment, skipping what is left, with the reason', () => {
    const at = now.toISOString();
    expect(gate({ suppression: { reason: 'bounced', at, source: 'ses:bounce' } })).toEqual({
      kind: 'end',
      reason: 'suppressed',
      skip: 'suppressed',
    });
    expect(gate({ suppression: { reason: 'unsubscribed', at, source: 'unsubscribe' } })).toMatchObject({
      reason: 'unsubscribed',
      skip: 'unsubscribed',
    });
    expect(
      gate({ lead: { ...lead, marketingConsent: { granted: false, at, source: 'unsubscribe' } } }),
    ).toMatchObject({ kind: 'end', skip: 'unsubscribed' });
    expect(gate({ lead: { ...lead, marketingConsent: undefined } })).toMatchObject({
      reason: 'no_consent',
      skip: 'outside_consent',
    });
    const owned = { ...lead, handoff: { number: 1, status: 'claimed' as const, becameHotAt: at, rules: [] } };
    expect(gate({ lead: owned })).toMatchObject({ reason: 'handoff', skip: 'exited' });
    expect(gate({ lead: { ...lead, stage: 'customer' } })).toMatchObject({ reason: 'stage_reached' });
    expect(gate({ sequence: undefined })).toMatchObject({ reason: 'sequence_removed', skip: 'exited' });
    expect(gate({ enrollment: { ...enrollment, exit: 'unsubscribed' } })).toMatchObject({
      skip: 'unsubscribed',
    });
    expect(gate({ enrollment: { ...enrollment, exit: 'goal_met' } })).toMatchObject({
      reason: 'goal_met',
      skip: 'exited',
    });
  });

  it('skips a step whose condition does not hold', () => {
    expect(gate({ enrollment: { ...enrollment, step: 1 } })).toEqual({
      kind: 'skip',
      step: steps[1],
      reason: 'condition_not_met',
    });
  });

  it('reschedules for the frequency cap, and skips as capped after a week of moves', () => {
    const sentToday = { ...lead, nurture: { enrollments: {}, sent: ['2026-11-27T13:00:00.000Z'], seen: [] } };
    expect(gate({ lead: sentToday })).toEqual({
      kind: 'reschedule',
      step: steps[0],
      at: new Date('2026-11-28T13:00:00.000Z'),
      reason: 'frequency_cap',
    });
    expect(
      gate({
        lead: sentToday,
        enrollment: { ...enrollment, reschedules: MAX_CAP_RESCHEDULES + 3, capMoves: MAX_CAP_RESCHEDULES },
      }),
    ).toMatchObject({
      kind: 'skip',
      reason: 'capped',
    });
    // Moves by the send window do not count towards capped.
    expect(
      gate({ lead: sentToday, enrollment: { ...enrollment, reschedules: 20, capMoves: 1 } }),
    ).toMatchObject({
      kind: 'reschedule',
    });
  });

  it('reschedules outside the send window to its next opening, unless the step ignores it', () => {
    const saturday = new Date('2026-11-28T15:00:00.000Z');
    const scored = { ...lead, score: { total: 20 } as LeadState['score'] };
    expect(gate({ lead: scored, enrollment: { ...enrollment, step: 1 }, now: saturday })).toEqual({
      kind: 'reschedule',
      step: steps[1],
      at: new Date('2026-11-30T14:00:00.000Z'), // Monday 09:00 New York (EST)
      reason: 'send_window',
    });
    expect(gate({ now: saturday })).toEqual({ kind: 'send', step: steps[0] });
  });
});

describe('pre-send gate for a double opt-in confirmation (transactional)', () => {
  const confirmStep = stepSchema.parse({
    id: 'confirm',
    template: 'confirm-subscription',
    ignoreSendWindow: true,
  });
  const confirmation: NurtureSequence = {
    id: 'confirm:newsletter-eu',
    enabled: true,
    requireConsent: false,
    transactional: true,
    steps: [confirmStep],
  };
  const pending: Enrollment = {
    ...enrollment,
    sequenceId: 'confirm:newsletter-eu',
    transactional: { kind: 'confirm', formId: 'newsletter-eu', template: 'confirm-subscription' },
  };
  const confirm = (overrides: Partial<GateInput> = {}) =>
    gate({ sequence: confirmation, enrollment: pending, ...overrides });
  const at = now.toISOString();

  it('sends at once without consent, to a lead owned by sales or past an exit stage, over the cap and outside the window', () => {
    const owned = { number: 1, status: 'claimed' as const, becameHotAt: at, rules: [] };
    const capped = {
      enrollments: {},
      sent: ['2026-11-27T13:00:00.000Z', '2026-11-27T14:00:00.000Z'],
      seen: [],
    };
    const noConsentHotCustomer: LeadState = {
      ...lead,
      marketingConsent: undefined,
      handoff: owned,
      stage: 'customer',
      nurture: capped,
    };
    const saturdayNight = new Date('2026-11-29T03:00:00.000Z');
    expect(confirm({ lead: noConsentHotCustomer, now: saturdayNight })).toEqual({
      kind: 'send',
      step: confirmStep,
    });
  });

  it('never sends to a suppressed address, and ends when the enrollment was ended (unsubscribed)', () => {
    expect(confirm({ suppression: { reason: 'bounced', at, source: 'ses:bounce' } })).toEqual({
      kind: 'end',
      reason: 'suppressed',
      skip: 'suppressed',
    });
    expect(confirm({ suppression: { reason: 'unsubscribed', at, source: 'unsubscribe' } })).toMatchObject({
      kind: 'end',
      skip: 'unsubscribed',
    });
    expect(confirm({ enrollment: { ...pending, exit: 'unsubscribed' } })).toMatchObject({
      kind: 'end',
      skip: 'unsubscribed',
    });
  });
});

describe('step conditions', () => {
  it('checks score, stage, profile fields and activities seen', () => {
    expect(conditionHolds({ score: { min: 1 } }, lead)).toBe(false); // no score yet
    expect(conditionHolds({ stage: { in: ['subscriber'] } }, lead)).toBe(true);
    expect(conditionHolds({ field: 'company', present: true }, lead)).toBe(true);
    expect(conditionHolds({ field: 'company', equals: 'Initech' }, lead)).toBe(false);
    expect(conditionHolds({ field: 'company', in: ['Acme', 'Initech'] }, lead)).toBe(true);
    expect(conditionHolds({ field: 'jobTitle', present: false }, lead)).toBe(true);
    expect(conditionHolds({ activity: 'webinar_attended', happened: false }, lead)).toBe(true);
    expect(conditionHolds({ activity: 'form_submitted', happened: true }, lead)).toBe(true);
  });
});
