import { publishes } from '../../core/integrations/entry-events';
import type { Activity, LeadState } from '../../core/leads/lead';
import { dueIndexTime } from '../../core/nurture/enrollment';
import { isIndexAttribute, listAttributes } from './lead-list-keys';
import { segmentFactsAttribute } from './segment-facts-attribute';

/** Lead and activity items: one partition per lead, the lead item plus its timeline. Keys live here only. */
export const leadKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });
export const activityKey = (leadId: string, activityId: string) => ({
  pk: `LEAD#${leadId}`,
  sk: `ACT#${activityId}`,
});
export const isActivitySk = (sk: string) => sk.startsWith('ACT#');

/**
 * Sparse gsi1 entries of open hand-offs by status: `HANDOFF#pending` is the outbox tick pages
 * through; `HANDOFF#sent` and `HANDOFF#claimed` give the sales queue view. Closed: no entry.
 */
export const handoffIndexPk = (status: 'pending' | 'sent' | 'claimed') => `HANDOFF#${status}`;
export const handoffIndexSk = (lead: Pick<LeadState, 'leadId'> & { handoff?: { becameHotAt: string } }) =>
  `${lead.handoff?.becameHotAt}#${lead.leadId}`;
/**
 * gsi1 also lists the leads sales owns (LeadState.owner) with no open hand-off, under
 * `OWNER#<rep>`, the latest lead write first: what a rep's "my claims" page reads. An open
 * hand-off takes precedence (the claims are listed from `HANDOFF#claimed`).
 */
export const ownerIndexPk = (rep: string) => `OWNER#${rep}`;
export const ownerIndexSk = (updatedAt: string, leadId: string) => `${updatedAt}#${leadId}`;
const pendingHandoffKey = (lead: LeadState) => {
  if (lead.handoff && lead.handoff.status !== 'closed')
    return { gsi1pk: handoffIndexPk(lead.handoff.status), gsi1sk: handoffIndexSk(lead) };
  if (lead.owner)
    return { gsi1pk: ownerIndexPk(lead.owner.rep), gsi1sk: ownerIndexSk(lead.updatedAt, lead.leadId) };
  return {};
};

/**
 * Sparse gsi2 "due" index of nurture: a lead with a scheduled step has one entry under one of
 * DUE_SHARDS partitions (spread by lead id, so no hot partition), sorted by due time; tick pages
 * through `gsi2sk <= now` per shard. Nothing scheduled: no entry.
 */
export const DUE_SHARDS = 8;
export const dueIndexPk = (shard: number) => `DUE#${shard}`;
export const dueShard = (leadId: string) => Number.parseInt(leadId.slice(-2), 16) % DUE_SHARDS || 0;
export const dueIndexSk = (dueAt: string, leadId: string) => `${dueAt}#${leadId}`;
const dueKey = (lead: LeadState) => {
  const at = dueIndexTime(lead.nurture);
  return at ? { gsi2pk: dueIndexPk(dueShard(lead.leadId)), gsi2sk: dueIndexSk(at, lead.leadId) } : {};
};

/**
 * Sparse gsi3 index of leads: every lead item, and nothing else, has one entry under one of
 * LEAD_SHARDS partitions (spread by a hash of the lead id: no hot partition, and each shard stays
 * small enough to page), sorted by lead id. Lead pages query it shard by shard.
 */
export const LEAD_SHARDS = 16;
export const leadIndexPk = (shard: number) => `LEADS#${shard}`;
export function leadShard(leadId: string): number {
  // FNV-1a over the id's characters: any id spreads evenly, whatever its alphabet.
  let hash = 0x811c9dc5;
  for (let i = 0; i < leadId.length; i += 1) hash = Math.imul(hash ^ leadId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % LEAD_SHARDS;
}
export const leadIndexKey = (leadId: string) => ({ gsi3pk: leadIndexPk(leadShard(leadId)), gsi3sk: leadId });

export function toLeadItem(lead: LeadState) {
  return {
    ...leadKey(lead.leadId),
    entity: 'lead',
    ...leadIndexKey(lead.leadId),
    ...pendingHandoffKey(lead),
    ...dueKey(lead),
    ...listAttributes(lead),
    ...segmentFactsAttribute(lead),
    ...lead,
  };
}

export function fromLeadItem(item: Record<string, unknown>): LeadState {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return Object.fromEntries(
    Object.entries(rest).filter(([name]) => !isIndexAttribute(name)),
  ) as unknown as LeadState;
}

/**
 * Sparse gsi10 "not yet reported" index of timeline entries: every entry is written with a key
 * under one of REPORT_SHARDS partitions (by its lead, so one lead's entries stay in order in one
 * shard), sorted by time; the reports aggregator (tick) reads a shard oldest first and removes the
 * key once the entry's increments are applied. Set in the entry's own put: no extra request.
 */
export const REPORT_SHARDS = 4;
export const reportShard = (leadId: string) => leadShard(leadId) % REPORT_SHARDS;
export const unreportedIndexPk = (shard: number) => `RPT#${shard}`;
export const unreportedIndexKey = (activity: Pick<Activity, 'leadId' | 'activityId' | 'at'>) => ({
  gsi10pk: unreportedIndexPk(reportShard(activity.leadId)),
  gsi10sk: `${activity.at}#${activity.activityId}`,
});

/**
 * Sparse gsi11 "not yet published" index, the integrations' twin of gsi10: only entries that stand
 * for an event (core/integrations/entry-events.ts) get a key, sharded like gsi10; tick's publisher
 * fans each event out to the destinations, then removes the key (at least once: a crash in between
 * publishes the same event ids again).
 */
export const unpublishedIndexPk = (shard: number) => `PUB#${shard}`;
export const unpublishedIndexKey = (activity: Activity) =>
  publishes(activity)
    ? {
        gsi11pk: unpublishedIndexPk(reportShard(activity.leadId)),
        gsi11sk: `${activity.at}#${activity.activityId}`,
      }
    : {};

export function toActivityItem(activity: Activity) {
  return {
    ...activityKey(activity.leadId, activity.activityId),
    entity: 'activity',
    ...unreportedIndexKey(activity),
    ...unpublishedIndexKey(activity),
    ...activity,
  };
}

export function fromActivityItem(item: Record<string, unknown>): Activity {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    gsi10pk: _rpk,
    gsi10sk: _rsk,
    gsi11pk: _ppk,
    gsi11sk: _psk,
    counted: _c,
    ...activity
  } = item;
  return activity as unknown as Activity;
}
