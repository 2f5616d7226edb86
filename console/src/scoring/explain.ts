import type { EngagementRule, FitOperator, FitRule, ScoringModel } from './types';

/** The model in words, for marketers who do not read YAML: one sentence per rule and per threshold. */

const pts = (n: number) => `${n > 0 ? '+' : ''}${n} point${Math.abs(n) === 1 ? '' : 's'}`;
const list = (items: readonly (string | number)[]) => items.map((i) => `“${i}”`).join(', ');

const DOMAIN_WORDS = {
  business: 'a business address (not a free or throwaway mailbox)',
  free: 'a free mailbox (Gmail, Outlook…)',
  disposable: 'a throwaway (disposable) address',
} as const;

/** Which operator a fit rule's `when` uses. */
export function operatorOf(rule: Pick<FitRule, 'when'>): FitOperator {
  const when = rule.when as Record<string, unknown>;
  for (const op of ['containsAny', 'in', 'range', 'present', 'equals', 'emailDomain'] as const)
    if (op in when) return op;
  return 'equals';
}

export function explainFit(rule: FitRule): string {
  const when = rule.when;
  if ('emailDomain' in when)
    return `${pts(rule.points)} when the email is ${DOMAIN_WORDS[when.emailDomain]}.`;
  const field = when.field;
  if ('containsAny' in when)
    return `${pts(rule.points)} when ${field} contains any of the words ${list(when.containsAny)} (whole words, any case).`;
  if ('in' in when) return `${pts(rule.points)} when ${field} is one of ${list(when.in)}.`;
  if ('range' in when) {
    const { min, max } = when.range;
    const range =
      min !== undefined && max !== undefined
        ? `between ${min} and ${max}`
        : min !== undefined
          ? `${min} or more`
          : `${max} or less`;
    return `${pts(rule.points)} when ${field} is ${range}.`;
  }
  if ('present' in when)
    return `${pts(rule.points)} when ${field} is ${when.present ? 'filled in' : 'left empty'}.`;
  return `${pts(rule.points)} when ${field} equals “${String(when.equals)}”.`;
}

export function explainEngagement(rule: EngagementRule): string {
  const { activity, formId, pathPrefix } = rule.when;
  const what = formId
    ? `${activity.replaceAll('_', ' ')} on form ${formId}`
    : pathPrefix
      ? `${activity.replaceAll('_', ' ')} under ${pathPrefix}`
      : activity.replaceAll('_', ' ');
  const caps = [
    rule.cap?.perDay !== undefined ? `at most ${rule.cap.perDay} a day` : '',
    rule.cap?.total !== undefined ? `at most ${rule.cap.total} in all` : 'no limit in all',
  ].filter(Boolean);
  return `${pts(rule.points)} each time: ${what} (${caps.join(', ')}).`;
}

export function explainDecay(decay: ScoringModel['decay']): string {
  if (decay === 'off' || decay === false || decay === undefined)
    return 'Engagement points never fade: a click from a year ago counts as much as one today.';
  return `Engagement points halve every ${decay.halfLifeDays} days: old activity counts less and less.`;
}

export function explainGrades(grades: ScoringModel['grades']): string {
  return `Grade by fit points: A from ${grades.A}, B from ${grades.B}, C from ${grades.C}, D from ${grades.D}; below ${grades.D} is F.`;
}

export function explainThresholds(thresholds: ScoringModel['thresholds']): string {
  const grade = thresholds.hotMinGrade ? ` and a fit grade of ${thresholds.hotMinGrade} or better` : '';
  return `A lead becomes marketing qualified (MQL) at ${thresholds.mql} points in all, and hot — handed to sales — at ${thresholds.hot} points${grade}.`;
}
