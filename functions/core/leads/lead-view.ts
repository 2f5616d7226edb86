import type { Suppression } from '../consent/suppression';
import { ownedBySales } from '../handoff/hot-lead-message';
import type { Enrollment } from '../nurture/enrollment';
import type { Score } from '../scoring/score';
import type {
  Activity,
  ConsentRecord,
  FieldValue,
  Handoff,
  LeadRecord,
  LeadState,
  ProfileField,
} from './lead';

export interface TimelineEntry {
  type: string;
  at: string;
  activityId: string;
  source: string;
  formId?: string;
  [key: string]: unknown;
}

export interface LeadView {
  leadId: string;
  email: string;
  stage: string;
  profile: Record<string, FieldValue>;
  fieldSources: Record<string, Omit<ProfileField, 'value'>>;
  /** From the active scoring model; null until a model was published. */
  score: Score | null;
  handoff: Handoff | null;
  /** True while a hand-off is open: nurture holds its emails. */
  ownedBySales: boolean;
  consent: ConsentRecord[];
  /** On the suppression list (unsubscribed, bounced, complained): never emailed again. */
  suppressed: Pick<Suppression, 'reason' | 'at'> | null;
  marketingConsent: LeadRecord['marketingConsent'] | null;
  /** Double opt-in: the confirmation asked for (pending), clicked (confirmed) or withdrawn. */
  optIn: LeadRecord['optIn'] | null;
  firstTouch: LeadRecord['firstTouch'] | null;
  lastTouch: LeadRecord['lastTouch'] | null;
  /** Sequence enrollments and broadcasts: status, the next step and when it is due, why it ended. */
  enrollments: EnrollmentView[];
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
}

export interface EnrollmentView {
  sequenceId: string;
  number: number;
  status: Enrollment['status'];
  enrolledAt: string;
  /** The index of the next step (active), or of the step it ended at. */
  step: number;
  dueAt: string | null;
  endedAt: string | null;
  reason: string | null;
}

function enrollmentsOf(lead: LeadState): EnrollmentView[] {
  return Object.values(lead.nurture?.enrollments ?? {})
    .map((e) => ({
      sequenceId: e.sequenceId,
      number: e.number,
      status: e.status,
      enrolledAt: e.enrolledAt,
      step: e.step,
      dueAt: e.status === 'active' ? (e.dueAt ?? null) : null,
      endedAt: e.endedAt ?? null,
      reason: e.reason ?? e.exit ?? null,
    }))
    .sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt));
}

/** The lead as marketing and sales see it: profile values, consent history, timeline newest first. */
export function toLeadView(lead: LeadState, activities: Activity[], suppression?: Suppression): LeadView {
  // Nurture outcomes written with their decision but not stored yet (a send-email run died
  // between the two) are shown from the lead item; the next run stores them.
  const stored = new Set(activities.map((a) => a.activityId));
  const pending = (lead.nurture?.outbox ?? []).filter((a) => !stored.has(a.activityId));
  const newestFirst = [...activities, ...pending].sort(
    (a, b) => b.at.localeCompare(a.at) || b.activityId.localeCompare(a.activityId),
  );
  const profile: Record<string, FieldValue> = {};
  const fieldSources: Record<string, Omit<ProfileField, 'value'>> = {};
  for (const [name, field] of Object.entries(lead.profile)) {
    profile[name] = field.value;
    fieldSources[name] = { source: field.source, at: field.at };
  }
  return {
    leadId: lead.leadId,
    email: lead.email,
    stage: lead.stage,
    profile,
    fieldSources,
    score: lead.score,
    handoff: lead.handoff ? viewOfHandoff(lead.handoff) : null,
    ownedBySales: ownedBySales(lead),
    consent: newestFirst.flatMap((a) => (a.consent ? [a.consent] : [])),
    suppressed: suppression ? { reason: suppression.reason, at: suppression.at } : null,
    marketingConsent: lead.marketingConsent ?? null,
    optIn: lead.optIn ?? null,
    firstTouch: lead.firstTouch ?? null,
    lastTouch: lead.lastTouch ?? null,
    enrollments: enrollmentsOf(lead),
    timeline: newestFirst.map(({ leadId: _leadId, consent, ...entry }) => ({
      ...entry,
      ...(consent ? { consentGranted: consent.granted } : {}),
    })),
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
}

/**
 * The hand-off as people see it: who holds the claim and until when, never what proves the claim
 * (its id, a part of the claim token, and the SQS receipt stored beside it).
 */
function viewOfHandoff(handoff: Handoff): Handoff {
  if (!handoff.claim) return handoff;
  const { rep, claimedAt, expiresAt } = handoff.claim;
  return { ...handoff, claim: { rep, claimedAt, expiresAt } as Handoff['claim'] };
}
