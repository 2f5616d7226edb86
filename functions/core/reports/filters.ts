import type { ReportCell, ReportFilters, ReportRow, RollupRow } from './report';
import { parseTouchDims, type Touch } from './touch';

/** Whether a touch passes the query's source/campaign/form/platform filters. */
export function touchMatches(touch: Touch, filters: ReportFilters): boolean {
  return (
    (!filters.source || touch.source === filters.source) &&
    (!filters.campaign || touch.campaign === filters.campaign) &&
    (!filters.form || touch.formId === filters.form) &&
    (!filters.platform || touch.platform === filters.platform)
  );
}

/** Rows whose dims are `<kind>|<touch dims>`, of that kind and passing the filters. */
export function rowsOfKind(rows: RollupRow[], kind: string, filters: ReportFilters): RollupRow[] {
  const prefix = `${kind}|`;
  return rows.filter(
    (row) =>
      row.dims.startsWith(prefix) && touchMatches(parseTouchDims(row.dims.slice(prefix.length)), filters),
  );
}

/** Counts summed over rows. */
export function sumCounts(rows: readonly { counts: Record<string, number> }[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const row of rows)
    for (const [name, value] of Object.entries(row.counts)) total[name] = (total[name] ?? 0) + value;
  return total;
}

/** Counts summed per group key (groups in first-seen order). */
export function groupCounts<T extends { counts: Record<string, number> }>(
  rows: readonly T[],
  keyOf: (row: T) => string | undefined,
): Map<string, Record<string, number>> {
  const groups = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === undefined) continue;
    groups.set(key, sumCounts([{ counts: groups.get(key) ?? {} }, row]));
  }
  return groups;
}

/** a / b as a rate rounded to 4 places; null when b is 0. */
export function rate(a: number | undefined, b: number | undefined): ReportCell {
  return b ? Math.round(((a ?? 0) / b) * 10_000) / 10_000 : null;
}

/** Rows sorted by a count column, largest first, then by their first column. */
export function byCount(rows: ReportRow[], key: string, label: string): ReportRow[] {
  return rows.sort(
    (a, b) => Number(b[key] ?? 0) - Number(a[key] ?? 0) || String(a[label]).localeCompare(String(b[label])),
  );
}

/** A row keyed `<kind>|<key>|<touch dims>`: its key and touch, parsed. */
export interface KeyedRow extends RollupRow {
  key: string;
  touch: Touch;
}

export const keyedDims = (kind: string, key: string, touch: string) =>
  `${kind}|${encodeURIComponent(key)}|${touch}`;

/** Rows keyed `<kind>|<key>|<touch>` of that kind, passing the filters. */
export function keyedRows(rows: RollupRow[], kind: string, filters: ReportFilters): KeyedRow[] {
  const prefix = `${kind}|`;
  return rows.flatMap((row) => {
    if (!row.dims.startsWith(prefix)) return [];
    const rest = row.dims.slice(prefix.length);
    const at = rest.indexOf('|');
    const touch = parseTouchDims(rest.slice(at + 1));
    return touchMatches(touch, filters)
      ? [{ ...row, key: decodeURIComponent(rest.slice(0, at)), touch }]
      : [];
  });
}
