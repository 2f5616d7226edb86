import { DAY_MS, dayOf } from './days';
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

/**
 * One rule's days as two parallel arrays, oldest first, each day once: scoring walks hundreds of
 * them per lead, and plain arrays of small integers are what JSON and DynamoDB give back fastest.
 */
export interface RuleHistory {
  /** UTC days, as days since 1970-01-01 (`dayOf`), ascending, no repeats. */
  days: number[];
  /** `counts[i]`: how many activities matched the rule on `days[i]`. */
  counts: number[];
  /**
   * Older days folded into one figure, already limited by the per-day cap (so it may be
   * fractional). It counts first against the total cap; with decay it is as old as `earlierDay`.
   */
  earlier?: number;
  /** The newest day folded into `earlier`, as days since 1970-01-01. */
  earlierDay?: number;
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
  const day = dayOf(at);
  const horizon = rules.halfLifeDays === undefined ? FOLD_AFTER_DAYS : KEEP_HALF_LIVES * rules.halfLifeDays;
  const cutoff = dayOf(now.getTime() - horizon * DAY_MS);

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

/** Whether the days are as written here: ascending whole days, each once, each with a count. */
export function inOrder(history: RuleHistory): boolean {
  const { days, counts } = history;
  if (!Array.isArray(days) || !Array.isArray(counts) || days.length !== counts.length) return false;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < days.length; i += 1) {
    const day = days[i] as number;
    const count = counts[i];
    if (!(day > last) || !Number.isInteger(day) || typeof count !== 'number' || !(count > 0)) return false;
    last = day;
  }
  return true;
}

/**
 * The same history as written here, from one made elsewhere: days sorted, a repeated day's
 * counts added up, entries that are not a day with a count dropped.
 */
export function normalized(history: RuleHistory): RuleHistory {
  const days = Array.isArray(history.days) ? history.days : [];
  const counts = Array.isArray(history.counts) ? history.counts : [];
  const entries: [number, number][] = [];
  days.forEach((day, i) => {
    const count = counts[i];
    if (Number.isInteger(day) && typeof count === 'number' && count > 0) entries.push([day, count]);
  });
  entries.sort((a, b) => a[0] - b[0]);
  const next: RuleHistory = { ...history, days: [], counts: [] };
  for (const [day, count] of entries) {
    const last = next.days.length - 1;
    if (next.days[last] === day) next.counts[last] = (next.counts[last] ?? 0) + count;
    else {
      next.days.push(day);
      next.counts.push(count);
    }
  }
  return next;
}

/** One more activity on `day`, keeping the days oldest first. */
function withDay(history: RuleHistory | undefined, day: number): RuleHistory {
  if (!history) return { days: [day], counts: [1] };
  const { days, counts } = inOrder(history) ? history : normalized(history);
  // Usually today or yesterday: search from the newest end.
  let at = days.length;
  while (at > 0 && (days[at - 1] as number) > day) at -= 1;
  const nextDays = days.slice();
  const nextCounts = counts.slice();
  if (at > 0 && days[at - 1] === day) nextCounts[at - 1] = (counts[at - 1] as number) + 1;
  else {
    nextDays.splice(at, 0, day);
    nextCounts.splice(at, 0, 1);
  }
  return { ...history, days: nextDays, counts: nextCounts };
}

function needsPruning(history: RuleHistory, cutoff: number, grown: boolean): boolean {
  if (history.earlierDay !== undefined && history.earlierDay < cutoff) return true;
  const first = history.days[0];
  if (first !== undefined && first < cutoff) return true;
  // Only a rule that just grew can have gone past the day limit.
  return grown && history.days.length > MAX_DAYS_PER_RULE;
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
  cutoff: number,
  decays: boolean,
): RuleHistory | undefined {
  const keep = !decays || rule?.cap?.total !== undefined;
  let earlier = history.earlier ?? 0;
  let earlierDay = history.earlierDay;
  const { days: allDays, counts: allCounts } = inOrder(history) ? history : normalized(history);
  const days: number[] = [];
  const counts: number[] = [];
  const overflow = allDays.length - MAX_DAYS_PER_RULE;
  for (let i = 0; i < allDays.length; i += 1) {
    const day = allDays[i] as number;
    const count = allCounts[i] as number;
    if (day >= cutoff && i >= overflow) {
      days.push(day);
      counts.push(count);
      continue;
    }
    if (day < cutoff && !keep) continue;
    // In activities' worth of the rule's points, per-day cap applied, so later caps still see the truth.
    earlier += rule && rule.points !== 0 ? dayPoints(rule, count) / Math.abs(rule.points) : count;
    earlierDay = earlierDay === undefined || day > earlierDay ? day : earlierDay;
  }
  const stale = !keep && earlierDay !== undefined && earlierDay < cutoff;
  const next: RuleHistory = { days, counts };
  if (earlier > 0 && !stale) {
    next.earlier = earlier;
    if (earlierDay !== undefined) next.earlierDay = earlierDay;
  }
  return days.length === 0 && next.earlier === undefined ? undefined : next;
}
