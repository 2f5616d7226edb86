import type { Activity, LeadState } from '../../core/lead';

/** Lead and activity items: one partition per lead, the lead item plus its timeline. Keys live here only. */
export const leadKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });
export const activityKey = (leadId: string, activityId: string) => ({
  pk: `LEAD#${leadId}`,
  sk: `ACT#${activityId}`,
});
export const isActivitySk = (sk: string) => sk.startsWith('ACT#');

/** Sparse gsi1 entry of a pending hand-off: the outbox the hand-off sender pages through. */
export const PENDING_HANDOFFS = 'HANDOFF#PENDING';
const pendingHandoffKey = (lead: LeadState) =>
  lead.handoff?.status === 'pending'
    ? { gsi1pk: PENDING_HANDOFFS, gsi1sk: `${lead.handoff.becameHotAt}#${lead.leadId}` }
    : {};

export function toLeadItem(lead: LeadState) {
  return { ...leadKey(lead.leadId), entity: 'lead', ...pendingHandoffKey(lead), ...lead };
}

export function fromLeadItem(item: Record<string, unknown>): LeadState {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g1, gsi1sk: _g2, ...lead } = item;
  return lead as unknown as LeadState;
}

export function toActivityItem(activity: Activity) {
  return { ...activityKey(activity.leadId, activity.activityId), entity: 'activity', ...activity };
}

export function fromActivityItem(item: Record<string, unknown>): Activity {
  const { pk: _pk, sk: _sk, entity: _entity, ...activity } = item;
  return activity as unknown as Activity;
}
