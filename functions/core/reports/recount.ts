import type { Activity } from '../leads/lead';
import { incrementsOf, sumRows } from './aggregate';
import type { Increment, LeadContext, ReportDefinition } from './report';

/**
 * The rollups recounted naively from stored timeline entries (invariant 8's other side): every
 * entry's increments summed per row, a once-key counted for its first entry in time order.
 */
export function recount(
  definitions: readonly ReportDefinition[],
  entries: readonly Activity[],
  leads: ReadonlyMap<string, LeadContext>,
  timeZone: string,
): Increment[] {
  const ordered = [...entries].sort(
    (a, b) => a.at.localeCompare(b.at) || a.activityId.localeCompare(b.activityId),
  );
  const owners = new Map<string, string>();
  const counted: Increment[] = [];
  for (const entry of ordered) {
    for (const { once, ...increment } of incrementsOf(
      definitions,
      entry,
      leads.get(entry.leadId),
      timeZone,
    )) {
      if (once) {
        const owner = owners.get(once) ?? entry.activityId;
        owners.set(once, owner);
        if (owner !== entry.activityId) continue;
      }
      counted.push(increment);
    }
  }
  return sumRows(counted);
}
