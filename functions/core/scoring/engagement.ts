import type { RuleHistory } from './aggregate';
import { type DecayClock, dayNumber } from './days';
import type { EngagementRule } from './model-schema';

export interface RuleScore {
  /** Signed, decayed points at full precision. */
  points: number;
  reason: string;
}

/** What the reason says about a rule's history. */
interface Seen {
  activities: number;
  daysSeen: number;
  first: string;
  last: string;
  earlier: number;
  cappedDays: number;
  totalCapped: boolean;
  counted: number;
  decayed: number;
}

/**
 * One rule's engagement points now. Per day at most `cap.perDay`; over all time at most
 * `cap.total`, earliest days first (later points beyond the cap do not count); then each
 * day's counted points × the decay factor of that day (no clock: no decay).
 */
export function scoreRule(
  rule: EngagementRule,
  history: RuleHistory,
  clock: DecayClock | undefined,
  sorted = false,
): RuleScore {
  // The hot loop of scoring (hundreds of day buckets per lead): locals only, no allocation per day.
  const magnitude = Math.abs(rule.points);
  const perDay = rule.cap?.perDay ?? Number.POSITIVE_INFINITY;
  let budget = rule.cap?.total ?? Number.POSITIVE_INFINITY;
  let totalCapped = false;
  let counted = 0;
  let decayed = 0;
  const earlier = history.earlier ?? 0;
  if (earlier > 0) {
    const points = earlier * magnitude;
    const take = Math.min(points, budget);
    const day = history.earlierDay === undefined ? Number.NaN : dayNumber(history.earlierDay);
    totalCapped = take < points;
    budget -= take;
    counted += take;
    // Without a known day (a hand-made aggregate), earlier counts in full.
    decayed += clock && !Number.isNaN(day) ? take * clock.factor(day) : take;
  }
  const { days } = history;
  let activities = 0;
  let daysSeen = 0;
  let cappedDays = 0;
  let first = '';
  let last = '';
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const key in days) {
    const count = days[key] as number;
    const day = dayNumber(key);
    // Skips zero counts and keys that are not days.
    if (!(count > 0) || Number.isNaN(day)) continue;
    // Days are written oldest first; an aggregate from elsewhere that is not gets sorted once.
    if (day < lastDay && !sorted)
      return scoreRule(rule, { ...history, days: chronological(days) }, clock, true);
    activities += count;
    daysSeen += 1;
    if (daysSeen === 1) first = key;
    last = key;
    lastDay = day;
    let points = count * magnitude;
    if (points > perDay) {
      points = perDay;
      cappedDays += 1;
    }
    let take = points;
    if (take > budget) {
      take = budget;
      totalCapped = true;
    }
    budget -= take;
    counted += take;
    decayed += clock ? take * clock.factor(day) : take;
  }
  const seen = { activities, daysSeen, first, last, earlier, cappedDays, totalCapped, counted, decayed };
  return { points: (rule.points < 0 ? -1 : 1) * decayed, reason: describe(rule, seen, history.earlierDay) };
}

function chronological(days: Record<string, number>): Record<string, number> {
  const sorted: Record<string, number> = {};
  for (const key of Object.keys(days).sort()) sorted[key] = days[key] as number;
  return sorted;
}

/** E.g. `3 × email_clicked on 2026-11-20 (capped at 10/day), decayed ×0.84`. */
function describe(rule: EngagementRule, seen: Seen, earlierDay: string | undefined): string {
  const what = activityText(rule);
  const upTo = earlierDay === undefined ? '' : ` up to ${earlierDay}`;
  let text = seen.daysSeen === 0 ? `older ${what} activity${upTo}` : `${seen.activities} × ${what}`;
  if (seen.daysSeen === 1) text += ` on ${seen.first}`;
  else if (seen.daysSeen > 1) text += ` on ${seen.daysSeen} days, ${seen.first} to ${seen.last}`;
  if (seen.earlier > 0 && seen.daysSeen > 0) text += `, plus older activity${upTo}`;
  if (seen.cappedDays > 0) {
    const on = seen.daysSeen > 1 ? ` on ${seen.cappedDays} ${seen.cappedDays === 1 ? 'day' : 'days'}` : '';
    text += ` (capped at ${rule.cap?.perDay}/day${on}${seen.totalCapped ? `; total capped at ${rule.cap?.total})` : ')'}`;
  } else if (seen.totalCapped) {
    text += ` (total capped at ${rule.cap?.total})`;
  }
  if (seen.counted > 0 && seen.decayed < seen.counted)
    text += `, decayed ×${twoDecimals(seen.decayed / seen.counted)}`;
  return text;
}

function activityText(rule: EngagementRule): string {
  const { activity, formId, pathPrefix } = rule.when;
  if (formId !== undefined) return `${activity} "${formId}"`;
  if (pathPrefix !== undefined) return `${activity} under ${pathPrefix}`;
  return activity;
}

/** A factor in [0, 1] as "0.84": toFixed is a measurable share of scoring. */
function twoDecimals(factor: number): string {
  const hundredths = Math.round(factor * 100);
  if (hundredths >= 100) return '1.00';
  return hundredths < 10 ? `0.0${hundredths}` : `0.${hundredths}`;
}
