import type { LeadListFilter, LeadListSort } from '../../core/leads/lead-list';
import { SORT_KEY_ATTRIBUTE } from './lead-list-keys';

/** A Query's conditions for the list: the key condition on one shard, the filter on `lrow`. */
export interface ListExpression {
  key: string;
  filter: string | undefined;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * The filters as a FilterExpression over `lrow` (DynamoDB evaluates it after reading: items read
 * count, items matched are returned). A created-date range on the newest order becomes part of
 * the key condition instead, so only that range is read.
 */
export function listExpression(
  filter: LeadListFilter,
  sort: LeadListSort,
  partition: { attribute: string; value: string },
  search?: { attribute: string; prefix: string },
): ListExpression {
  const names: Record<string, string> = { '#r': 'lrow', '#pk': partition.attribute };
  const values: Record<string, unknown> = { ':pk': partition.value };
  const parts: string[] = [];
  let n = 0;
  const value = (v: unknown) => {
    n += 1;
    values[`:v${n}`] = v;
    return `:v${n}`;
  };
  const field = (name: string) => {
    names[`#${name}`] = name;
    return `#r.#${name}`;
  };
  let key = '#pk = :pk';
  if (search) {
    names['#sk'] = search.attribute;
    key += ` AND begins_with(#sk, ${value(search.prefix)})`;
  }
  // (An empty range, from after to, stays a filter: DynamoDB refuses such a BETWEEN.)
  const createdInKey =
    !search &&
    sort === 'newest' &&
    (filter.createdFrom || filter.createdTo) &&
    !(filter.createdFrom && filter.createdTo && filter.createdFrom > filter.createdTo);
  if (createdInKey) {
    names['#sk'] = SORT_KEY_ATTRIBUTE.newest;
    const from = filter.createdFrom ?? '0000';
    const to = `${filter.createdTo ?? '9999'}#~`;
    key += ` AND #sk BETWEEN ${value(from)} AND ${value(to)}`;
  }
  const oneOf = (name: string, list: string[] | undefined) => {
    if (!list?.length) return;
    parts.push(`${field(name)} IN (${list.map(value).join(', ')})`);
  };
  oneOf('stage', filter.stage);
  oneOf('grade', filter.grade);
  if (filter.scoreMin !== undefined) parts.push(`${field('score')} >= ${value(filter.scoreMin)}`);
  if (filter.scoreMax !== undefined) parts.push(`${field('score')} <= ${value(filter.scoreMax)}`);
  for (const name of ['source', 'utmCampaign', 'formId'] as const) {
    const wanted = filter[name];
    if (wanted !== undefined) parts.push(`${field(name)} = ${value(wanted)}`);
  }
  if (!createdInKey) {
    if (filter.createdFrom) parts.push(`${field('createdAt')} >= ${value(filter.createdFrom)}`);
    if (filter.createdTo) parts.push(`${field('createdAt')} <= ${value(filter.createdTo)}`);
  }
  if (filter.activityFrom) parts.push(`${field('lastActivityAt')} >= ${value(filter.activityFrom)}`);
  if (filter.activityTo) parts.push(`${field('lastActivityAt')} <= ${value(filter.activityTo)}`);
  if (filter.owned !== undefined)
    parts.push(`${filter.owned ? 'attribute_exists' : 'attribute_not_exists'}(${field('ownerRep')})`);
  for (const name of ['suppressed', 'test'] as const) {
    const wanted = filter[name];
    if (wanted === undefined) continue;
    // Stored only when true: false is "not true", whether stored false or absent.
    parts.push(wanted ? `${field(name)} = ${value(true)}` : `NOT ${field(name)} = ${value(true)}`);
  }
  return { key, filter: parts.length ? parts.join(' AND ') : undefined, names, values };
}
