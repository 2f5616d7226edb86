import { type ActiveModel, settleLead } from '../leads/evolve';
import type { Activity, ActivityEffect, LeadState } from '../leads/lead';
import { applyActivity, emptyAggregate } from './score';

/** Activities that are records of scoring itself, not behaviour to score. */
const NOT_SCORED = new Set(['score_changed']);

/**
 * A lead as a model would see it: the aggregate rebuilt from the timeline (oldest first),
 * then scored and settled (stage, hand-off). Used by rescoring, simulation and backtests.
 */
export function rescoreLead(
  active: ActiveModel,
  lead: LeadState,
  activities: Activity[],
  now: Date,
): { next: LeadState; effect: ActivityEffect } {
  let aggregate = emptyAggregate();
  const oldestFirst = [...activities]
    .filter((a) => !NOT_SCORED.has(a.type))
    .sort((a, b) => a.at.localeCompare(b.at) || a.activityId.localeCompare(b.activityId));
  for (const activity of oldestFirst)
    aggregate = applyActivity(active.model, aggregate, activity, now).aggregate;
  const draft: LeadState = { ...lead, aggregate, version: lead.version + 1, updatedAt: now.toISOString() };
  return settleLead(lead, draft, active, now);
}

/** The timeline entry a rescore leaves when the score moved: which model, from what to what. */
export function scoreChangedActivity(
  lead: LeadState,
  effect: ActivityEffect,
  modelVersion: number,
  now: Date,
): Activity {
  return {
    activityId: `act_rescore_${lead.leadId.slice(3)}_v${modelVersion}`,
    leadId: lead.leadId,
    type: 'score_changed',
    at: now.toISOString(),
    source: `model:v${modelVersion}`,
    effect,
  };
}
