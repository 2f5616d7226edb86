import { LIST_FILTER_KEYS } from '../../../functions/core/leads/lead-list';
/**
 * The Leads list's filters, read from and written to the page's query string (so a filtered list
 * is a link to share) and turned into GET /v1/admin/leads parameters.
 */
// The API's own list (functions/core/leads/lead-list.ts): the console cannot drift from it.
export const FILTER_KEYS = LIST_FILTER_KEYS;

export type FilterKey = (typeof LIST_FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** The filters in a query string; lists (stage, grade) as comma lists. Unknown keys are dropped. */
export function readFilters(search: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const values = search
      .getAll(key)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length > 0) filters[key] = values.join(',');
  }
  return filters;
}

/** The query string for these filters (empty values left out), without the leading "?". */
export function writeFilters(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** True when anything narrows the list (sort alone does not). */
export function isFiltered(filters: Filters): boolean {
  return FILTER_KEYS.some((key) => key !== 'sort' && Boolean(filters[key]));
}

/** GET /v1/admin/leads?… for this page of these filters. */
export function listPath(filters: Filters, cursor: string | null, limit = 25): string {
  const query = writeFilters(filters);
  const params = new URLSearchParams(query);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `/v1/admin/leads?${params.toString()}`;
}

export function exportPath(filters: Filters): string {
  const query = writeFilters(filters);
  return `/v1/admin/leads/export${query ? `?${query}` : ''}`;
}

/** "1–25 of 1,204", or "about 1,200" when the API counted roughly. */
export function rangeText(first: number, shown: number, total: number, exact: boolean): string {
  const nf = new Intl.NumberFormat('en');
  if (shown === 0) return exact ? `0 of ${nf.format(total)}` : 'none';
  const range = `${nf.format(first)}–${nf.format(first + shown - 1)}`;
  if (exact) return `${range} of ${nf.format(total)}`;
  const rounded = total >= 1000 ? Math.round(total / 100) * 100 : total;
  return `${range} of about ${nf.format(rounded)}`;
}
