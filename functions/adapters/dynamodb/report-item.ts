import type { Increment, ReportId, RollupRow } from '../../core/reports/report';

/**
 * Report items, keys here only:
 * - cursor per shard of the uncounted index: pk `REPORT#CURSOR`, sk `SHARD#<s>` ({seq, pending?});
 * - rollup rows: pk `RPT#<report>#<YYYY-MM>` (the day's month: a 90-day read is 4 Queries a report),
 *   sk `<YYYY-MM-DD>#<dims>`; each count a top-level number `c_<name>` (ADD works on top-level
 *   attributes everywhere), and `b<s>`, the shard's last batch applied to the row;
 * - once-key markers: pk `REPORT#ONCE#<key>`, sk `ONCE`, owner = the entry that counted.
 */
export const CURSOR_PK = 'REPORT#CURSOR';
export const cursorKey = (shard: number) => ({ pk: CURSOR_PK, sk: `SHARD#${shard}` });
export const rollupPk = (report: ReportId, month: string) => `RPT#${report}#${month}`;
export const rollupKey = (increment: Pick<Increment, 'report' | 'day' | 'dims'>) => ({
  pk: rollupPk(increment.report, increment.day.slice(0, 7)),
  sk: `${increment.day}#${increment.dims}`,
});
export const onceKey = (key: string) => ({ pk: `REPORT#ONCE#${key}`, sk: 'ONCE' });
export const highWaterMark = (shard: number) => `b${shard}`;
export const COUNT_PREFIX = 'c_';

/** The months (YYYY-MM) a day range spans, in order. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

export function fromRollupItem(item: Record<string, unknown>): RollupRow {
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(item))
    if (name.startsWith(COUNT_PREFIX) && typeof value === 'number')
      counts[name.slice(COUNT_PREFIX.length)] = value;
  return { day: String(item.day), dims: String(item.dims), counts };
}
