import { normalized, type RuleHistory } from './aggregate';
import { type DecayClock, dayText } from './days';
import type { EngagementRule } from './model-schema';

export interface RuleScore {
  /** Signed, decayed points at full precision. */
  points: number;
  reason: string;
}

/** An engagement rule with what scoring needs of it worked out once per model. */
export interface CompiledEngagementRule {
  id: string;
  /** The rule's points, unsigned. */
  magnitude: number;
  sign: 1 | -1;
  perDay: number;
  total: number;
  /** The reason's words for the rule's activity, e.g. `page_viewed under /pricing`. */
  what: string;
  /** The caps as the reason shows them. */
  perDayText: string;
  totalText: string;
}

export function compileEngagementRule(rule: EngagementRule): CompiledEngagementRule {
  return {
    id: rule.id,
    magnitude: Math.abs(rule.points),
    sign: rule.points < 0 ? -1 : 1,
    perDay: rule.cap?.perDay ?? Number.POSITIVE_INFINITY,
    total: rule.cap?.total ?? Number.POSITIVE_INFINITY,
    what: activityText(rule),
    perDayText: `${rule.cap?.perDay}`,
    totalText: `${rule.cap?.total}`,
  };
}

/** What the reason says about a rule's history. */
interface Seen {
  activities: number;
  daysSeen: number;
  firstDay: number;
  lastDay: number;
  earlier: number;
  earlierDay: number | undefined;
  cappedDays: number;
  totalCapped: boolean;
}

/**
 * One rule's engagement points now. Per day at most `cap.perDay`; over all time at most
 * `cap.total`, earliest days first (later points beyond the cap do not count); then each
 * day's counted points × the decay factor of that day (no clock: no decay).
 */
export function scoreRule(
  rule: CompiledEngagementRule,
  history: RuleHistory,
  clock: DecayClock | undefined,
  sorted = false,
): RuleScore {
  // The hot loop of scoring (hundreds of day buckets per lead): locals only, no allocation per day.
  const { magnitude, perDay } = rule;
  let budget = rule.total;
  let totalCapped = false;
  let counted = 0;
  let decayed = 0;
  const earlier = history.earlier ?? 0;
  // Without a known day (a hand-made aggregate), earlier counts in full and names no day.
  const earlierDay = Number.isInteger(history.earlierDay) ? (history.earlierDay as number) : undefined;
  if (earlier > 0) {
    const points = earlier * magnitude;
    const take = Math.min(points, budget);
    totalCapped = take < points;
    budget -= take;
    counted += take;
    decayed += clock && earlierDay !== undefined ? take * clock.factor(earlierDay) : take;
  }
  const { days, counts } = history;
  if (!sorted && !(Array.isArray(days) && Array.isArray(counts)))
    return scoreRule(rule, normalized(history), clock, true);
  const length = days.length;
  let activities = 0;
  let daysSeen = 0;
  let cappedDays = 0;
  let firstDay = 0;
  let lastDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i += 1) {
    const day = days[i] as number;
    const count = counts[i] as number;
    // Skips zero counts and entries that are not days.
    if (!(count > 0) || !Number.isInteger(day)) continue;
    // Days are written oldest first, each once; an aggregate from elsewhere that is not gets sorted once.
    if (day <= lastDay && !sorted) return scoreRule(rule, normalized(history), clock, true);
    activities += count;
    daysSeen += 1;
    if (daysSeen === 1) firstDay = day;
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
  const seen = { activities, daysSeen, firstDay, lastDay, earlier, earlierDay, cappedDays, totalCapped };
  return { points: rule.sign * decayed, reason: describe(rule, seen, counted, decayed) };
}

/** E.g. `3 × email_clicked on 2026-11-20 (capped at 10/day), decayed ×0.84`. */
function describe(rule: CompiledEngagementRule, seen: Seen, counted: number, decayed: number): string {
  const { what } = rule;
  const { activities, daysSeen, firstDay, lastDay, earlier, earlierDay, cappedDays, totalCapped } = seen;
  const upTo = earlierDay === undefined ? '' : ` up to ${dayText(earlierDay)}`;
  let text = daysSeen === 0 ? `older ${what} activity${upTo}` : `${activities} × ${what}`;
  if (daysSeen === 1) text += ` on ${dayText(firstDay)}`;
  else if (daysSeen > 1) text += ` on ${daysSeen} days, ${dayText(firstDay)} to ${dayText(lastDay)}`;
  if (earlier > 0 && daysSeen > 0) text += `, plus older activity${upTo}`;
  if (cappedDays > 0) {
    const on = daysSeen > 1 ? ` on ${cappedDays} ${cappedDays === 1 ? 'day' : 'days'}` : '';
    text += ` (capped at ${rule.perDayText}/day${on}${totalCapped ? `; total capped at ${rule.totalText})` : ')'}`;
  } else if (totalCapped) {
    text += ` (total capped at ${rule.totalText})`;
  }
  if (counted > 0 && decayed < counted) text += `, decayed ×${twoDecimals(decayed / counted)}`;
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
