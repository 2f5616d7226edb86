import type { Suppression } from '../consent/suppression';
import type { LeadState } from '../leads/lead';
import type { NurtureConfig, Sequence } from './config-schema';
import type { Enrollment } from './enrollment';
import { decideStep } from './gate';
import { sequenceFor } from './sequences';

/** Why a stored lead would get nothing from a sequence, decided by the sender's own gate. */
export const HOLD_REASONS = [
  'sequence_disabled',
  'no_consent',
  'owned_by_sales',
  'unsubscribed',
  'suppressed',
  'stage_reached',
  'erased',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

const WORDS: Record<HoldReason, string> = {
  sequence_disabled: 'The sequence is turned off: nobody is enrolled and nothing is sent.',
  no_consent:
    'No marketing consent: this sequence needs it, so the lead is not enrolled and no step is sent.',
  owned_by_sales:
    'Owned by sales (hot or handed off): nurture stops when sales takes over, so no step is sent.',
  unsubscribed: 'The lead unsubscribed: no marketing email is sent.',
  suppressed: 'The address is on the suppression list (bounced or complained): nothing is sent to it.',
  stage_reached: "The lead's stage is one this sequence exits at: no step is sent.",
  erased: 'The lead was erased: nothing is sent.',
};

/**
 * The gate send-email applies, asked for the first step as if the lead were enrolled now: when it
 * ends the enrollment (consent, sales, suppression, exit stages, the sequence turned off), the
 * reason in words. Undefined when steps would go (each step's condition, cap and window are the
 * step previews' own).
 */
export function holdFor(
  config: NurtureConfig,
  sequence: Sequence,
  lead: LeadState,
  suppression: Suppression | undefined,
  now: Date,
): { reason: HoldReason; message: string } | undefined {
  const enrollment: Enrollment = {
    sequenceId: sequence.id,
    number: 1,
    status: 'active',
    enrolledAt: now.toISOString(),
    step: 0,
  };
  const decision = decideStep({
    lead,
    enrollment,
    sequence: sequenceFor(config, enrollment),
    settings: config.settings,
    suppression,
    zone: config.settings.sendWindow.timezone,
    now,
  });
  if (decision.kind !== 'end') return undefined;
  const reason = holdReasonOf(decision.reason);
  return { reason, message: WORDS[reason] };
}

function holdReasonOf(exit: string): HoldReason {
  if (exit === 'handoff') return 'owned_by_sales';
  if (exit === 'sequence_removed') return 'sequence_disabled';
  return (HOLD_REASONS as readonly string[]).includes(exit) ? (exit as HoldReason) : 'stage_reached';
}
