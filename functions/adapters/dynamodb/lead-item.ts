import type { Activity, LeadInput, LeadRecord, ProfileField } from '../../core/lead';

/** Lead and activity items: one partition per lead, the profile plus its timeline. Keys live here only. */
export const leadKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });
export const activityKey = (leadId: string, activityId: string) => ({
  pk: `LEAD#${leadId}`,
  sk: `ACT#${activityId}`,
});
export const isActivitySk = (sk: string) => sk.startsWith('ACT#');

const PROFILE_PREFIX = 'p_';

export interface LeadUpdate {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * The merge as one UpdateItem: every non-empty field overwrites (latest wins) and carries its
 * source and time; created-at and first touch only on creation. No read needed.
 */
export function mergeExpression(input: LeadInput, at: string, source: string): LeadUpdate {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':entity': 'lead',
    ':leadId': input.leadId,
    ':email': input.email,
    ':at': at,
    ':stage': input.stage,
    ':touch': { ...input.attribution, at, source },
  };
  const sets = [
    'entity = :entity',
    'leadId = :leadId',
    'email = :email',
    'updatedAt = :at',
    'createdAt = if_not_exists(createdAt, :at)',
    'stage = if_not_exists(stage, :stage)',
    'lastTouch = :touch',
    'firstTouch = if_not_exists(firstTouch, :touch)',
  ];
  Object.entries(input.fields).forEach(([name, value], i) => {
    names[`#f${i}`] = `${PROFILE_PREFIX}${name}`;
    values[`:f${i}`] = { value, source, at } satisfies ProfileField;
    sets.push(`#f${i} = :f${i}`);
  });
  if (input.consent?.granted) {
    values[':consent'] = { granted: true, at, source };
    sets.push('marketingConsent = :consent');
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function toActivityItem(activity: Activity) {
  return { ...activityKey(activity.leadId, activity.activityId), entity: 'activity', ...activity };
}

export function fromActivityItem(item: Record<string, unknown>): Activity {
  const { pk: _pk, sk: _sk, entity: _entity, ...activity } = item;
  return activity as unknown as Activity;
}

export function fromLeadItem(item: Record<string, unknown>): LeadRecord {
  const profile: Record<string, ProfileField> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(PROFILE_PREFIX)) profile[name.slice(PROFILE_PREFIX.length)] = value as ProfileField;
  }
  return {
    leadId: item.leadId as string,
    email: item.email as string,
    stage: item.stage as LeadRecord['stage'],
    profile,
    marketingConsent: item.marketingConsent as LeadRecord['marketingConsent'],
    firstTouch: item.firstTouch as LeadRecord['firstTouch'],
    lastTouch: item.lastTouch as LeadRecord['lastTouch'],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}
