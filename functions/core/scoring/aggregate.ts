import { DAY_MS, dayKey } from './days';
import type { EngagementRule } from './model-schema';

/**
 * The compact engagement history stored on the lead: per rule, how many matching activities
 * each UTC day. Counts, not points, so a new model version re-weights the same history, and a
 * score is always explained by the aggregate and the model alone.
 */
export interface EngagementAggregate {
  rules: Record<string, RuleHistory>;
  /** The last APPLIED_KEPT activity ids applied, newest last: a retried activity is recognised. */
  applied: string[];
}

export interface RuleHistory {
  /** 'YYYY-MM-DD' (UTC) -> activities that matched the rule that day; written oldest first. */
  days: Record<string, number>;
  /**
   * Older days folded into one figure, already limited by the per-day cap (so it may be
   * fractional). It counts first against the total cap; with decay it is as old as `earlierDay`.
   */
  earlier?: number;
  /** The newest day folded into `earlier`. */
  earlierDay?: string;
}

export interface ActivityToApply {
  activityId: string;
  type: string;
  /** ISO time the activity happened; its UTC day is the bucket. */
  at: string;
  formId?: string;
  properties?: Record<string, unknown>;
}

export const APPLIED_KEPT = 50;
/** Without decay, days older than this fold into `earlier`: nothing depends on their age. */
export const FOLD_AFTER_DAYS = 400;
/** With decay, days older than this many half-lives keep under 0.1% of their points. */
export const KEEP_HALF_LIVES = 10;
/** Bounds the lead item however busy the lead: the oldest days beyond it fold into `earlier`. */
export const MAX_DAYS_PER_RULE = 90;

export const emptyAggregate = (): EngagementAggregate => ({ rules: {}, applied: [] });

/** The rule's points for one day's count, limited by its per-day cap. */
export function dayPoints(rule: EngagementRule, count: number): number {
  const raw = count * Math.abs(rule.points);
  const perDay = rule.cap?.perDay;
  return perDay !== undefined && raw > perDay ? perDay : raw;
}

/** Whether an activity counts for a rule; compiled once per model. */
export type ActivityMatcher = (activity: ActivityToApply, path: string | undefined) => boolean;

export function compileMatcher(rule: EngagementRule): ActivityMatcher {
  const { activity: type, formId, pathPrefix } = rule.when;
  const prefix = pathPrefix?.toLowerCase();
  const folder = prefix === undefined || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return (activity, path) => {
    if (activity.type !== type) return false;
    if (formId !== undefined && activity.formId !== formId) return false;
    if (prefix === undefined || folder === undefined) return true;
    // Whole path segments: "/pricing" matches "/pricing" and "/pricing/teams", not "/pricing-history".
    return path !== undefined && (path === prefix || path.startsWith(folder));
  };
}

/** A viewed page's path: `properties.path`, else the pathname of `properties.url`; lower-cased, no query. */
export function pagePath(properties: Record<string, unknown> | undefined): string | undefined {
  const path = properties?.path;
  if (typeof path === 'string' && path.startsWith('/')) return path.split(/[?#]/, 1)[0]?.toLowerCase();
  const url = properties?.url;
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url, 'https://leadflow.invalid').pathname.toLowerCase();
  } catch {
    return undefined;
  }
}

export interface EngagementRules {
  matchers: readonly { id: string; matches: ActivityMatcher }[];
  byId: ReadonlyMap<string, EngagementRule>;
  halfLifeDays: number | undefined;
}

/**
 * Adds one to the activity's UTC day for every rule it matches, remembers its id (so a retry
 * changes nothing), and prunes relative to `now`. Never mutates the given aggregate.
 */
export function addActivity(
  rules: EngagementRules,
  aggregate: EngagementAggregate,
  activity: ActivityToApply,
  now: Date,
): { aggregate: EngagementAggregate; matched: string[]; duplicate: boolean } {
  if (aggregate.applied.includes(activity.activityId)) return { aggregate, matched: [], duplicate: true };
  const at = Date.parse(activity.at);
  if (Number.isNaN(at))
    throw new RangeError(`activity ${activity.activityId} has no valid time: "${activity.at}"`);
  const path = activity.type === 'page_viewed' ? pagePath(activity.properties) : undefined;
  const matched = rules.matchers.filter((rule) => rule.matches(activity, path)).map((rule) => rule.id);
  const day = dayKey(at);
  const horizon = rules.halfLifeDays === undefined ? FOLD_AFTER_DAYS : KEEP_HALF_LIVES * rules.halfLifeDays;
  const cutoff = dayKey(now.getTime() - horizon * DAY_MS);

  const ids = Object.keys(aggregate.rules);
  for (const id of matched) if (!Object.hasOwn(aggregate.rules, id)) ids.push(id);
  const next: Record<string, RuleHistory> = {};
  for (const id of ids.sort()) {
    const grown = matched.includes(id);
    let history = Object.hasOwn(aggregate.rules, id) ? aggregate.rules[id] : undefined;
    if (grown) history = withDay(history, day);
    if (!history) continue;
    const pruned = needsPruning(history, cutoff, grown)
      ? prune(history, rules.byId.get(id), cutoff, rules.halfLifeDays !== undefined)
      : history;
    if (pruned) next[id] = pruned;
  }
  // Every activity is remembered, matched or not: the lead's own dedupe of retries relies on it.
  const applied = [...aggregate.applied, activity.activityId].slice(-APPLIED_KEPT);
  return { aggregate: { rules: next, applied }, matched, duplicate: false };
}

/** One more activity on `day`, keeping the days oldest first. */
function withDay(history: RuleHistory | undefined, day: string): RuleHistory {
  const days = history?.days ?? {};
  const keys = Object.keys(days);
  const count = (days[day] ?? 0) + 1;
  const last = keys[keys.length - 1];
  if (Object.hasOwn(days, day) || last === undefined || last < day) {
    return { ...history, days: { ...days, [day]: count } };
  }
  const sorted: Record<string, number> = {};
  for (const key of [...keys, day].sort()) sorted[key] = key === day ? count : (days[key] ?? 0);
  return { ...history, days: sorted };
}

function needsPruning(history: RuleHistory, cutoff: string, grown: boolean): boolean {
  if (history.earlierDay !== undefined && history.earlierDay < cutoff) return true;
  for (const first in history.days) {
    if (first < cutoff) return true;
    break;
  }
  // Only a rule that just grew can have gone past the day limit.
  return grown && Object.keys(history.days).length > MAX_DAYS_PER_RULE;
}

/**
 * With decay, days older than KEEP_HALF_LIVES half-lives go (their points are < 0.1%); a rule
 * with a total cap keeps them folded in `earlier`, because they still used up the cap. Without
 * decay, days older than FOLD_AFTER_DAYS fold into `earlier`: points do not age, so the score
 * stays the same. Beyond MAX_DAYS_PER_RULE days the oldest fold too. Undefined: nothing left.
 */
function prune(
  history: RuleHistory,
  rule: EngagementRule | undefined,
  cutoff: string,
  decays: boolean,
): RuleHistory | undefined {
  const keep = !decays || rule?.cap?.total !== undefined;
  let earlier = history.earlier ?? 0;
  let earlierDay = history.earlierDay;
  const days: Record<string, number> = {};
  const keys = Object.keys(history.days)
    .filter((key) => (history.days[key] ?? 0) > 0)
    .sort();
  const overflow = keys.length - MAX_DAYS_PER_RULE;
  let kept = 0;
  keys.forEach((key, i) => {
    const count = history.days[key] ?? 0;
    if (key >= cutoff && i >= overflow) {
      days[key] = count;
      kept += 1;
      return;
    }
    if (key < cutoff && !keep) return;
    // In activities' worth of the rule's points, per-day cap applied, so later caps still see the truth.
    earlier += rule && rule.points !== 0 ? dayPoints(rule, count) / Math.abs(rule.points) : count;
    earlierDay = earlierDay === undefined || key > earlierDay ? key : earlierDay;
  });
  const stale = !keep && earlierDay !== undefined && earlierDay < cutoff;
  const next: RuleHistory = { days };
  if (earlier > 0 && !stale) Object.assign(next, { earlier, earlierDay });
  return kept === 0 && next.earlier === undefined ? undefined : next;
}
