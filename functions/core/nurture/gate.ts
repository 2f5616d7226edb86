import type { Suppression } from '../consent/suppression';
import type { LeadState } from '../leads/lead';
import { matches, type SavedSegment } from '../segments/segments';
import type { Settings, Step, StepCondition } from './config-schema';
import { exitReason } from './enroll';
import type { Enrollment, ExitReason } from './enrollment';
import { frequencyCapCheck, sendWindowCheck } from './schedule';
import type { NurtureSequence } from './sequences';

/** Why a step was not sent (DESIGN invariant 3): shown on the timeline. */
export type SkipReason =
  | 'suppressed'
  | 'unsubscribed'
  | 'exited'
  | 'outside_consent'
  | 'capped'
  | 'condition_not_met'
  | 'broadcast_cancelled';

export type StepDecision =
  | { kind: 'send'; step: Step }
  /** The enrollment ends: every step not sent yet is skipped with `skip`. */
  | { kind: 'end'; reason: ExitReason; skip: SkipReason }
  | { kind: 'skip'; step: Step; reason: SkipReason }
  | { kind: 'reschedule'; step: Step; at: Date; reason: 'frequency_cap' | 'send_window' };

/** A step moved by the cap this often (about a week of days) is skipped as `capped` instead. */
export const MAX_CAP_RESCHEDULES = 7;

export interface GateInput {
  lead: LeadState;
  enrollment: Enrollment;
  /** Undefined when the sequence is no longer in the active config (or disabled). */
  sequence: NurtureSequence | undefined;
  settings: Settings;
  suppression: Suppression | undefined;
  zone: string;
  now: Date;
  /** The enrollment's broadcast was cancelled: nothing more of it goes out. */
  broadcastCancelled?: boolean;
}

/**
 * The pre-send gate, in one place, for every sequence step and broadcast: the order matters —
 * what ends the enrollment first (sequence gone, exit rules, suppression, consent, sales owns
 * the lead), then the step's own condition, then when it may go (frequency cap, send window).
 * A transactional step (a double opt-in confirmation) is held by the suppression list only.
 */
export function decideStep(input: GateInput): StepDecision {
  const { lead, enrollment, sequence, settings, suppression, now } = input;
  if (!sequence?.enabled) return { kind: 'end', reason: 'sequence_removed', skip: 'exited' };
  if (input.broadcastCancelled)
    return { kind: 'end', reason: 'broadcast_cancelled', skip: 'broadcast_cancelled' };
  if (enrollment.exit) return { kind: 'end', reason: enrollment.exit, skip: skipFor(enrollment.exit) };
  if (suppression) {
    if (suppression.reason === 'unsubscribed')
      return { kind: 'end', reason: 'unsubscribed', skip: 'unsubscribed' };
    if (suppression.reason === 'erased') return { kind: 'end', reason: 'erased', skip: 'suppressed' };
    return { kind: 'end', reason: 'suppressed', skip: 'suppressed' };
  }
  // A confirmation email is not marketing: no consent yet (it asks for it), sales or exit rules do
  // not stop it, it goes at once and does not count toward the cap. Only suppression holds it.
  if (sequence.transactional) {
    const step = sequence.steps[enrollment.step];
    return step ? { kind: 'send', step } : { kind: 'end', reason: 'sequence_removed', skip: 'exited' };
  }
  const consent = lead.marketingConsent;
  if (consent?.granted === false && consent.source === 'unsubscribe')
    return { kind: 'end', reason: 'unsubscribed', skip: 'unsubscribed' };
  if (sequence.requireConsent && consent?.granted !== true)
    return { kind: 'end', reason: 'no_consent', skip: 'outside_consent' };
  const exit = sequence.exit ? exitReason(sequence.exit, lead) : undefined;
  if (exit) return { kind: 'end', reason: exit, skip: 'exited' };
  const step = sequence.steps[enrollment.step];
  if (!step) return { kind: 'end', reason: 'sequence_removed', skip: 'exited' };
  if (step.when && !conditionHolds(step.when, lead, { segments: sequence.segments, now }))
    return { kind: 'skip', step, reason: 'condition_not_met' };
  const cap = frequencyCapCheck(lead.nurture?.sent ?? [], settings.frequencyCap, now);
  if (!cap.ok) {
    if ((enrollment.capMoves ?? 0) >= MAX_CAP_RESCHEDULES) return { kind: 'skip', step, reason: 'capped' };
    return { kind: 'reschedule', step, at: cap.retryAt, reason: 'frequency_cap' };
  }
  if (!step.ignoreSendWindow) {
    const window = sendWindowCheck(settings.sendWindow, input.zone, now);
    if (!window.open) return { kind: 'reschedule', step, at: window.opensAt, reason: 'send_window' };
  }
  return { kind: 'send', step };
}

function skipFor(reason: ExitReason): SkipReason {
  if (reason === 'unsubscribed') return 'unsubscribed';
  if (reason === 'suppressed' || reason === 'erased') return 'suppressed';
  if (reason === 'no_consent') return 'outside_consent';
  if (reason === 'broadcast_cancelled') return 'broadcast_cancelled';
  return 'exited';
}

/**
 * A step's condition on score, stage, a profile field, an activity type seen on the lead, or a
 * saved segment of the config (`context`: its segments and the time the step is decided at; an id
 * that names none holds for no one).
 */
export function conditionHolds(
  condition: StepCondition,
  lead: LeadState,
  context: { segments?: readonly SavedSegment[]; now: Date } = { now: new Date(0) },
): boolean {
  if ('segment' in condition) {
    const saved = context.segments?.find((segment) => segment.id === condition.segment);
    return saved !== undefined && matches(lead, saved.definition, context.now);
  }
  if ('score' in condition) {
    const total = lead.score?.total;
    if (total === undefined) return false;
    const { min, max } = condition.score;
    return (min === undefined || total >= min) && (max === undefined || total <= max);
  }
  if ('stage' in condition) return condition.stage.in.includes(lead.stage);
  if ('activity' in condition)
    return (lead.nurture?.seen ?? []).includes(condition.activity) === condition.happened;
  const value = lead.profile[condition.field]?.value;
  if (condition.present !== undefined && (value !== undefined) !== condition.present) return false;
  if (condition.equals !== undefined && value !== condition.equals) return false;
  if (condition.in !== undefined && !(condition.in as unknown[]).includes(value)) return false;
  return true;
}
