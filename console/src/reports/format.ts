import { fmtCount } from '../format';
import type { ColumnKind, Interval, ReportCell, ReportColumn, ReportRow } from './types';

/** How report cells read: counts grouped, rates as %, hours humanized, scores as numbers. */
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

const isNumber = (v: ReportCell): v is number => typeof v === 'number' && Number.isFinite(v);

/** 0.75 h → "45 min", 5.5 → "5 h 30 min", 54 → "2 d 6 h". */
export function fmtHours(hours: number): string {
  if (hours < 0) return `−${fmtHours(-hours)}`;
  const minutes = Math.round(hours * 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const totalHours = Math.round(hours);
  const d = Math.floor(totalHours / 24);
  const h = totalHours % 24;
  return h ? `${d} d ${h} h` : `${d} d`;
}

export const fmtRate = (rate: number) => percent.format(rate);

/** A cell as people read it; a missing number is "—". */
export function fmtCell(kind: ColumnKind, value: ReportCell): string {
  if (value === null || value === undefined || value === '') return '—';
  if (kind === 'text') return String(value);
  if (!isNumber(value)) return String(value);
  switch (kind) {
    case 'count':
      return fmtCount(value);
    case 'rate':
      return fmtRate(value);
    case 'hours':
      // Durations are read from histogram buckets: the API gives the bucket's upper edge.
      return value > 0 ? `≤ ${fmtHours(value)}` : fmtHours(value);
    default:
      return decimal.format(value);
  }
}

export interface Delta {
  /** "+12", "−3.5 pts", "+2 h"; "new" when there was nothing before. */
  text: string;
  direction: 'up' | 'down' | 'same';
  /** The whole comparison for screen readers: "up 12 from 108 in the previous period". */
  spoken: string;
}

const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '±');

/** The change of a numeric cell against the previous period; undefined for text or missing cells. */
export function delta(kind: ColumnKind, current: ReportCell, previous: ReportCell): Delta | undefined {
  if (kind === 'text' || !isNumber(current) || !isNumber(previous)) return undefined;
  const diff = current - previous;
  const direction = diff > 0 ? 'up' : diff < 0 ? 'down' : 'same';
  const was = fmtCell(kind, previous);
  let amount: string;
  if (kind === 'rate') amount = `${decimal.format(Math.abs(diff) * 100)} pts`;
  else if (kind === 'hours') amount = fmtHours(Math.abs(diff));
  else amount = kind === 'count' ? fmtCount(Math.abs(diff)) : decimal.format(Math.abs(diff));
  if (direction === 'same')
    return { text: '±0', direction, spoken: `unchanged from the previous period (${was})` };
  const text = `${sign(diff)}${amount}`;
  return { text, direction, spoken: `${direction} ${amount} from ${was} in the previous period` };
}

/** The identity of a row: its text cells (stage, source, sequence…), so previous rows match by name. */
export function rowKey(columns: ReportColumn[], row: ReportRow): string {
  const texts = columns.filter((c) => c.kind === 'text').map((c) => String(row[c.key] ?? ''));
  return texts.join('\u0000');
}

/** The previous period's rows by row identity; rows without a text cell match by position. */
export function previousByRow(
  columns: ReportColumn[],
  rows: ReportRow[],
  previous: ReportRow[] | undefined,
): (ReportRow | undefined)[] {
  if (!previous) return rows.map(() => undefined);
  if (!columns.some((c) => c.kind === 'text')) return rows.map((_, i) => previous[i]);
  const byKey = new Map(previous.map((row) => [rowKey(columns, row), row]));
  return rows.map((row) => byKey.get(rowKey(columns, row)));
}

const dayFmt = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayYearFmt = new Intl.DateTimeFormat('en', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFmt = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const asDate = (day: string) => new Date(`${day.slice(0, 10)}T00:00:00Z`);

/** A series period (the first day of its bucket): "2 Nov", "Week of 2 Nov", "Nov 2026". */
export function periodLabel(period: string, interval: Interval): string {
  const d = asDate(period);
  if (Number.isNaN(d.getTime())) return period;
  if (interval === 'month') return monthFmt.format(d);
  if (interval === 'week') return `Week of ${dayFmt.format(d)}`;
  return dayFmt.format(d);
}

/** "1 Nov – 30 Nov 2026", "15 Dec 2025 – 14 Jan 2026", "3 Nov 2026". */
export function rangeLabel(from: string, to: string): string {
  const a = asDate(from);
  const b = asDate(to);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${from} – ${to}`;
  if (from === to) return dayYearFmt.format(a);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${sameYear ? dayFmt.format(a) : dayYearFmt.format(a)} – ${dayYearFmt.format(b)}`;
}

/** True when no table cell and no series point holds a number other than 0. */
export function isEmptyReport(body: {
  tables: { rows: ReportRow[]; columns: ReportColumn[] }[];
  series: { points: { values: Record<string, number> }[] }[];
}): boolean {
  const tableHasData = body.tables.some((t) =>
    t.rows.some((row) =>
      t.columns.some((c) => c.kind !== 'text' && isNumber(row[c.key]) && row[c.key] !== 0),
    ),
  );
  const seriesHasData = body.series.some((s) => s.points.some((p) => Object.values(p.values).some((v) => v)));
  return !tableHasData && !seriesHasData;
}
