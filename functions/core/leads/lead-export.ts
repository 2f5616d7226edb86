import { csvHeader, csvLine } from './lead-csv';
import type { LeadList, LeadListQuery } from './lead-list';

/**
 * The synchronous export's bounds. Lambda answers at most 6 MB, and the body travels as a JSON
 * string in that answer (a CSV quote becomes two bytes): 4.5 MB of CSV leaves room for both. A
 * row is about 200 bytes, so the row bound is the usual one; long names and companies meet the
 * byte bound first.
 */
export const EXPORT_MAX_ROWS = 10_000;
export const EXPORT_MAX_BYTES = 4_500_000;

export type LeadExport = { kind: 'csv'; csv: string; rows: number } | { kind: 'too_large'; rows: number };

/**
 * The current filter as CSV, built page after page of the list (100 rows a page). More than the
 * bounds: `too_large` (the caller narrows the filter; there is no background export).
 */
export async function exportLeads(
  deps: { list: LeadList },
  query: Omit<LeadListQuery, 'limit' | 'cursor'>,
): Promise<LeadExport> {
  const parts = [csvHeader()];
  let bytes = parts[0]?.length ?? 0;
  let rows = 0;
  let cursor: string | null = null;
  do {
    const page = await deps.list.page({ ...query, limit: 100, cursor });
    for (const row of page.leads) {
      const line = csvLine(row);
      rows += 1;
      bytes += Buffer.byteLength(line);
      if (rows > EXPORT_MAX_ROWS || bytes > EXPORT_MAX_BYTES) return { kind: 'too_large', rows: page.total };
      parts.push(line);
    }
    cursor = page.cursor;
  } while (cursor);
  return { kind: 'csv', csv: parts.join(''), rows };
}
