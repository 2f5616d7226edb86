/**
 * GET /v1/admin/reports/{report}: one body for every report (the shared reports contract).
 * The API's own definitions (functions/core/reports/report.ts): the console cannot drift from them.
 */
import type { ReportFilters } from '../../../functions/core/reports/report';

export type {
  ColumnKind,
  Interval,
  ReportBody,
  ReportColumn,
  ReportId,
  ReportRow,
  ReportSeries,
  ReportTable,
} from '../../../functions/core/reports/report';
export {
  INTERVALS,
  REPORT_IDS,
} from '../../../functions/core/reports/report';

/** A cell as the console reads it (a column may be missing from a row). */
export type ReportCell = string | number | null | undefined;

/** The lead dimensions a report may be filtered on (the email report's `sequence` is apart). */
export const FILTER_KEYS = [
  'source',
  'campaign',
  'form',
  'platform',
] as const satisfies readonly (keyof ReportFilters)[];
export type FilterKey = (typeof FILTER_KEYS)[number];
