import {
  type ActivityToApply,
  applyActivity,
  type EngagementAggregate,
  emptyAggregate,
  type Score,
  type ScoringModel,
  scoreLead,
  validateScoringModel,
} from '../../../functions/core/scoring';
import { dayNumber } from '../../../functions/core/scoring/days';

/** Shared fixtures of the scoring tests: small models built through the real schema. */

export const NOW = new Date('2026-11-20T12:00:00.000Z');

const defaults = { grades: { A: 50, B: 35, C: 20, D: 10 }, thresholds: { mql: 40, hot: 80 } };

export function modelOf(doc: Record<string, unknown>): ScoringModel {
  const result = validateScoringModel({ ...defaults, ...doc });
  if (!result.ok) throw new Error(`test model is invalid: ${JSON.stringify(result.errors)}`);
  return result.model;
}

/** The points and reason one fit rule gives, or undefined when it does not match. */
export function fitEntry(
  when: Record<string, unknown>,
  profile: Record<string, string | number | boolean>,
  email = 'ada@acme.io',
) {
  const model = modelOf({ fit: [{ id: 'rule', points: 10, when }] });
  return scoreLead(model, 1, { email, profile, aggregate: emptyAggregate() }, NOW).breakdown[0];
}

/** A 'YYYY-MM-DD' UTC day as the aggregate stores it: days since 1970-01-01. */
export function day(key: string): number {
  const number = dayNumber(key);
  if (Number.isNaN(number)) throw new Error(`not a day: ${key}`);
  return number;
}

let sequence = 0;

/** An activity with a fresh id. */
export function activity(type: string, at: string, extra: Partial<ActivityToApply> = {}): ActivityToApply {
  sequence += 1;
  return { activityId: `act-${sequence}`, type, at, ...extra };
}

export function applyAll(
  model: ScoringModel,
  activities: ActivityToApply[],
  now = NOW,
  aggregate: EngagementAggregate = emptyAggregate(),
): EngagementAggregate {
  return activities.reduce((current, next) => applyActivity(model, current, next, now).aggregate, aggregate);
}

export function score(
  model: ScoringModel,
  aggregate: EngagementAggregate,
  now = NOW,
  profile: Record<string, string | number | boolean> = {},
  email = 'ada@acme.io',
): Score {
  return scoreLead(model, 1, { email, profile, aggregate }, now);
}

/** The breakdown in whole tenths: what "adds up exactly" is measured in. */
export function tenthsOf(points: number): number {
  return Math.round(points * 10);
}
