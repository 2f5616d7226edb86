import type { Activity } from '../leads/lead';

/**
 * A lead's nurture state, kept on the lead item itself: enrolling happens in the same
 * conditional write as the activity that triggered it (nothing to lose between two writes),
 * and the lead item carries the sparse, sharded "due" index entry tick pages through.
 */
export interface Enrollment {
  sequenceId: string;
  /** 1 for the first enrollment in this sequence, 2 after a re-entry... (steps come from the active config). */
  number: number;
  status: 'active' | 'completed' | 'exited';
  enrolledAt: string;
  /** Index of the next step to run. */
  step: number;
  /** When that step is due (active enrollments only). */
  dueAt?: string;
  /** The step's wait still runs from this time: send-email resolves it to the real due time first. */
  waitFrom?: string;
  /** Claimed for sending: a retry that finds this never sends the step again (at most once). */
  sending?: { step: number; at: string };
  /** Set when an exit rule fired on an activity: send-email records it and skips what is left. */
  exit?: ExitReason;
  /** How often the current step was moved by the frequency cap or the send window. */
  reschedules?: number;
  /** How many of those were the frequency cap (a step held this often is skipped as `capped`). */
  capMoves?: number;
  /** Throttled send attempts of the current step. */
  attempts?: number;
  endedAt?: string;
  reason?: string;
  /** A broadcast's single step: its template and whether it waits for the send window. */
  broadcast?: {
    id: string;
    template: string;
    ignoreSendWindow?: boolean;
    /** An A/B test's variant (a..d): the step is counted as `variant-<id>`; its own subject when given. */
    variant?: string;
    subject?: string;
  };
  /** A transactional single step (a double opt-in confirmation): not marketing, sent at once. */
  transactional?: { kind: 'confirm'; formId: string; template: string };
}

export type ExitReason =
  | 'handoff'
  | 'stage_reached'
  | 'activity'
  | 'goal_met'
  | 'unsubscribed'
  | 'suppressed'
  | 'no_consent'
  | 'sequence_removed'
  | 'erased'
  | 'broadcast_cancelled';

export interface LeadNurture {
  /** By sequence id (`broadcast:<id>` for a broadcast's single step, `confirm:<formId>` for a confirmation). */
  enrollments: Record<string, Enrollment>;
  /** When marketing emails went to this lead in the last 7 days (the frequency cap). */
  sent: string[];
  /** Activity types seen on this lead (step conditions), at most 100. */
  seen: string[];
  /** tick queued a job for this lead: not queued again before this time (lost jobs are re-queued then). */
  leasedUntil?: string;
  /**
   * Timeline entries decided in the last send-email write, stored by the writer right after it:
   * an entry exists exactly when its decision was written (a crash in between is healed by the
   * next run, and the lead view shows them meanwhile).
   */
  outbox?: Activity[];
}

export const emptyNurture = (): LeadNurture => ({ enrollments: {}, sent: [], seen: [] });

/** The earliest due step over active enrollments, or undefined when nothing is scheduled. */
export function earliestDue(nurture: LeadNurture | undefined): string | undefined {
  let earliest: string | undefined;
  for (const enrollment of Object.values(nurture?.enrollments ?? {})) {
    if (enrollment.status !== 'active' || !enrollment.dueAt) continue;
    if (!earliest || enrollment.dueAt < earliest) earliest = enrollment.dueAt;
  }
  return earliest;
}

/** The due-index time of a lead: its earliest due step, or the end of tick's lease when later. */
export function dueIndexTime(nurture: LeadNurture | undefined): string | undefined {
  const due = earliestDue(nurture);
  if (!due) return undefined;
  const lease = nurture?.leasedUntil;
  return lease && lease > due ? lease : due;
}

/**
 * How long a claim may belong to a run still sending it: longer than send-email may run (60 s,
 * infra/stacks/consumer-timeouts.ts). Until then the claim keeps the lead off the due index and
 * other runs leave it alone; after it, the sender is gone and the claim is settled from the timeline.
 */
export const CLAIM_TIMEOUT_MS = 2 * 60_000;

/** Claimed by a run that may still be sending it (a duplicate job, a tick during the SES call). */
export function inFlight(enrollment: Enrollment, now: Date): boolean {
  const claim = enrollment.sending;
  return (
    claim !== undefined &&
    claim.step === enrollment.step &&
    now.getTime() - Date.parse(claim.at) < CLAIM_TIMEOUT_MS
  );
}

/** Whether any enrollment of the lead has a step being sent right now. */
export function sendInFlight(nurture: LeadNurture | undefined, now: Date): boolean {
  return Object.values(nurture?.enrollments ?? {}).some((e) => inFlight(e, now));
}
