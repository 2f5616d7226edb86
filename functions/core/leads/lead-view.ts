import * as z from 'zod/mini';
import { SUPPRESSION_REASONS, type Suppression } from '../consent/suppression';
import { ownedBySales } from '../handoff/hot-lead-message';
import type { PathToHot } from '../scoring/path-to-hot';
import { scoreSchema } from '../scoring/responses';
import { handoffHistory, handoffHistoryEntrySchema } from './handoff-history';
import {
  type Activity,
  type FieldValue,
  type Handoff,
  type LeadState,
  type ProfileField,
  SALES_OUTCOMES,
  STAGES,
} from './lead';
import { pathToHotSchema } from './path-to-hot-schema';

const fieldValue = z.union([z.string(), z.number(), z.boolean()]);
// Attribution values are strings; a key whose value is undefined is not in the JSON at all.
const touchSchema = z.catchall(z.object({ at: z.string(), source: z.string() }), z.optional(z.string()));
const describe = <T extends z.ZodMiniType>(schema: T, text: string) => schema.check(z.describe(text));

/** A hand-off as people see it: the claim without what proves it (nonce, receipt). */
export const handoffViewSchema = z.object({
  number: z.number(),
  status: z.enum(['pending', 'sent', 'claimed', 'closed']),
  becameHotAt: z.string(),
  rules: z.array(z.string()),
  sentAt: z.optional(z.string()),
  claim: z.optional(z.object({ rep: z.string(), claimedAt: z.string(), expiresAt: z.string() })),
  closedAt: z.optional(z.string()),
  outcome: z.optional(z.enum(SALES_OUTCOMES)),
});

export const consentRecordSchema = z.object({
  granted: z.boolean(),
  text: z.string(),
  at: z.string(),
  source: z.string(),
  ip: z.optional(z.string()),
  pendingConfirmation: z.optional(
    describe(z.boolean(), 'Given on a double opt-in form: waits for the confirmation link.'),
  ),
  doubleOptIn: z.optional(describe(z.boolean(), 'Confirmed through the double opt-in link.')),
});

export const enrollmentViewSchema = z.object({
  sequenceId: z.string(),
  number: z.number(),
  status: z.enum(['active', 'completed', 'exited']),
  enrolledAt: z.string(),
  step: describe(z.number(), 'The index of the next step (active), or of the step it ended at.'),
  dueAt: z.nullable(z.string()),
  endedAt: z.nullable(z.string()),
  reason: z.nullable(z.string()),
});

/** An activity on the timeline: its own fields (properties, attribution, effect...) beside these. */
export const timelineEntrySchema = z.looseObject({
  type: z.string(),
  at: z.string(),
  activityId: z.string(),
  source: z.string(),
  formId: z.optional(z.string()),
  consentGranted: z.optional(z.boolean()),
  by: z.optional(
    describe(
      z.object({ name: z.string(), username: z.optional(z.string()) }),
      'The person (or API token) who made it: notes, outcomes, manual enrollments.',
    ),
  ),
});

/** The lead as GET /v1/admin/leads... answers it; the OpenAPI `Lead` schema is this schema. */
export const leadViewSchema = z.object({
  leadId: z.string(),
  email: z.string(),
  stage: z.enum(STAGES),
  profile: z.record(z.string(), fieldValue),
  fieldSources: z.record(z.string(), z.object({ source: z.string(), at: z.string() })),
  score: z.nullable(
    describe(scoreSchema, 'From the active scoring model; null until a model was published.'),
  ),
  pathToHot: z.nullable(
    describe(pathToHotSchema, 'What it would take to become hot under the active model; null without one.'),
  ),
  handoff: z.nullable(handoffViewSchema),
  handoffs: describe(
    z.array(handoffHistoryEntrySchema),
    'Every hand-off to sales, newest first: when and why hot, claim, outcomes, releases, reassignments.',
  ),
  ownedBySales: describe(z.boolean(), 'True while a hand-off is open: nurture holds its emails.'),
  owner: z.nullable(
    describe(
      z.object({ rep: z.string(), repName: z.string(), since: z.string() }),
      'The rep sales gave the lead to (an outcome such as contacted or meeting booked); null otherwise.',
    ),
  ),
  consent: z.array(consentRecordSchema),
  suppressed: z.nullable(
    describe(
      z.object({ reason: z.enum(SUPPRESSION_REASONS), at: z.string() }),
      'On the suppression list (unsubscribed, bounced, complained): never emailed again.',
    ),
  ),
  marketingConsent: z.nullable(z.object({ granted: z.boolean(), at: z.string(), source: z.string() })),
  optIn: z.nullable(
    describe(
      z.object({
        formId: z.string(),
        text: z.string(),
        requestedAt: z.string(),
        status: z.enum(['pending', 'confirmed', 'withdrawn']),
        confirmedAt: z.optional(z.string()),
      }),
      'Double opt-in: the confirmation asked for (pending), clicked (confirmed) or withdrawn.',
    ),
  ),
  firstTouch: z.nullable(touchSchema),
  lastTouch: z.nullable(touchSchema),
  enrollments: describe(
    z.array(enrollmentViewSchema),
    'Sequence enrollments and broadcasts: status, the next step and when it is due, why it ended.',
  ),
  timeline: describe(z.array(timelineEntrySchema), 'Newest first.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type LeadView = z.infer<typeof leadViewSchema>;
export type EnrollmentView = z.infer<typeof enrollmentViewSchema>;
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
type HandoffView = z.infer<typeof handoffViewSchema>;

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

/** What the view adds beside the stored lead: the time it is read at and the path to hot. */
export interface ViewContext {
  now: Date;
  pathToHot: PathToHot | null;
}

/** The lead as marketing and sales see it: profile values, consent history, timeline newest first. */
export function toLeadView(
  lead: LeadState,
  activities: Activity[],
  suppression?: Suppression,
  context: ViewContext = { now: new Date(lead.updatedAt), pathToHot: null },
): LeadView {
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
    pathToHot: context.pathToHot,
    handoff: lead.handoff ? viewOfHandoff(lead.handoff) : null,
    handoffs: handoffHistory(lead.handoff, activities, context.now),
    ownedBySales: ownedBySales(lead),
    owner: lead.owner ? { rep: lead.owner.rep, repName: lead.owner.repName, since: lead.owner.since } : null,
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
function viewOfHandoff(handoff: Handoff): HandoffView {
  // Field by field: what else the hand-off keeps (the claim's proof, figures for reports) stays inside.
  const { number, status, becameHotAt, rules, sentAt, claim, closedAt, outcome } = handoff;
  return {
    number,
    status,
    becameHotAt,
    rules,
    ...(sentAt ? { sentAt } : {}),
    ...(claim ? { claim: { rep: claim.rep, claimedAt: claim.claimedAt, expiresAt: claim.expiresAt } } : {}),
    ...(closedAt ? { closedAt } : {}),
    ...(outcome ? { outcome } : {}),
  };
}
