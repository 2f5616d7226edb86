import type { Activity, LeadState, SalesOutcome } from '../leads/lead';
import { SALES_OUTCOMES } from '../leads/lead';
import type { Owner } from './ports';

/** What the sales views show of a lead: the person's name and company from the profile. */
export function nameOf(lead: LeadState): string | null {
  const first = lead.profile.firstName?.value;
  const last = lead.profile.lastName?.value;
  const name = [first, last].filter((part) => part !== undefined && part !== '').join(' ');
  return name === '' ? null : name;
}

export function companyOf(lead: LeadState): string | null {
  const company = lead.profile.company?.value;
  return company === undefined ? null : String(company);
}

/** The owner as stored (with the last outcome and its time). */
export const ownerOf = (lead: LeadState): Owner | undefined => lead.owner as Owner | undefined;

const OUTCOME_TYPES = new Set(SALES_OUTCOMES.map((outcome) => `sales_${outcome}`));

/** The owner's latest outcome on the timeline: the stored one, else the newest `sales_<outcome>` entry. */
export function lastOutcomeOf(
  owner: Owner,
  activities: Activity[],
): { outcome: SalesOutcome; at: string } | undefined {
  if (owner.lastOutcome && owner.lastOutcomeAt)
    return { outcome: owner.lastOutcome, at: owner.lastOutcomeAt };
  const latest = activities
    .filter((activity) => OUTCOME_TYPES.has(activity.type))
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  return latest ? { outcome: latest.type.slice('sales_'.length) as SalesOutcome, at: latest.at } : undefined;
}

/**
 * The owner hears of what the lead did since their last outcome (sales' own entries aside): true
 * when the lead's latest applied activity came after it. Leads written before `lastActivity` was
 * kept count as having news (the timeline then says what).
 */
export function hasNews(lead: LeadState, owner: Owner): boolean {
  if (!owner.lastOutcomeAt || !lead.lastActivity) return true;
  return lead.lastActivity.at > owner.lastOutcomeAt;
}

/** Activity after `since`, newest first, without sales' own entries (outcomes, releases, reassigns). */
export function activitySince(
  activities: Activity[],
  since: string | undefined,
): { type: string; at: string }[] {
  return activities
    .filter((activity) => !activity.type.startsWith('sales_') && (since === undefined || activity.at > since))
    .sort((a, b) => b.at.localeCompare(a.at))
    .map(({ type, at }) => ({ type, at }));
}
