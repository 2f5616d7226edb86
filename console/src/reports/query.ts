import { FILTER_KEYS, type FilterKey, INTERVALS, type Interval, REPORT_IDS, type ReportId } from './types';

/**
 * What a report page shows, kept in its URL (so a report is a link to share):
 * /console/reports/<report>?range=last90&interval=week&compare=previous&source=google&sequence=welcome.
 * Presets are resolved to dates at request time in the account's time zone; a custom range keeps
 * its dates in the URL.
 */
export const RANGES = ['last7', 'last30', 'last90', 'this-month', 'last-month', 'custom'] as const;
export type Range = (typeof RANGES)[number];

export const RANGE_LABELS: Record<Range, string> = {
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  'this-month': 'This month',
  'last-month': 'Last month',
  custom: 'Custom range',
};

/** The report a console path names: a report id, 'index' for /console/reports, or undefined. */
export function reportOfPath(path: string): ReportId | 'index' | undefined {
  if (path === '/console/reports') return 'index';
  const id = /^\/console\/reports\/([^/]+)$/.exec(path)?.[1];
  return (REPORT_IDS as readonly string[]).includes(id ?? '') ? (id as ReportId) : undefined;
}

/** The API's limit on a range, in days. */
export const MAX_RANGE_DAYS = 366;

/** Reports with lead dimensions the API filters on (source, UTM campaign, form, ad platform). */
export const FILTERABLE: ReadonlySet<ReportId> = new Set<ReportId>(['funnel', 'sources', 'sales', 'scoring']);

export interface ReportView {
  report: ReportId;
  range: Range;
  /** Only for range 'custom'. */
  from?: string;
  to?: string;
  interval: Interval;
  compare: boolean;
  filters: Partial<Record<FilterKey, string>>;
  /** Email only: one sequence and its steps. */
  sequence?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date as YYYY-MM-DD ("2026-02-30" is not). */
export function isDate(value: string | null | undefined): value is string {
  if (!value || !DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The view in a console URL's query; anything unknown or malformed falls back to the default. */
export function readView(report: ReportId, search: URLSearchParams): ReportView {
  const range = (RANGES as readonly string[]).includes(search.get('range') ?? '')
    ? (search.get('range') as Range)
    : 'last30';
  const from = search.get('from');
  const to = search.get('to');
  const custom = range === 'custom' && isDate(from) && isDate(to) && from <= to;
  const interval = search.get('interval');
  const view: ReportView = {
    report,
    range: range === 'custom' && !custom ? 'last30' : range,
    interval: (INTERVALS as readonly string[]).includes(interval ?? '') ? (interval as Interval) : 'day',
    compare: search.get('compare') === 'previous',
    filters: {},
  };
  if (custom) Object.assign(view, { from, to });
  if (FILTERABLE.has(report))
    for (const key of FILTER_KEYS) {
      const value = search.get(key)?.trim();
      if (value) view.filters[key] = value;
    }
  const sequence = search.get('sequence')?.trim();
  if (report === 'email' && sequence) view.sequence = sequence;
  return view;
}

/** The console query for a view (defaults left out), without "?". */
export function writeView(view: ReportView): string {
  const params = new URLSearchParams();
  if (view.range !== 'last30') params.set('range', view.range);
  if (view.range === 'custom' && view.from && view.to) {
    params.set('from', view.from);
    params.set('to', view.to);
  }
  if (view.interval !== 'day') params.set('interval', view.interval);
  if (view.compare) params.set('compare', 'previous');
  for (const key of FILTER_KEYS) if (view.filters[key]) params.set(key, view.filters[key] as string);
  if (view.sequence) params.set('sequence', view.sequence);
  return params.toString();
}

/** The console path of a view. */
export function viewPath(view: ReportView): string {
  const query = writeView(view);
  return `/console/reports/${view.report}${query ? `?${query}` : ''}`;
}

/** Today's date (YYYY-MM-DD) in a time zone; an unknown zone counts in UTC. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** `date` moved by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The first and last day of a view's range, given today in the account's time zone. */
export function resolveRange(view: ReportView, today: string): { from: string; to: string } {
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (view.range) {
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last90':
      return { from: addDays(today, -89), to: today };
    case 'this-month':
      return { from: monthStart, to: today };
    case 'last-month': {
      const to = addDays(monthStart, -1);
      return { from: `${to.slice(0, 7)}-01`, to };
    }
    case 'custom':
      if (view.from && view.to) return { from: view.from, to: view.to };
      return { from: addDays(today, -29), to: today };
    default:
      return { from: addDays(today, -29), to: today };
  }
}

/** Why a custom range cannot be asked for, or null when it can. */
export function customRangeProblem(from: string, to: string): string | null {
  if (!isDate(from) || !isDate(to)) return 'Enter both dates.';
  if (from > to) return 'The start date must not be after the end date.';
  if (daysBetween(from, to) > MAX_RANGE_DAYS) return `A range can span at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

function apiParams(view: ReportView, today: string): URLSearchParams {
  const { from, to } = resolveRange(view, today);
  const params = new URLSearchParams({ from, to, interval: view.interval });
  if (view.compare) params.set('compare', 'previous');
  for (const key of FILTER_KEYS) if (view.filters[key]) params.set(key, view.filters[key] as string);
  if (view.sequence) params.set('sequence', view.sequence);
  return params;
}

/** GET /v1/admin/reports/{report}?… for a view. */
export function reportPath(view: ReportView, today: string): string {
  return `/v1/admin/reports/${view.report}?${apiParams(view, today).toString()}`;
}

/** The same report's table `tableId` as CSV. */
export function csvPath(view: ReportView, today: string, tableId: string): string {
  const params = apiParams(view, today);
  params.set('format', 'csv');
  params.set('table', tableId);
  return `/v1/admin/reports/${view.report}?${params.toString()}`;
}
