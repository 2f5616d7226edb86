import type { LeadState } from '../leads/lead';

/** The rules that made the lead hot, with points and reasons (the hand-off's rules; else every rule that scored). */
export function whyHot(lead: LeadState): { rule: string; points: number; reason: string }[] {
  const rules = lead.handoff ? new Set(lead.handoff.rules) : undefined;
  return (lead.score?.breakdown ?? [])
    .filter((entry) => (rules ? rules.has(entry.rule) : entry.points > 0))
    .map(({ rule, points, reason }) => ({ rule, points, reason }));
}
