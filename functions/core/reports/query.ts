import { DateTime } from 'luxon';
import { type FieldError, LeadflowError } from '../kernel/errors';
import { addDays, daysBetween } from './days';
import {
  INTERVALS,
  type Interval,
  REPORT_IDS,
  type ReportFilters,
  type ReportId,
  type ReportQuery,
} from './report';

export class InvalidReportQueryError extends LeadflowError {
  readonly code = 'invalid_report_query';
  constructor(details: FieldError[]) {
    super('The report query is not valid.', details);
  }
}

export class ReportNotFoundError extends LeadflowError {
  readonly code = 'report_not_found';
  constructor(report: string) {
    super(`No report "${report.slice(0, 40)}". Reports: ${REPORT_IDS.join(', ')}.`);
  }
}

export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;
const FILTERS = ['source', 'campaign', 'form', 'platform', 'sequence'] as const;
const KNOWN = new Set<string>(['from', 'to', 'interval', 'compare', 'format', 'table', ...FILTERS]);
const MAX_VALUE = 200;

export interface ParsedReportRequest {
  report: ReportId;
  query: ReportQuery;
  /** format=csv: the id of the one table to answer as CSV. */
  csvTable?: string;
}

export function reportIdOf(value: string | undefined): ReportId {
  const id = value ?? '';
  if (!(REPORT_IDS as readonly string[]).includes(id)) throw new ReportNotFoundError(id);
  return id as ReportId;
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;

/**
 * A report request from its path and query string: the report id (404 when unknown), then every
 * parameter checked at once (400 invalid_report_query listing each bad one). Default range: the
 * last 30 days up to today in the account time zone.
 */
export function parseReportRequest(
  report: string | undefined,
  params: Record<string, string | undefined>,
  today: string,
): ParsedReportRequest {
  const id = reportIdOf(report);
  const errors: FieldError[] = [];
  for (const name of Object.keys(params))
    if (!KNOWN.has(name)) errors.push({ path: name, message: 'is not a report parameter' });
  const day = (name: 'from' | 'to', fallback: string) => {
    const value = params[name];
    if (value === undefined) return fallback;
    if (!isDay(value)) errors.push({ path: name, message: 'must be a date YYYY-MM-DD' });
    return value;
  };
  const to = day('to', today);
  const from = day('from', addDays(isDay(to) ? to : today, -(DEFAULT_RANGE_DAYS - 1)));
  if (isDay(from) && isDay(to)) {
    if (from > to) errors.push({ path: 'from', message: 'must not be after to' });
    else if (daysBetween(from, to) > MAX_RANGE_DAYS)
      errors.push({ path: 'to', message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  }
  const interval = params.interval ?? 'day';
  if (!(INTERVALS as readonly string[]).includes(interval))
    errors.push({ path: 'interval', message: `must be one of ${INTERVALS.join(', ')}` });
  if (params.compare !== undefined && params.compare !== 'previous')
    errors.push({ path: 'compare', message: 'must be previous' });
  if (params.format !== undefined && params.format !== 'csv')
    errors.push({ path: 'format', message: 'must be csv' });
  if (params.format === 'csv' && !params.table)
    errors.push({ path: 'table', message: 'name the table to download with format=csv' });
  if (params.table !== undefined && params.format !== 'csv')
    errors.push({ path: 'table', message: 'goes with format=csv' });
  const filters: ReportFilters = {};
  for (const name of FILTERS) {
    const value = params[name];
    if (value === undefined) continue;
    if (value.length === 0 || value.length > MAX_VALUE)
      errors.push({ path: name, message: `must be 1 to ${MAX_VALUE} characters` });
    else filters[name] = value;
  }
  if (filters.sequence && id !== 'email')
    errors.push({ path: 'sequence', message: 'only the email report has sequences' });
  if (errors.length > 0) throw new InvalidReportQueryError(errors);
  return {
    report: id,
    query: { from, to, interval: interval as Interval, compare: params.compare === 'previous', filters },
    ...(params.format === 'csv' && params.table ? { csvTable: params.table } : {}),
  };
}
