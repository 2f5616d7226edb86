import type { LeadState } from '../../core/leads/lead';
import { type LeadListSort, type LeadRow, toLeadRow } from '../../core/leads/lead-list';

/**
 * The lead list's index attributes on the lead item (toLeadItem writes them on every lead write):
 * `lrow`, the row the list shows and filters on, and the keys of the list indexes
 * (table-definition.ts). `lrowv` is the shape's version: reindexLeads rewrites items with another
 * (2: the segment facts, `sfacts`, are written with the row).
 */
export const LIST_ROW_VERSION = 2;
/** Sort-order shards: a page is one Query per shard, merged; 4 shards take 4× one partition's writes. */
export const LIST_SHARDS = 4;
export const SEARCH_FIELDS = ['email', 'name', 'company'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export const listIndexPk = (shard: number) => `LIST#${shard}`;
export function listShard(leadId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < leadId.length; i += 1) hash = Math.imul(hash ^ leadId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % LIST_SHARDS;
}
/** The sort key attribute of each sort order's index. */
export const SORT_KEY_ATTRIBUTE: Record<LeadListSort, string> = {
  newest: 'gsi4sk',
  score: 'gsi5sk',
  activity: 'gsi6sk',
};
export const SEARCH_KEY_ATTRIBUTES: Record<SearchField, { pk: string; sk: string }> = {
  email: { pk: 'gsi7pk', sk: 'gsi7sk' },
  name: { pk: 'gsi8pk', sk: 'gsi8sk' },
  company: { pk: 'gsi9pk', sk: 'gsi9sk' },
};

/**
 * A score as a string that sorts like the number (scores are rounded to one decimal; -1e6 to 1e6
 * covers any model); no score sorts below every score.
 */
export const scoreKey = (score: number | null) =>
  score === null
    ? '0'
    : `1${Math.round((score + 1e6) * 10)
        .toString()
        .padStart(9, '0')}`;

/** Where a row sits in each order (descending), ties broken by the lead id. */
export function sortKeyOf(row: LeadRow, sort: LeadListSort): string {
  if (sort === 'score') return `${scoreKey(row.score)}#${row.leadId}`;
  if (sort === 'activity') return `${row.lastActivityAt ?? row.createdAt}#${row.leadId}`;
  return `${row.createdAt}#${row.leadId}`;
}
export const leadIdOfSortKey = (key: string) => key.slice(key.lastIndexOf('#') + 1);

/** The search partition of a lower-cased term: its first two characters. */
export const searchPk = (field: SearchField, term: string) =>
  `Q${field.charAt(0).toUpperCase()}#${[...term].slice(0, 2).join('')}`;
export const searchTerm = (value: string | null) => value?.toLowerCase().replace(/\s+/g, ' ').trim() ?? '';

/** What the filters test, flat under `lrow` (null values left out, as the item stores them). */
export function storedRow(row: LeadRow) {
  const { owner, ...rest } = row;
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)),
    ...(owner ? { ownerRep: owner.rep, ownerName: owner.repName } : {}),
  };
}

export function rowOfStored(stored: Record<string, unknown>): LeadRow {
  const s = stored as Record<string, string | number | boolean | undefined>;
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : null);
  return {
    leadId: String(s.leadId),
    email: String(s.email),
    name: str('name'),
    company: str('company'),
    stage: s.stage as LeadRow['stage'],
    score: typeof s.score === 'number' ? s.score : null,
    grade: str('grade'),
    source: str('source'),
    utmCampaign: str('utmCampaign'),
    formId: str('formId'),
    createdAt: String(s.createdAt),
    lastActivityAt: str('lastActivityAt'),
    owner:
      typeof s.ownerRep === 'string' ? { rep: s.ownerRep, repName: String(s.ownerName ?? s.ownerRep) } : null,
    suppressed: s.suppressed === true,
    test: s.test === true,
  };
}

/** Every list attribute of a lead item. */
export function listAttributes(lead: LeadState) {
  const row = toLeadRow(lead);
  const search: Record<string, string> = {};
  for (const field of SEARCH_FIELDS) {
    const term = searchTerm(row[field]);
    if ([...term].length < 2) continue;
    const keys = SEARCH_KEY_ATTRIBUTES[field];
    search[keys.pk] = searchPk(field, term);
    search[keys.sk] = `${term}#${row.leadId}`;
  }
  return {
    lrow: storedRow(row),
    lrowv: LIST_ROW_VERSION,
    gsi4pk: listIndexPk(listShard(lead.leadId)),
    gsi4sk: sortKeyOf(row, 'newest'),
    gsi5sk: sortKeyOf(row, 'score'),
    gsi6sk: sortKeyOf(row, 'activity'),
    ...search,
  };
}

/** Item attributes that are index bookkeeping, never part of the lead. */
export const isIndexAttribute = (name: string) =>
  /^gsi\d+(pk|sk)$/.test(name) || name === 'lrow' || name === 'lrowv' || name === 'sfacts';
