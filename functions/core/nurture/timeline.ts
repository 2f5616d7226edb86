import { sha256Hex } from '../kernel/email';
import type { Activity } from '../leads/lead';
import type { Enrollment } from './enrollment';
import type { SkipReason } from './gate';

/** The timeline entries of nurture: one per step outcome, one per enrollment end, all from `nurture`. */
const SOURCE = 'nurture';

/** Deterministic ids: a retried outcome stores nothing new on the timeline. */
export function stepActivityId(leadId: string, enrollment: Enrollment, outcome: string): string {
  const key = `${leadId}|${enrollment.sequenceId}|${enrollment.number}|${enrollment.step}|${outcome}`;
  return `act_nurture_${sha256Hex(key).slice(0, 24)}`;
}

export function stepActivity(
  leadId: string,
  enrollment: Enrollment,
  outcome: string,
  now: Date,
  properties: Record<string, unknown>,
): Activity {
  const type = outcome.startsWith('rescheduled') ? 'email_rescheduled' : `email_${outcome}`;
  return {
    activityId: stepActivityId(leadId, enrollment, outcome),
    leadId,
    type,
    at: now.toISOString(),
    source: SOURCE,
    properties: {
      sequenceId: enrollment.sequenceId,
      enrollment: enrollment.number,
      // A broadcast's entries name it (the email report counts them per broadcast).
      ...(enrollment.broadcast ? { broadcastId: enrollment.broadcast.id } : {}),
      ...(enrollment.broadcast?.variant ? { variant: enrollment.broadcast.variant } : {}),
      ...properties,
    },
  };
}

export function skipActivity(
  leadId: string,
  enrollment: Enrollment,
  step: { id: string; template?: string },
  reason: SkipReason,
  now: Date,
  exit?: string,
): Activity {
  return stepActivity(leadId, enrollment, 'skipped', now, {
    step: step.id,
    ...(step.template ? { templateId: step.template } : {}),
    reason,
    ...(exit && exit !== reason ? { exit } : {}),
  });
}

export function sequenceActivity(
  leadId: string,
  enrollment: Enrollment,
  type: 'sequence_exited' | 'sequence_completed',
  now: Date,
  properties: Record<string, unknown>,
): Activity {
  return {
    activityId: `act_nurture_${sha256Hex(`${leadId}|${enrollment.sequenceId}|${enrollment.number}|${type}`).slice(0, 24)}`,
    leadId,
    type,
    at: now.toISOString(),
    source: SOURCE,
    properties: { sequenceId: enrollment.sequenceId, enrollment: enrollment.number, ...properties },
  };
}
