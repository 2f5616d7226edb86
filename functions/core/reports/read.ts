import type { Clock } from '../kernel/clock';
import { csvCell } from '../leads/lead-csv';
import { addDays, daysBetween } from './days';
import type { RollupStore } from './ports';
import { InvalidReportQueryError, type ParsedReportRequest } from './query';
import type { ReportBody, ReportDefinition, ReportId, ReportQuery, ReportTable } from './report';

export interface ReadReportDeps {
  rollups: Pick<RollupStore, 'read' | 'freshAsOf'>;
  definitions: Record<ReportId, ReportDefinition>;
  clock: Clock;
  timeZone: string;
}

/** The period of the same length just before a query's (compare=previous). */
export function previousPeriod(query: Pick<ReportQuery, 'from' | 'to'>): { from: string; to: string } {
  const days = daysBetween(query.from, query.to);
  return { from: addDays(query.from, -days), to: addDays(query.from, -1) };
}

/**
 * A report: its rollup rows for the range (one Query per month the range touches), built by its
 * definition; with compare=previous, the previous period's rows too, built alike, each table's
 * rows copied into its `previous`.
 * 1. Read the rows of the range (and of the previous period) and the aggregator's freshness.
 * 2. Build the tables and series of the range; build the previous period's tables.
 * 3. Answer the envelope: report, time zone, range, interval, when generated, how fresh.
 */
export async function readReport(deps: ReadReportDeps, request: ParsedReportRequest): Promise<ReportBody> {
  const { report, query } = request;
  const definition = deps.definitions[report];
  const previous = query.compare ? previousPeriod(query) : undefined;
  const [rows, freshAsOf] = await Promise.all([
    deps.rollups.read(report, previous?.from ?? query.from, query.to),
    deps.rollups.freshAsOf(),
  ]);
  const within = (from: string, to: string) => rows.filter((row) => row.day >= from && row.day <= to);
  const current = definition.build(within(query.from, query.to), { ...query, compare: false });
  const before = previous
    ? definition.build(within(previous.from, previous.to), { ...query, ...previous, compare: false })
    : undefined;
  const tables = current.tables.map((table) => {
    const { previous: _own, ...rest } = table;
    if (!before) return rest;
    return { ...rest, previous: before.tables.find((other) => other.id === table.id)?.rows ?? [] };
  });
  return {
    report,
    timeZone: deps.timeZone,
    from: query.from,
    to: query.to,
    interval: query.interval,
    generatedAt: deps.clock.now().toISOString(),
    freshAsOf,
    filters: query.filters,
    tables,
    series: current.series,
  };
}

/** One table as CSV (RFC 4180, formula-safe cells): a header of column labels, then its rows. */
export function tableCsv(body: ReportBody, tableId: string): { filename: string; csv: string } {
  const table: ReportTable | undefined = body.tables.find((candidate) => candidate.id === tableId);
  if (!table) {
    const ids = body.tables.map((candidate) => candidate.id).join(', ');
    throw new InvalidReportQueryError([
      { path: 'table', message: `the ${body.report} report has the tables ${ids}` },
    ]);
  }
  const lines = [
    table.columns.map((column) => csvCell(column.label)).join(','),
    ...table.rows.map((row) => table.columns.map((column) => csvCell(row[column.key] ?? null)).join(',')),
  ];
  return {
    filename: `leadflow-${body.report}-${table.id}-${body.from}-${body.to}.csv`,
    csv: `${lines.join('\r\n')}\r\n`,
  };
}
