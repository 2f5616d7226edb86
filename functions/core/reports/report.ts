import type { Activity } from '../leads/lead';

/**
 * Reports: pre-aggregated rollups of timeline entries. Each report is a definition with two pure
 * halves: `increments` (what one timeline entry adds to which rollup row) and `build` (the tables
 * and series a reader sees from the rollup rows of a range). The aggregator (aggregate.ts) applies
 * increments exactly once; the API (read.ts) reads rows and calls build.
 */
export const REPORT_IDS = ['funnel', 'sources', 'email', 'sales', 'scoring', 'sequences'] as const;
export type ReportId = (typeof REPORT_IDS)[number];

/** What an entry's increments may depend on besides the entry: the lead's immutable first touch. */
export interface LeadContext {
  leadId: string;
  createdAt: string;
  firstTouch: { source: string; campaign?: string; formId?: string; platform?: string };
}

/**
 * What one timeline entry adds to one rollup row: `day` (YYYY-MM-DD in the account time zone) and
 * `dims` (the report's own dimension key, e.g. `src=google|cmp=spring|form=demo|plat=-`) name the
 * row; `counts` are added to it.
 * `once`: count this increment only for the first entry carrying this key (e.g. `open#<messageId>`
 * for unique opens); the aggregator keeps a marker per key, so later entries with it add nothing.
 */
export interface Increment {
  report: ReportId;
  day: string;
  dims: string;
  counts: Record<string, number>;
  once?: string;
}

/** One stored rollup row: the sum of every increment applied to (report, day, dims). */
export interface RollupRow {
  day: string;
  dims: string;
  counts: Record<string, number>;
}

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Filters a report may honour (where it has that dimension); `sequence` is the email report's. */
export interface ReportFilters {
  source?: string;
  campaign?: string;
  form?: string;
  platform?: string;
  sequence?: string;
}

/** A validated report request: an inclusive day range in the account time zone. */
export interface ReportQuery {
  from: string;
  to: string;
  interval: Interval;
  compare: boolean;
  filters: ReportFilters;
}

export const COLUMN_KINDS = ['text', 'count', 'rate', 'hours', 'score'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];
export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}
export type ReportCell = string | number | null;
export type ReportRow = Record<string, ReportCell>;

export interface ReportTable {
  id: string;
  title: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** The same rows for the previous period of the same length (compare=previous only). */
  previous?: ReportRow[];
}

export interface ReportSeries {
  id: string;
  title: string;
  keys: string[];
  points: { period: string; values: Record<string, number> }[];
}

/** What a definition's build returns; the read use case adds the envelope. */
export interface ReportContent {
  tables: ReportTable[];
  series: ReportSeries[];
}

export interface ReportBody extends ReportContent {
  report: ReportId;
  timeZone: string;
  from: string;
  to: string;
  interval: Interval;
  generatedAt: string;
  /** When the last batch of timeline entries was applied (null: never). */
  freshAsOf: string | null;
  filters: ReportFilters;
}

export interface ReportDefinition {
  id: ReportId;
  increments(entry: Activity, lead: LeadContext | undefined, timeZone: string): Increment[];
  /** `rows` are every rollup row of the query's range (any filter is the definition's to apply). */
  build(rows: RollupRow[], query: ReportQuery): ReportContent;
}
