import type { EngagementAggregate } from './aggregate';
import { compileEngagementRule, scoreRule } from './engagement';
import type { ProfileValue } from './fit';
import type { FitCondition, Grade, ScoringModel } from './model-schema';
import { scoreLead } from './score';

/** One rule that would bring the lead closer to hot, and what it takes. */
export interface HotStep {
  rule: string;
  kind: 'fit' | 'engagement';
  /** Points the step adds to its axis (a fit rule replacing another on the same field: the difference). */
  points: number;
  /** Activities it takes (engagement); 1 for a fit rule. */
  times: number;
  /** What the lead would do or tell: `form_submitted "demo-request"`, `jobTitle with vp, director…`. */
  what: string;
  /** The rule's per-day cap, when it limits how fast the activities count. */
  perDay?: number;
}

export type PathToHot =
  | { status: 'hot'; modelVersion: number }
  | { status: 'with_sales'; modelVersion: number }
  | {
      status: 'reachable' | 'unreachable';
      modelVersion: number;
      /** The score today (engagement fades), which the gap is measured from. */
      now: { fit: number; engagement: number; total: number; grade: Grade };
      hot: { total: number; minGrade: Grade | null; fitForGrade: number | null };
      /** Points short: fit to reach the minimum grade, engagement for the rest, total in all. */
      gap: { total: number; fit: number; engagement: number };
      /** The fewest rules that close the gap (unreachable: the most the rules can still give). */
      steps: HotStep[];
    };

export interface PathInput {
  email: string;
  profile: Record<string, ProfileValue>;
  aggregate: EngagementAggregate;
  /** A hand-off is open or a rep owns the lead: sales has it, scoring no longer decides. */
  withSales: boolean;
}

const tenth = (n: number) => Math.round(n * 10) / 10;
const list = (items: readonly unknown[]) =>
  items.length > 4 ? `${items.slice(0, 4).join(', ')}…` : items.join(', ');

/** The profile a fit condition asks for, in a marketer's words. */
export function conditionText(when: FitCondition): string {
  if ('emailDomain' in when) return `a ${when.emailDomain} email address`;
  if ('containsAny' in when) return `${when.field} with ${list(when.containsAny)}`;
  if ('in' in when) return `${when.field} one of ${list(when.in)}`;
  if ('range' in when) {
    const { min, max } = when.range;
    if (min !== undefined && max !== undefined) return `${when.field} ${min}–${max}`;
    return min !== undefined ? `${when.field} ${min} or more` : `${when.field} up to ${max}`;
  }
  if ('present' in when) return when.present ? `${when.field} given` : `no ${when.field}`;
  return `${when.field} = ${String(when.equals)}`;
}

/**
 * What it would take for a lead to become hot under `model`, measured from its score today.
 * 1. Hot already, or with sales: say so, nothing to close.
 * 2. Gaps: fit points to the model's `hotMinGrade`, then the total still short of `thresholds.hot`.
 * 3. Fit gap: profile rules the lead does not meet (not email domain: a new address is a new lead),
 *    largest gain first; a rule on a field another matched rule reads gains only the difference.
 * 4. The rest from engagement rules with positive points, most points per activity first, within
 *    their caps (total cap minus what the lead has counted; per-day cap per activity).
 * Pure: the same inputs give the same path.
 */
export function pathToHot(model: ScoringModel, modelVersion: number, input: PathInput, now: Date): PathToHot {
  const score = scoreLead(model, modelVersion, input, now);
  if (score.hot) return { status: 'hot', modelVersion };
  if (input.withSales) return { status: 'with_sales', modelVersion };
  const minGrade = model.thresholds.hotMinGrade ?? null;
  const fitForGrade = minGrade === null ? null : model.grades[minGrade];
  const fitGap = fitForGrade === null ? 0 : tenth(Math.max(0, fitForGrade - score.fit));
  const totalGap = tenth(Math.max(0, model.thresholds.hot - score.total));
  const fitSteps = cover(fitCandidates(model, score.breakdown), fitGap);
  const fitAdded = fitSteps.reduce((sum, s) => sum + s.points, 0);
  const engagementSteps = cover(engagementCandidates(model, input.aggregate), totalGap - fitAdded);
  const steps = [...fitSteps, ...engagementSteps];
  const closed =
    fitAdded >= fitGap && fitAdded + engagementSteps.reduce((s, x) => s + x.points, 0) >= totalGap;
  return {
    status: closed ? 'reachable' : 'unreachable',
    modelVersion,
    now: { fit: score.fit, engagement: score.engagement, total: score.total, grade: score.grade },
    hot: { total: model.thresholds.hot, minGrade, fitForGrade },
    gap: { total: totalGap, fit: fitGap, engagement: tenth(Math.max(0, totalGap - fitGap)) },
    steps,
  };
}

/** A rule that can still add points: `each` per activity (fit: once), at most `most` in all. */
interface Candidate extends Omit<HotStep, 'points' | 'times'> {
  each: number;
  most: number;
}

/** The fewest candidates (largest first, model order on ties) whose points reach `need`. */
function cover(candidates: Candidate[], need: number): HotStep[] {
  const steps: HotStep[] = [];
  let left = tenth(need);
  const sorted = [...candidates].sort((a, b) => b.each - a.each || b.most - a.most);
  for (const { each, most, ...step } of sorted) {
    if (left <= 0) break;
    const times = Math.min(Math.ceil(left / each), Math.ceil(most / each));
    const points = tenth(Math.min(times * each, most));
    steps.push({ ...step, points, times });
    left = tenth(left - points);
  }
  return steps;
}

function fieldOf(when: FitCondition): string | undefined {
  return 'field' in when ? when.field : undefined;
}

function fitCandidates(model: ScoringModel, breakdown: { rule: string; kind: string; points: number }[]) {
  const matched = new Map(breakdown.filter((b) => b.kind === 'fit').map((b) => [b.rule, b.points]));
  const heldByField = new Map<string, number>();
  for (const rule of model.fit) {
    const field = fieldOf(rule.when);
    const points = matched.get(rule.id);
    if (field !== undefined && points !== undefined)
      heldByField.set(field, (heldByField.get(field) ?? 0) + points);
  }
  const bestByField = new Map<string, Candidate>();
  for (const rule of model.fit) {
    const field = fieldOf(rule.when);
    if (field === undefined || matched.has(rule.id) || rule.points <= 0) continue;
    const gain = tenth(rule.points - Math.max(0, heldByField.get(field) ?? 0));
    const best = bestByField.get(field);
    if (gain <= 0 || (best && best.each >= gain)) continue;
    bestByField.set(field, {
      rule: rule.id,
      kind: 'fit',
      what: conditionText(rule.when),
      each: gain,
      most: gain,
    });
  }
  return [...bestByField.values()];
}

function engagementCandidates(model: ScoringModel, aggregate: EngagementAggregate): Candidate[] {
  const candidates: Candidate[] = [];
  for (const rule of model.engagement) {
    if (rule.points <= 0) continue;
    const compiled = compileEngagementRule(rule);
    const history = Object.hasOwn(aggregate.rules, rule.id) ? aggregate.rules[rule.id] : undefined;
    // Caps count points before decay: what the lead has used of the total cap so far.
    const used = history ? scoreRule(compiled, history, undefined).points : 0;
    const most = tenth(compiled.total - used);
    const each = Math.min(compiled.magnitude, compiled.perDay);
    if (most <= 0 || each <= 0) continue;
    candidates.push({
      rule: rule.id,
      kind: 'engagement',
      what: compiled.what,
      each,
      most,
      ...(rule.cap?.perDay === undefined ? {} : { perDay: rule.cap.perDay }),
    });
  }
  return candidates;
}
