/**
 * `leadflow leads reindex`: the backfill of the lead and suppression indexes (reindexLeads, lead-reindex.ts) run
 * to the end against a stack's table, with the operator's credentials (it scans the table: no
 * function may). Prints each Scan page's counts, then the totals. Safe to run again: a lead
 * already indexed is not written.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reindexLeads } from '../../functions/adapters/dynamodb/lead-reindex';
import { markSuppressionsIndexed } from '../../functions/adapters/dynamodb/suppression-store';

export interface ReindexTotals {
  pages: number;
  scanned: number;
  indexed: number;
  suppressions: number;
}

export async function reindexAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  onPage: (page: { scanned: number; indexed: number }, totals: ReindexTotals) => void = () => {},
): Promise<ReindexTotals> {
  const totals: ReindexTotals = { pages: 0, scanned: 0, indexed: 0, suppressions: 0 };
  let cursor: string | null = null;
  do {
    const page = await reindexLeads(db, tableName, cursor);
    totals.pages += 1;
    totals.scanned += page.scanned;
    totals.indexed += page.indexed;
    totals.suppressions += page.suppressions;
    onPage(page, totals);
    cursor = page.cursor;
  } while (cursor);
  // Every suppression entry has its index key now: segment counts may read the list whole.
  await markSuppressionsIndexed(db, tableName);
  return totals;
}

export const formatReindex = (t: ReindexTotals) =>
  `reindexed ${t.indexed} lead(s) and ${t.suppressions} suppression entr${t.suppressions === 1 ? 'y' : 'ies'}; scanned ${t.scanned} item(s) in ${t.pages} page(s)`;
