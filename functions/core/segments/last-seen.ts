import type { Activity } from '../leads/lead';

/** At most this many activity types are remembered per lead; past it the longest unseen goes. */
export const LAST_SEEN_KEPT = 64;

/**
 * `lastSeen` after one activity: activity type → the latest time one happened. Written with the
 * lead on every activity, so "happened in the last N days" is answered from the lead item alone.
 * The trade-off: it knows the latest time per type, not how often nor which page or email, and a
 * lead last written before it was kept has none until its next activity (no backfill yet).
 */
export function recordSeen(
  lastSeen: Record<string, string> | undefined,
  activity: Pick<Activity, 'type' | 'at'>,
): Record<string, string> {
  const previous = lastSeen && Object.hasOwn(lastSeen, activity.type) ? lastSeen[activity.type] : undefined;
  // A late activity (an older event arriving now) never moves the time back.
  if (previous !== undefined && previous >= activity.at) return lastSeen ?? {};
  const next: Record<string, string> = Object.fromEntries(Object.entries(lastSeen ?? {}));
  next[activity.type] = activity.at;
  const types = Object.keys(next);
  if (types.length <= LAST_SEEN_KEPT) return next;
  types.sort((a, b) => (next[a] ?? '').localeCompare(next[b] ?? ''));
  for (const type of types.slice(0, types.length - LAST_SEEN_KEPT)) delete next[type];
  return next;
}
