/**
 * `leadflow reports backfill`: gives timeline entries written before the reports existed their
 * uncounted key (backfillUncounted, report-backfill.ts), to the end of the table, with the
 * operator's credentials (it scans the table: no function may). The next ticks count them. Prints
 * each Scan page's counts, then the totals. Safe to run again: an entry keyed or counted is not written.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillUncounted } from '../../functions/adapters/dynamodb/report-backfill';

export interface BackfillTotals {
  pages: number;
  scanned: number;
  keyed: number;
}

export async function backfillAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  onPage: (page: { scanned: number; keyed: number }, totals: BackfillTotals) => void = () => {},
): Promise<BackfillTotals> {
  const totals: BackfillTotals = { pages: 0, scanned: 0, keyed: 0 };
  let cursor: string | null = null;
  do {
    const page = await backfillUncounted(db, tableName, cursor);
    totals.pages += 1;
    totals.scanned += page.scanned;
    totals.keyed += page.keyed;
    onPage(page, totals);
    cursor = page.cursor;
  } while (cursor);
  return totals;
}

export const formatBackfill = (t: BackfillTotals) =>
  `queued ${t.keyed} timeline entr${t.keyed === 1 ? 'y' : 'ies'} for the reports (counted by the next ticks); scanned ${t.scanned} item(s) in ${t.pages} page(s)`;
