import { csvHeader, csvLine } from './lead-csv';
import { EXPORT_MAX_BYTES, EXPORT_MAX_ROWS } from './lead-export-limits';
import type { LeadList, LeadListQuery } from './lead-list';

export { EXPORT_MAX_BYTES, EXPORT_MAX_ROWS };

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
