import {
  type ActivityToApply,
  addActivity,
  compileMatcher,
  type EngagementAggregate,
  type EngagementRules,
} from './aggregate';
import { Decay } from './days';
import { type CompiledEngagementRule, compileEngagementRule, scoreRule } from './engagement';
import { type CompiledFitRule, compileFitRule, LeadFacts, type ProfileValue } from './fit';
import type { Grade, ScoringModel } from './model-schema';

export type { ActivityToApply, EngagementAggregate, RuleHistory } from './aggregate';
export { emptyAggregate } from './aggregate';

export interface ScoreInput {
  email: string;
  profile: Record<string, ProfileValue>;
  aggregate: EngagementAggregate;
}

export interface BreakdownEntry {
  rule: string;
  kind: 'fit' | 'engagement';
  /** Rounded to one decimal; the entries add up to the score's total exactly. */
  points: number;
  reason: string;
}

export interface Score {
  fit: number;
  engagement: number;
  total: number;
  grade: Grade;
  mql: boolean;
  hot: boolean;
  /** Fit entries first, then engagement, each in model order; only rules that scored. */
  breakdown: BreakdownEntry[];
  modelVersion: number;
}

interface CompiledModel extends EngagementRules {
  fit: CompiledFitRule[];
  engagement: CompiledEngagementRule[];
  decay: Decay | undefined;
}

// A model scores many leads: compile its rules (word lists, sets, matchers, decay table) once per model object.
const compiled = new WeakMap<ScoringModel, CompiledModel>();

function compile(model: ScoringModel): CompiledModel {
  let done = compiled.get(model);
  if (!done) {
    const halfLifeDays = typeof model.decay === 'object' ? model.decay.halfLifeDays : undefined;
    done = {
      fit: model.fit.map(compileFitRule),
      engagement: model.engagement.map(compileEngagementRule),
      matchers: model.engagement.map((rule) => ({ id: rule.id, matches: compileMatcher(rule) })),
      byId: new Map(model.engagement.map((rule) => [rule.id, rule])),
      halfLifeDays,
      decay: halfLifeDays === undefined ? undefined : new Decay(halfLifeDays),
    };
    compiled.set(model, done);
  }
  return done;
}

/** Tenths, rounded half away from zero, so +0.05 and -0.05 round alike. */
function tenths(points: number): number {
  return Math.sign(points) * Math.round(Math.abs(points) * 10);
}

const GRADE_ORDER: Grade[] = ['A', 'B', 'C', 'D', 'F'];

function gradeOf(model: ScoringModel, fit: number): Grade {
  const { grades } = model;
  if (fit >= grades.A) return 'A';
  if (fit >= grades.B) return 'B';
  if (fit >= grades.C) return 'C';
  return fit >= grades.D ? 'D' : 'F';
}

/**
 * The lead's score under one model version, at `now`; pure and deterministic.
 * 1. Fit: each fit rule on the profile and email domain.
 * 2. Engagement: each engagement rule on its history in the aggregate (caps, then decay).
 * 3. Every scoring rule becomes one breakdown entry, rounded to one decimal; the figures are the
 *    sums of those entries, so the breakdown always adds up, and thresholds and grades compare
 *    the figures the marketer sees.
 */
export function scoreLead(model: ScoringModel, modelVersion: number, input: ScoreInput, now: Date): Score {
  const rules = compile(model);
  const lead = new LeadFacts(input.email, input.profile);
  const breakdown: BreakdownEntry[] = [];
  let fitTenths = 0;
  for (const rule of rules.fit) {
    const reason = rule.test(lead);
    if (reason === undefined) continue;
    const points = tenths(rule.points);
    if (points === 0) continue;
    fitTenths += points;
    breakdown.push({ rule: rule.id, kind: 'fit', points: points / 10, reason });
  }
  let engagementTenths = 0;
  const clock = rules.decay?.at(now.getTime());
  const stored = input.aggregate.rules;
  for (const rule of rules.engagement) {
    const { id } = rule;
    const history = Object.hasOwn(stored, id) ? stored[id] : undefined;
    if (!history) continue;
    const scored = scoreRule(rule, history, clock);
    const points = tenths(scored.points);
    if (points === 0) continue;
    engagementTenths += points;
    breakdown.push({ rule: id, kind: 'engagement', points: points / 10, reason: scored.reason });
  }
  const fit = fitTenths / 10;
  const total = (fitTenths + engagementTenths) / 10;
  const grade = gradeOf(model, fit);
  const { mql, hot, hotMinGrade } = model.thresholds;
  const gradeOk = hotMinGrade === undefined || GRADE_ORDER.indexOf(grade) <= GRADE_ORDER.indexOf(hotMinGrade);
  return {
    fit,
    engagement: engagementTenths / 10,
    total,
    grade,
    mql: total >= mql,
    hot: total >= hot && gradeOk,
    breakdown,
    modelVersion,
  };
}

/**
 * Records one activity in the aggregate: +1 on its UTC day (its `at`, not `now`) for every
 * engagement rule it matches, its id in `applied`, and pruning relative to `now`. An id already
 * applied (a retry) changes nothing: `duplicate: true`. Never mutates the given aggregate.
 */
export function applyActivity(
  model: ScoringModel,
  aggregate: EngagementAggregate,
  activity: ActivityToApply,
  now: Date,
): { aggregate: EngagementAggregate; matched: string[]; duplicate: boolean } {
  return addActivity(compile(model), aggregate, activity, now);
}
