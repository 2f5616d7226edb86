import { ownedBySales } from '../handoff/hot-lead-message';
import type { Activity, LeadState } from '../leads/lead';
import type { NurtureConfig, Sequence } from './config-schema';
import { type Enrollment, type ExitReason, emptyNurture, type LeadNurture } from './enrollment';

export interface ActiveNurture {
  config: NurtureConfig;
  version: number;
}

export interface NurtureChange {
  nurture: LeadNurture | undefined;
  enrolled: string[];
  exiting: string[];
}

const SEEN_KEPT = 100;
/** The activity of a clicked double opt-in link (functions/core/confirm-subscription.ts). */
export const CONSENT_CONFIRMED = 'consent_confirmed';

/**
 * What one activity means for a lead's sequences (pure; runs inside the lead write of the
 * activity, so enrolling can never be lost between two writes):
 * - exit rules fire on the active enrollments (became hot / owned by sales, stage reached, an
 *   exit activity, the goal): the enrollment is marked and made due now, so send-email records
 *   the skipped steps at once;
 * - triggers enroll the lead in sequences it may enter (consent, re-entry policy, not already
 *   active, no exit rule already holding), the first step scheduled from now.
 * Test leads (ad platforms' test deliveries) are never nurtured.
 */
export function nurtureOnActivity(
  prev: LeadState | undefined,
  next: LeadState,
  activity: Activity,
  active: ActiveNurture | undefined,
  now: Date,
): NurtureChange {
  const unchanged = { nurture: next.nurture, enrolled: [], exiting: [] };
  if (!active || next.test) return unchanged;
  const nurture: LeadNurture = structuredClone(next.nurture ?? emptyNurture());
  if (!nurture.seen.includes(activity.type))
    nurture.seen = [...nurture.seen, activity.type].slice(-SEEN_KEPT);
  const exiting: string[] = [];
  const enrolled: string[] = [];
  const at = now.toISOString();
  for (const sequence of active.config.sequences) {
    const enrollment = nurture.enrollments[sequence.id];
    if (enrollment?.status === 'active') {
      const reason = enrollment.exit ? undefined : exitReason(sequence.exit, next, activity);
      if (reason) {
        nurture.enrollments[sequence.id] = { ...enrollment, exit: reason, dueAt: at };
        exiting.push(sequence.id);
      }
      continue;
    }
    if (!sequence.enabled || !triggered(sequence, prev, next, activity)) continue;
    const entered = enter(sequence, next, enrollment, now);
    if (entered) {
      nurture.enrollments[sequence.id] = entered;
      enrolled.push(sequence.id);
    }
  }
  return { nurture, enrolled, exiting };
}

/** Manual enrollment (admin API): the same entry rules, no trigger. */
export function enrollManually(
  lead: LeadState,
  sequence: Sequence,
  now: Date,
): { nurture: LeadNurture; enrollment: Enrollment } | { refused: string } {
  if (lead.test) return { refused: 'test_lead' };
  if (!sequence.enabled) return { refused: 'sequence_disabled' };
  const nurture = structuredClone(lead.nurture ?? emptyNurture());
  const existing = nurture.enrollments[sequence.id];
  if (existing?.status === 'active') return { refused: 'already_enrolled' };
  const enrollment = enter(sequence, lead, existing, now);
  if (!enrollment) return { refused: entryRefusal(sequence, lead, existing) };
  nurture.enrollments[sequence.id] = enrollment;
  return { nurture, enrollment };
}

function triggered(sequence: Sequence, prev: LeadState | undefined, next: LeadState, activity: Activity) {
  const trigger = sequence.trigger;
  switch (trigger.on) {
    case 'form_submitted':
      // A double opt-in form's submission is complete when its confirmation link is clicked.
      return (
        (activity.type === 'form_submitted' || activity.type === CONSENT_CONFIRMED) &&
        (!trigger.formId || activity.formId === trigger.formId)
      );
    case 'stage_reached':
      return next.stage === trigger.stage && prev?.stage !== trigger.stage;
    case 'activity':
      return activity.type === trigger.type;
    case 'manual':
      return false;
  }
}

function enter(
  sequence: Sequence,
  lead: LeadState,
  existing: Enrollment | undefined,
  now: Date,
): Enrollment | undefined {
  if (entryRefusal(sequence, lead, existing)) return undefined;
  if (sequence.steps.length === 0) return undefined;
  // The first step's wait is resolved by send-email (time-zone math stays out of the capture path).
  const at = now.toISOString();
  return {
    sequenceId: sequence.id,
    number: (existing?.number ?? 0) + 1,
    status: 'active',
    enrolledAt: at,
    step: 0,
    dueAt: at,
    waitFrom: at,
  };
}

function entryRefusal(sequence: Sequence, lead: LeadState, existing: Enrollment | undefined): string {
  if (existing?.status === 'active') return 'already_enrolled';
  if (existing && sequence.entry.reentry === 'never') return 'already_enrolled_once';
  if (sequence.entry.requireConsent && lead.marketingConsent?.granted !== true) return 'no_consent';
  if (sequence.exit.onHandoff && ownedBySales(lead)) return 'owned_by_sales';
  if (sequence.exit.stages.includes(lead.stage)) return 'stage_reached';
  return '';
}

/** The exit rule an active enrollment meets after this activity, if any. */
export function exitReason(
  exit: Sequence['exit'],
  lead: LeadState,
  activity?: Pick<Activity, 'type'>,
): ExitReason | undefined {
  if (exit.onHandoff && ownedBySales(lead)) return 'handoff';
  if (exit.stages.includes(lead.stage)) return 'stage_reached';
  if (activity && exit.goal === activity.type) return 'goal_met';
  if (activity && exit.activities.includes(activity.type)) return 'activity';
  return undefined;
}
