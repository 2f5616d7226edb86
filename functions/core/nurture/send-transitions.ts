import type { Activity, LeadState } from '../leads/lead';
import type { Step } from './config-schema';
import { CLAIM_TIMEOUT_MS, type Enrollment, emptyNurture, inFlight } from './enrollment';
import type { SkipReason, StepDecision } from './gate';
import { recentSends, stepDueAt } from './schedule';
import type { Counts } from './send-ports';
import type { NurtureSequence } from './sequences';
import { sequenceActivity, skipActivity, stepActivity } from './timeline';

/**
 * send-email's decisions as data: each takes the lead as read and returns the next version of it
 * (the decision's timeline entries in its outbox) and what it counts once written. No I/O here:
 * send-step.ts writes them, conditional on the version they were decided on.
 */
export interface Transition {
  next: LeadState;
  /** The version the decision was made on: the write is conditional on it. */
  expectedVersion: number;
  counts: Counts;
}

/** One enrollment's current step of a lead, at the time of the run. */
export interface StepAt {
  lead: LeadState;
  enrollment: Enrollment;
  /** Undefined when the sequence is no longer in the active config. */
  sequence: NurtureSequence | undefined;
  /** The lead's time zone (for waits). */
  zone: string;
  now: Date;
}

/** A throttled step is tried again after 30 s, 1, 2, 4... minutes, at most 30; then it fails. */
export const MAX_THROTTLED_ATTEMPTS = 10;
export const throttledBackoffMs = (attempt: number) => Math.min(30 * 60_000, 30_000 * 2 ** (attempt - 1));

/** Active enrollments with a step due now, earliest first. */
export function dueEnrollments(lead: LeadState, now: Date): Enrollment[] {
  const at = now.toISOString();
  return Object.values(lead.nurture?.enrollments ?? {})
    .filter((e) => e.status === 'active' && e.dueAt !== undefined && e.dueAt <= at)
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
}

/** The step to run now: the earliest due one no other run is sending. */
export function nextDue(lead: LeadState, now: Date): Enrollment | undefined {
  return dueEnrollments(lead, now).find((e) => !inFlight(e, now));
}

const claimEnd = (at: string) => new Date(Date.parse(at) + CLAIM_TIMEOUT_MS).toISOString();

/**
 * Nothing to run (another job ran it, or a lost job's lease ran out): tick's lease ends, except
 * that a step another run is sending stays off the due index until its claim times out.
 * Undefined when the lead already says so.
 */
export function releaseLease(lead: LeadState, now: Date): Transition | undefined {
  const ends = dueEnrollments(lead, now)
    .filter((e) => inFlight(e, now))
    .map((e) => claimEnd(e.sending?.at ?? now.toISOString()));
  const hold = ends.length > 0 ? ends.sort().at(-1) : undefined;
  if (lead.nurture?.leasedUntil === hold) return undefined;
  return decided({ lead, now, leasedUntil: hold });
}

interface Change {
  lead: LeadState;
  enrollment?: Enrollment;
  now: Date;
  sent?: string[];
  leasedUntil?: string;
  entries?: Activity[];
}

/** A decision on `change.lead`: its next version, written only if the lead is still at its version. */
const decided = (change: Change, counts: Counts = {}): Transition => ({
  next: nextVersion(change),
  expectedVersion: change.lead.version,
  counts,
});

/**
 * The next version of the lead with one enrollment replaced; any write here also ends tick's
 * lease, unless it sets a new one (a claim keeps the lead off the due index while it is sent).
 * `entries` go to the outbox: the writer stores them on the timeline once the write succeeded.
 */
export function nextVersion(change: Change): LeadState {
  const { lead, enrollment, now, sent, leasedUntil, entries = [] } = change;
  const nurture = lead.nurture ?? emptyNurture();
  return {
    ...lead,
    version: lead.version + 1,
    updatedAt: now.toISOString(),
    nurture: {
      ...nurture,
      ...(sent ? { sent } : {}),
      enrollments: enrollment
        ? { ...nurture.enrollments, [enrollment.sequenceId]: enrollment }
        : nurture.enrollments,
      leasedUntil,
      outbox: entries.length > 0 ? entries : undefined,
    },
  };
}

/** The `email_failed` entry of the current step. */
export function failedEntry(
  at: Pick<StepAt, 'lead' | 'enrollment' | 'now'>,
  failure: { step: string | undefined; error: string; message: string },
): Activity {
  return stepActivity(at.lead.leadId, at.enrollment, 'failed', at.now, failure);
}

/** The first wait of an enrollment runs from when it started: resolved to the real due time. */
export function resolveWait(at: StepAt & { waitFrom: string; wait: Step['wait'] }): Transition {
  const dueAt = stepDueAt(at.wait, new Date(at.waitFrom), at.zone);
  const resolved: Enrollment = { ...at.enrollment, waitFrom: undefined, dueAt: dueAt.toISOString() };
  return decided({ lead: at.lead, enrollment: resolved, now: at.now });
}

/**
 * The first step's wait runs from the enrollment (send-email resolves it, see enroll.ts). When the
 * resolved time has come (a first email without a wait) the step is decided now and the resolved
 * enrollment rides on the decision's write (one lead write fewer); when it lies ahead, `later` is
 * the write that moves it there. A timed-out claim is settled first, as it stands.
 */
export function withWaitResolved(at: StepAt): { at: StepAt } | { later: Transition } {
  const { enrollment, sequence } = at;
  const step = sequence?.steps[enrollment.step];
  if (!enrollment.waitFrom || !step || enrollment.sending?.step === enrollment.step) return { at };
  const later = resolveWait({ ...at, waitFrom: enrollment.waitFrom, wait: step.wait });
  const resolved = later.next.nurture?.enrollments[enrollment.sequenceId];
  if (!resolved?.dueAt || resolved.dueAt > at.now.toISOString()) return { later };
  return { at: { ...at, enrollment: resolved } };
}

/** Moves past the current step: schedules the next one or completes the enrollment. */
export function advance(at: StepAt & { entries?: Activity[] }): Transition {
  const { lead, enrollment, sequence, zone, now, entries = [] } = at;
  const nextStep = sequence?.steps[enrollment.step + 1];
  const base: Enrollment = {
    ...enrollment,
    sending: undefined,
    reschedules: undefined,
    capMoves: undefined,
    attempts: undefined,
  };
  if (nextStep) {
    const next: Enrollment = {
      ...base,
      step: enrollment.step + 1,
      // An exit that fired meanwhile is recorded now (its remaining steps skipped), not after the wait.
      dueAt: (enrollment.exit ? now : stepDueAt(nextStep.wait, now, zone)).toISOString(),
    };
    return decided({ lead, enrollment: next, now, entries });
  }
  const completed = sequenceActivity(lead.leadId, enrollment, 'sequence_completed', now, {});
  const done: Enrollment = { ...base, status: 'completed', dueAt: undefined, endedAt: now.toISOString() };
  return decided({ lead, enrollment: done, now, entries: [...entries, completed] }, { ended: 1 });
}

/** The gate skipped the step: it is on the timeline with the reason, and the enrollment moves on. */
export function skip(at: StepAt & { stepId: string; reason: SkipReason }): Transition {
  const template = at.sequence?.steps.find((s) => s.id === at.stepId)?.template;
  const skipped = skipActivity(at.lead.leadId, at.enrollment, { id: at.stepId, template }, at.reason, at.now);
  const advanced = advance({ ...at, entries: [skipped] });
  return { ...advanced, counts: { ...advanced.counts, skipped: 1 } };
}

/** Ends the enrollment: every step not sent yet is skipped with the reason, then the exit is recorded. */
export function end(at: StepAt & { reason: string; skip: SkipReason }): Transition {
  const { lead, enrollment, now, reason } = at;
  const steps = at.sequence?.steps ?? [];
  const remaining = steps.length > 0 ? steps.slice(enrollment.step) : [{ id: `step-${enrollment.step}` }];
  const entries = remaining.map((step, i) =>
    skipActivity(lead.leadId, { ...enrollment, step: enrollment.step + i }, step, at.skip, now, reason),
  );
  entries.push(
    sequenceActivity(lead.leadId, enrollment, 'sequence_exited', now, { reason, skipped: remaining.length }),
  );
  const ended: Enrollment = {
    ...enrollment,
    status: 'exited',
    dueAt: undefined,
    exit: undefined,
    sending: undefined,
    endedAt: now.toISOString(),
    reason,
  };
  return decided({ lead, enrollment: ended, now, entries }, { ended: 1, skipped: remaining.length });
}

/** The gate moved the step (frequency cap or send window): due later, shown on the timeline. */
export function reschedule(
  at: Pick<StepAt, 'lead' | 'enrollment' | 'now'> & {
    decision: Extract<StepDecision, { kind: 'reschedule' }>;
  },
): Transition {
  const { lead, enrollment, now, decision } = at;
  const reschedules = (enrollment.reschedules ?? 0) + 1;
  const capMoves = (enrollment.capMoves ?? 0) + (decision.reason === 'frequency_cap' ? 1 : 0);
  const moved: Enrollment = { ...enrollment, dueAt: decision.at.toISOString(), reschedules, capMoves };
  const entry = stepActivity(lead.leadId, enrollment, `rescheduled.${reschedules}`, now, {
    step: decision.step.id,
    reason: decision.reason,
    until: decision.at.toISOString(),
  });
  return decided({ lead, enrollment: moved, now, entries: [entry] }, { rescheduled: 1 });
}

/**
 * Claims the step for sending: from this write on it is never sent again, whatever happens next.
 * Until the claim times out, tick does not queue the lead again (the index entry moves to the
 * claim's end). A confirmation email is not marketing: it does not count toward the frequency cap.
 */
export function claim(
  at: Pick<StepAt, 'lead' | 'enrollment' | 'now'> & { transactional: boolean },
): Transition & { claimed: Enrollment } {
  const { lead, enrollment, now } = at;
  const sentAt = now.toISOString();
  const claimed: Enrollment = { ...enrollment, sending: { step: enrollment.step, at: sentAt } };
  const sent = at.transactional
    ? (lead.nurture?.sent ?? [])
    : recentSends([...(lead.nurture?.sent ?? []), sentAt], now);
  return { ...decided({ lead, enrollment: claimed, now, sent, leasedUntil: claimEnd(sentAt) }), claimed };
}

/**
 * Throttled: not sent. The claim is released, the send taken off the cap, and the step is due
 * again after a backoff; the timeline shows it moved (`email_rescheduled`, reason `throttled`).
 * `lead` and `current` are as read after the send; `claimed` is the enrollment as claimed.
 */
export function releaseThrottled(at: {
  lead: LeadState;
  current: Enrollment;
  claimed: Enrollment;
  stepId: string;
  error: string;
  now: Date;
}): Transition {
  const { lead, current, claimed, now } = at;
  const attempts = (claimed.attempts ?? 0) + 1;
  const until = new Date(now.getTime() + throttledBackoffMs(attempts)).toISOString();
  const entry = stepActivity(lead.leadId, claimed, `rescheduled.throttled.${attempts}`, now, {
    step: at.stepId,
    reason: 'throttled',
    until,
    error: at.error,
  });
  const retry: Enrollment = { ...current, sending: undefined, attempts, dueAt: until };
  const sent = (lead.nurture?.sent ?? []).filter((t) => t !== claimed.sending?.at);
  return decided({ lead, enrollment: retry, now, sent, entries: [entry] });
}
