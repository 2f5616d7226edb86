import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import { stepSchema } from '../../functions/core/nurture/config-schema';
import { CLAIM_TIMEOUT_MS, type Enrollment } from '../../functions/core/nurture/enrollment';
import {
  advance,
  claim,
  end,
  MAX_THROTTLED_ATTEMPTS,
  nextDue,
  releaseLease,
  releaseThrottled,
  reschedule,
  resolveWait,
  type StepAt,
  skip,
  throttledBackoffMs,
} from '../../functions/core/nurture/send-transitions';
import type { NurtureSequence } from '../../functions/core/nurture/sequences';

// The transitions send-email writes, decided without a store: what the next lead version holds.
const now = new Date('2026-11-27T15:00:00.000Z');
const at = now.toISOString();
const sequence: NurtureSequence = {
  id: 'welcome',
  enabled: true,
  requireConsent: true,
  exit: { onHandoff: true, stages: ['customer'], activities: [] },
  steps: [
    stepSchema.parse({ id: 'one', template: 'welcome' }),
    stepSchema.parse({ id: 'two', template: 'welcome', wait: { days: 2 } }),
  ],
};
const enrollment: Enrollment = {
  sequenceId: 'welcome',
  number: 1,
  status: 'active',
  enrolledAt: at,
  step: 0,
  dueAt: at,
};
const lead = (nurture: Partial<NonNullable<LeadState['nurture']>> = {}): LeadState => ({
  leadId: 'ld_000000000000000000000001',
  email: 'ada@example.com',
  stage: 'subscriber',
  profile: {},
  marketingConsent: { granted: true, at, source: 'form:newsletter' },
  createdAt: at,
  updatedAt: at,
  version: 4,
  aggregate: { rules: {}, applied: [] } as unknown as LeadState['aggregate'],
  score: null,
  nurture: { enrollments: { welcome: enrollment }, sent: [], seen: [], ...nurture },
});
const stepAt = (overrides: Partial<StepAt> = {}): StepAt => ({
  lead: lead(),
  enrollment,
  sequence,
  zone: 'UTC',
  now,
  ...overrides,
});
const types = (t: { next: LeadState }) => (t.next.nurture?.outbox ?? []).map((a) => a.type);

describe('send-email transitions', () => {
  it('schedules the next step after its wait, one version up, conditional on the version read', () => {
    const t = advance(stepAt());

    expect(t.expectedVersion).toBe(4);
    expect(t.next.version).toBe(5);
    expect(t.next.nurture?.enrollments.welcome).toMatchObject({ step: 1, dueAt: '2026-11-29T15:00:00.000Z' });
    expect(t.next.nurture?.outbox).toBeUndefined();
    expect(t.counts).toEqual({});
  });

  it('completes the enrollment after its last step, with a sequence_completed entry, counted as ended', () => {
    const t = advance(stepAt({ enrollment: { ...enrollment, step: 1, sending: { step: 1, at } } }));

    expect(t.next.nurture?.enrollments.welcome).toMatchObject({ status: 'completed', endedAt: at });
    expect(t.next.nurture?.enrollments.welcome?.sending).toBeUndefined();
    expect(types(t)).toEqual(['sequence_completed']);
    expect(t.counts).toEqual({ ended: 1 });
  });

  it('makes the next step due now when an exit fired during the send', () => {
    const t = advance(stepAt({ enrollment: { ...enrollment, exit: 'handoff' } }));

    expect(t.next.nurture?.enrollments.welcome?.dueAt).toBe(at);
  });

  it('skips a step with its reason on the timeline and counts it', () => {
    const t = skip({ ...stepAt(), stepId: 'one', reason: 'condition_not_met' });

    expect(types(t)).toEqual(['email_skipped']);
    expect(t.next.nurture?.outbox?.[0]?.properties).toMatchObject({
      step: 'one',
      reason: 'condition_not_met',
    });
    expect(t.counts).toEqual({ skipped: 1 });
  });

  it('ends an enrollment: every step left skipped, then the exit, counted as ended and skipped', () => {
    const t = end({ ...stepAt(), reason: 'unsubscribed', skip: 'unsubscribed' });

    expect(types(t)).toEqual(['email_skipped', 'email_skipped', 'sequence_exited']);
    expect(t.next.nurture?.enrollments.welcome).toMatchObject({ status: 'exited', reason: 'unsubscribed' });
    expect(t.counts).toEqual({ ended: 1, skipped: 2 });
  });

  it('moves a capped step and counts the cap move', () => {
    const until = new Date('2026-11-28T15:00:00.000Z');
    const t = reschedule({
      ...stepAt(),
      decision: { kind: 'reschedule', step: sequence.steps[0] as never, at: until, reason: 'frequency_cap' },
    });

    expect(t.next.nurture?.enrollments.welcome).toMatchObject({
      dueAt: until.toISOString(),
      reschedules: 1,
      capMoves: 1,
    });
    expect(types(t)).toEqual(['email_rescheduled']);
    expect(t.counts).toEqual({ rescheduled: 1 });
  });

  it('resolves a first wait from when the enrollment started', () => {
    const t = resolveWait({
      ...stepAt(),
      waitFrom: '2026-11-20T15:00:00.000Z',
      wait: { days: 2, hours: 0, minutes: 0 },
    });

    expect(t.next.nurture?.enrollments.welcome).toMatchObject({ dueAt: '2026-11-22T15:00:00.000Z' });
    expect(t.next.nurture?.enrollments.welcome?.waitFrom).toBeUndefined();
  });

  it('claims a step: on the cap, leased until the claim times out; a confirmation is not on the cap', () => {
    const marketing = claim({ lead: lead(), enrollment, now, transactional: false });
    const confirmation = claim({ lead: lead(), enrollment, now, transactional: true });

    expect(marketing.claimed.sending).toEqual({ step: 0, at });
    expect(marketing.next.nurture?.sent).toEqual([at]);
    expect(marketing.next.nurture?.leasedUntil).toBe(
      new Date(now.getTime() + CLAIM_TIMEOUT_MS).toISOString(),
    );
    expect(confirmation.next.nurture?.sent).toEqual([]);
  });

  it('releases a throttled claim: off the cap, due after the backoff, shown as rescheduled', () => {
    const { claimed, next } = claim({ lead: lead(), enrollment, now, transactional: false });
    const t = releaseThrottled({
      lead: next,
      current: claimed,
      claimed,
      stepId: 'one',
      error: 'throttled',
      now,
    });

    expect(t.expectedVersion).toBe(5);
    expect(t.next.nurture?.sent).toEqual([]);
    expect(t.next.nurture?.enrollments.welcome).toMatchObject({
      attempts: 1,
      dueAt: new Date(now.getTime() + 30_000).toISOString(),
    });
    expect(t.next.nurture?.enrollments.welcome?.sending).toBeUndefined();
    expect(t.next.nurture?.outbox?.[0]).toMatchObject({ type: 'email_rescheduled' });
    expect(throttledBackoffMs(MAX_THROTTLED_ATTEMPTS)).toBe(30 * 60_000);
  });

  it('runs the earliest due step no other run is sending, and releases the lease only when it changes', () => {
    const sending: Enrollment = { ...enrollment, sequenceId: 'a', sending: { step: 0, at } };
    const later: Enrollment = { ...enrollment, sequenceId: 'b', dueAt: '2026-11-27T14:00:00.000Z' };
    const busy = lead({ enrollments: { a: sending, b: later } });

    expect(nextDue(busy, now)?.sequenceId).toBe('b');
    expect(nextDue(lead({ enrollments: { a: sending } }), now)).toBeUndefined();

    const held = releaseLease(lead({ enrollments: { a: sending } }), now);
    expect(held?.next.nurture?.leasedUntil).toBe(new Date(now.getTime() + CLAIM_TIMEOUT_MS).toISOString());
    expect(releaseLease(lead({ leasedUntil: undefined, enrollments: {} }), now)).toBeUndefined();
    expect(
      releaseLease(lead({ leasedUntil: at, enrollments: {} }), now)?.next.nurture?.leasedUntil,
    ).toBeUndefined();
  });
});
