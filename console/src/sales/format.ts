export { fmtAgo as ago, fmtTime as when, stageLabel } from '../format';

import type { LeadCard, Outcome } from './types';

/** Words for the sales outcomes, as the buttons and messages say them. */
export const OUTCOME_LABEL: Record<Outcome, string> = {
  contacted: 'Contacted',
  meeting_booked: 'Meeting booked',
  qualified: 'Qualified',
  disqualified: 'Disqualified',
  recycled: 'Recycled',
  won: 'Won',
  lost: 'Lost',
};

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": how long something has been waiting or held. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** "28:41" (or "1:02:03"): time left on a claim, never below zero. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** "form_submitted" -> "Form submitted", "companySize" -> "Company size". */
export function words(code: string): string {
  const text = code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_:-]+/g, ' ')
    .trim()
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The person's name from the profile, else null. */
export function personName(profile: LeadCard['profile']): string | null {
  const name = [profile.firstName, profile.lastName].filter((v) => typeof v === 'string' && v).join(' ');
  return name || null;
}
