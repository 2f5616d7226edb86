import type { RateLimit } from '../capture/ports';
import { requestConfirmation } from '../nurture/confirmation';
import { type ActiveNurture, CONSENT_CONFIRMED, nurtureOnActivity } from '../nurture/enroll';
import type { ScoringModel } from '../scoring/model-schema';
import { applyActivity, type EngagementAggregate, emptyAggregate, scoreLead } from '../scoring/score';
import { nextStage } from '../scoring/stage';
import { recordSeen } from '../segments/segments';
import type { Activity, ActivityEffect, FieldValue, LeadInput, LeadState, OptIn, ProfileField } from './lead';

export interface ActiveModel {
  model: ScoringModel;
  version: number;
}

/** One thing that happened to a lead: an activity, with the submitted profile when it came from a form. */
export interface LeadChange {
  leadId: string;
  email: string;
  activity: Activity;
  merge?: LeadInput;
  perEmail?: RateLimit;
  /** A double opt-in sign-up past the per-IP cap on confirmation emails: pending, but no email. */
  withholdConfirmation?: boolean;
}

export type Evolution =
  | { kind: 'rate_limited' }
  | { kind: 'duplicate' }
  | { kind: 'changed'; next: LeadState; effect: ActivityEffect };

const APPLIED_KEPT = 50;
const OPEN_HANDOFF = new Set(['pending', 'sent', 'claimed']);

/**
 * The next state of a lead after one change; pure, so every rule is unit-tested without a table.
 * 1. An activity id already applied (a retry) changes nothing.
 * 2. A form submission counts against the per-email limit of the current minute.
 * 3. Submitted fields merge (latest non-empty wins, with source and time); consent and touches
 *    recorded (double opt-in consent waits for its confirmation link, which is asked for here).
 * 4. The activity goes into the engagement aggregate; the active model scores the lead.
 * 5. The stage moves forward only; becoming hot with no open hand-off records a pending one (outbox),
 *    unless sales owns the lead (its owner sees the activity instead).
 * 6. Sequences: exit rules fire, triggers enroll (in this same write, so no enrollment is lost).
 */
export function evolveLead(
  prev: LeadState | undefined,
  change: LeadChange,
  active: ActiveModel | undefined,
  now: Date,
  nurture?: ActiveNurture,
): Evolution {
  const { activity, merge } = change;
  const prevAggregate = prev?.aggregate ?? emptyAggregate();
  if (prevAggregate.applied.includes(activity.activityId)) return { kind: 'duplicate' };

  let rate = prev?.rate;
  if (change.perEmail) {
    const { limit, window } = change.perEmail;
    if (rate?.window === window && rate.count >= limit) return { kind: 'rate_limited' };
    rate = { window, count: rate?.window === window ? rate.count + 1 : 1 };
  }

  const at = activity.at;
  const consent = consentOf(prev, change);
  // fromEntries defines own properties: a field named like an Object.prototype member stays a field.
  const profile: Record<string, ProfileField> = Object.fromEntries([
    ...Object.entries(prev?.profile ?? {}),
    ...Object.entries(merge?.fields ?? {}).map(([name, value]) => [
      name,
      { value, source: activity.source, at },
    ]),
  ]);
  const touch = merge ? { ...merge.attribution, at, source: activity.source } : undefined;

  const aggregate: EngagementAggregate = active
    ? applyActivity(active.model, prevAggregate, activity, now).aggregate
    : { ...prevAggregate, applied: [...prevAggregate.applied, activity.activityId].slice(-APPLIED_KEPT) };
  const draft: LeadState = {
    leadId: change.leadId,
    email: merge?.email ?? prev?.email ?? change.email,
    stage: prev?.stage ?? merge?.stage ?? 'lead',
    profile,
    marketingConsent: consent.grants
      ? { granted: true, at, source: activity.source }
      : prev?.marketingConsent,
    optIn: consent.optIn,
    firstTouch: prev?.firstTouch ?? touch,
    lastTouch: touch ?? prev?.lastTouch,
    createdAt: prev?.createdAt ?? at,
    updatedAt: now.toISOString(),
    version: (prev?.version ?? 0) + 1,
    aggregate,
    score: prev?.score ?? null,
    rate,
    handoff: prev?.handoff,
    ...(prev?.owner ? { owner: prev.owner } : {}),
    nurture: prev?.nurture,
    ...(prev?.test || merge?.test ? { test: true } : {}),
    lastSeen: recordSeen(prev?.lastSeen, activity),
  };
  // A form's intent moves a subscriber on to lead (a demo request is more than a newsletter).
  if (draft.stage === 'subscriber' && merge?.stage === 'lead') draft.stage = 'lead';
  const settled = settleLead(prev, draft, active, now);
  const sequences = nurtureOnActivity(prev, settled.next, activity, nurture, now);
  const enrolled = [...sequences.enrolled];
  if (consent.asksConfirmation && activity.formId && !settled.next.test && !change.withholdConfirmation) {
    const confirmation = requestConfirmation(sequences.nurture, activity.formId, nurture, now);
    sequences.nurture = confirmation.nurture;
    if (confirmation.enrolled) enrolled.push(confirmation.enrolled);
  }
  const effect: ActivityEffect = { ...settled.effect };
  if (enrolled.length > 0) effect.enrolled = enrolled;
  if (sequences.exiting.length > 0) effect.exiting = sequences.exiting;
  if (prev?.owner) effect.ownedBy = prev.owner.rep;
  return { kind: 'changed', next: { ...settled.next, nurture: sequences.nurture }, effect };
}

/**
 * What the consent given with a change means. Granted consent counts at once, except on a double
 * opt-in form: there it waits for the click on the confirmation link (a `consent_confirmed`
 * activity carries the confirmed record), and a confirmation email is asked for — unless the
 * lead is already subscribed, who need not confirm again.
 */
function consentOf(
  prev: LeadState | undefined,
  change: LeadChange,
): { grants: boolean; asksConfirmation: boolean; optIn: OptIn | undefined } {
  const { activity } = change;
  const consent = change.merge?.consent ?? activity.consent;
  // A confirmation counts only for the opt-in still pending from its form (not one withdrawn since).
  const confirms =
    activity.type === CONSENT_CONFIRMED &&
    prev?.optIn?.status === 'pending' &&
    prev.optIn.formId === activity.formId;
  const given = consent?.granted === true && (activity.type !== CONSENT_CONFIRMED || confirms);
  const pending = given && consent?.pendingConfirmation === true;
  const subscribed = prev?.marketingConsent?.granted === true;
  const asksConfirmation = pending && !subscribed && activity.formId !== undefined;
  let optIn = prev?.optIn;
  const formId = activity.formId;
  if (asksConfirmation && formId && consent) {
    optIn = { formId, text: consent.text, requestedAt: activity.at, status: 'pending' };
  } else if (confirms && prev?.optIn) {
    optIn = { ...prev.optIn, status: 'confirmed', confirmedAt: activity.at };
  }
  return { grants: given && !pending, asksConfirmation, optIn };
}

/**
 * Scores a drafted lead state and settles what follows from the score: the stage moves
 * forward only; becoming hot with no open hand-off and no owner in sales records a pending one
 * (the outbox). Shared by new activities and by rescoring under a new model.
 */
export function settleLead(
  prev: LeadState | undefined,
  draft: LeadState,
  active: ActiveModel | undefined,
  now: Date,
): { next: LeadState; effect: ActivityEffect } {
  const score = active
    ? scoreLead(
        active.model,
        active.version,
        { email: draft.email, profile: values(draft.profile), aggregate: draft.aggregate },
        now,
      )
    : draft.score;
  const stage = score ? nextStage(draft.stage, score) : draft.stage;
  let handoff = draft.handoff;
  // A lead sales owns (a rep took it on) is never handed off again: its activity reaches the owner.
  const becomesHot =
    score?.hot === true &&
    !(handoff && OPEN_HANDOFF.has(handoff.status)) &&
    !draft.owner &&
    stage !== 'disqualified' &&
    draft.test !== true;
  if (becomesHot && score) {
    const rules = score.breakdown.filter((entry) => entry.points > 0).map((entry) => entry.rule);
    handoff = {
      number: (handoff?.number ?? 0) + 1,
      status: 'pending',
      becameHotAt: now.toISOString(),
      rules,
      score: { total: score.total, grade: score.grade, modelVersion: score.modelVersion, rules },
    };
  }
  // The stage's clock restarts when the stage changes (a new lead's at its creation).
  const stageSince = prev?.stage === stage ? prev.stageSince : now.toISOString();
  const next: LeadState = { ...draft, score, stage, handoff, ...(stageSince ? { stageSince } : {}) };
  return { next, effect: effectOf(prev, next, active, becomesHot, draft.stage) };
}

function values(profile: Record<string, ProfileField>): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(profile).map(([name, field]) => [name, field.value]));
}

function effectOf(
  prev: LeadState | undefined,
  next: LeadState,
  active: ActiveModel | undefined,
  hot: boolean,
  drafted: LeadState['stage'],
) {
  const effect: ActivityEffect = {};
  // A new lead: the stage it came in at, then (below) where its first score moved it.
  if (!prev) effect.created = drafted;
  const from = prev?.score?.total ?? null;
  if (next.score && active && from !== next.score.total) {
    const before = new Map(prev?.score?.breakdown.map((e) => [e.rule, e.points]) ?? []);
    const rules = next.score.breakdown.filter((e) => before.get(e.rule) !== e.points).map((e) => e.rule);
    effect.score = { from, to: next.score.total, modelVersion: active.version, rules };
  }
  const stageBefore = prev?.stage ?? drafted;
  const since = prev ? prev.stageSince : next.stageSince;
  if (stageBefore !== next.stage)
    effect.stage = { from: stageBefore, to: next.stage, ...(since ? { since } : {}) };
  if (hot && next.handoff) {
    effect.handoff = next.handoff.number;
    if (next.handoff.score) effect.hot = next.handoff.score;
  }
  return effect;
}
